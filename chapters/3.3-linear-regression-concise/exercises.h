// Section 3.3's exercises: declared with their flags and demos, run after
// the book's cells (see exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>
#include <optional>
#include <string>

namespace concise {

/// The values of the exercise options; the defaults reproduce the book.
struct ExerciseOptions {
  std::string reduction = "mean";  ///< --reduction: cell 8's (3.3-1)
  std::string loss_name = "mse";   ///< --loss: cell 8's loss (3.3-2)
  double huber_sigma = 1.0;        ///< --huber-sigma: the Huber threshold
};

/// What the exercises work on, from the book's cells: main fills it after
/// the last cell, and App::run then runs the selected exercises.
struct Cells {
  torch::Tensor true_w;  ///< cell 2's true parameters (true_w on the CPU)
  double true_b = 0;     ///< and bias
  std::optional<d2l::ArrayLoader> data_iter;  ///< cell 4's data iterator
  torch::nn::Sequential net = nullptr;        ///< cell 6's model, trained
  int64_t num_examples = 0;  ///< the run's dataset size (cell 2)
  int64_t batch_size = 0;    ///< and hyperparameters (cells 4, 9, 10)
  double lr = 0;             ///< learning rate
  int64_t num_epochs = 0;    ///< epochs
};

/// Declares the section's exercises (App::exercise): their flags, which
/// fill `options`, the check that --huber-sigma has a Huber loss to use it,
/// and their demos, which work on `cells`. Both must outlive `app.run`.
void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells);

}  // namespace concise
