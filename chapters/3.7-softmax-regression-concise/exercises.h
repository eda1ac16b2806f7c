// Section 3.7 Concise implementation of softmax regression: the exercise
// demos (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>
#include <vector>

namespace softmax_regression_concise {

/// cell 3 (main.cpp): nn::Flatten + nn::Linear(784, 10), weights
/// ~ N(0, 0.01), on `device`; exercise 3.7-2 builds a second one.
torch::nn::Sequential softmax_regression_net(torch::Device device);

/// The training hyperparameters of cells 2, 5 and 6.
struct Hyperparameters {
  double lr;           ///< cell 5: learning rate (--lr)
  int64_t num_epochs;  ///< cell 6: number of epochs (--epochs)
  int64_t batch_size;  ///< cell 2: minibatch size (--batch-size)
};

/// The exercise flags' values.
struct ExerciseOptions {
  /// `book`: the book's hyperparameters (cells 2, 5, 6).
  explicit ExerciseOptions(const Hyperparameters& book) : book(book) {}

  Hyperparameters book;          ///< the book's, which 3.7-1 compares with
  bool overfit_summary = false;  ///< --overfit-summary: exercise 3.7-2
  double weight_decay = 1e-3;    ///< --weight-decay: 3.7-2's remedy
  /// --lr, --epochs, --batch-size (exercise 3.7-1), to see if any is given.
  std::vector<const CLI::Option*> tuning_flags;
};

/// Adds the exercise flags to `app` (after App::add_training_flags, whose
/// flags it describes as exercise 3.7-1's) and registers the exercises for
/// --exercises; `options` must outlive `run`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

/// Runs the selected exercise demos after the cells: `metrics` are cell 6's
/// training with `hyperparameters`, on `train_iter` and `test_iter` with
/// `loss`; exercise 3.7-2 trains again from `app`'s seed.
void run_exercises(
    const ExerciseOptions& options,
    const d2l::App& app,
    const Hyperparameters& hyperparameters,
    const d2l::ArrayLoader& train_iter,
    const d2l::ArrayLoader& test_iter,
    const d2l::Loss& loss,
    const std::vector<d2l::EpochMetrics>& metrics);

}  // namespace softmax_regression_concise
