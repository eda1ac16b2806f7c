// Section 3.7 Concise implementation of softmax regression: the exercises,
// declared with their flags and demos (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>
#include <optional>
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

/// The value of the exercise option, and the book's hyperparameters.
struct ExerciseOptions {
  /// `book`: the book's hyperparameters (cells 2, 5, 6).
  explicit ExerciseOptions(const Hyperparameters& book) : book(book) {}

  Hyperparameters book;        ///< the book's, which 3.7-1 compares with
  double weight_decay = 1e-3;  ///< --weight-decay: 3.7-2's remedy
};

/// What the exercises work on, from the book's cells: main fills it after
/// the last cell, and App::run then runs the selected exercises.
struct Cells {
  Hyperparameters hyperparameters{};           ///< this run's (cells 2-6)
  std::optional<d2l::ArrayLoader> train_iter;  ///< cell 2's iterators
  std::optional<d2l::ArrayLoader> test_iter;   ///< (see train_iter)
  d2l::Loss loss;                              ///< cell 4's loss
  std::vector<d2l::EpochMetrics> metrics;      ///< cell 6's training
};

/// Declares the section's exercises (App::exercise): their flags, which
/// fill `options` (3.7-1's are the training flags: add them first), and
/// their demos, which work on `cells`. Both must outlive `app.run`.
void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells);

}  // namespace softmax_regression_concise
