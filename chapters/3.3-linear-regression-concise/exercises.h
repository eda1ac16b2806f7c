// Section 3.3's exercises: the flags that select them and their demos, run
// after the book's cells (see exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>
#include <string>

namespace concise {

/// The exercise flags' values; the defaults reproduce the book.
struct ExerciseOptions {
  std::string reduction = "mean";  ///< --reduction: cell 8's (3.3-1)
  bool newton = false;             ///< --newton (3.3-1)
  std::string loss_name = "mse";   ///< --loss: cell 8's loss (3.3-2)
  double huber_sigma = 1.0;        ///< --huber-sigma: the Huber threshold
  bool losses = false;             ///< --losses (3.3-2)
  bool inits = false;              ///< --inits (3.3-2)
  bool show_grad = false;          ///< --show-grad (3.3-3)
};

/// Adds the exercise flags, which fill `options` (it must outlive
/// `app.run`), the check that --huber-sigma has a Huber loss to use it, and
/// lists the exercises for `--exercises`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

/// Runs the selected exercise demos, in the book's order, after the cells:
/// on the cells' true parameters (`true_w` on the CPU), data iterator,
/// trained layer and hyperparameters.
void run_exercises(
    const ExerciseOptions& options,
    const torch::Tensor& true_w,
    double true_b,
    const d2l::ArrayLoader& data_iter,
    const torch::nn::LinearImpl& linear,
    int64_t num_examples,
    int64_t batch_size,
    double lr,
    int64_t num_epochs);

}  // namespace concise
