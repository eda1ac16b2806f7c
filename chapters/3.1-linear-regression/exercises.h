// Section 3.1 Linear regression: the exercise demos (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>

namespace linear_regression {

/// Default learning rate of the exercises' SGD, as in 3.2 (--lr).
constexpr double kLearningRate = 0.03;
/// Default number of epochs of the exercises' SGD (--epochs).
constexpr int64_t kNumEpochs = 3;
/// Default minibatch size of the exercises' SGD (--batch-size).
constexpr int64_t kBatchSize = 10;

/// The exercise flags' values.
struct ExerciseOptions {
  bool constant_b = false;          ///< --constant-b: exercise 3.1-1
  bool analytic = false;            ///< --analytic: exercise 3.1-2 (a)-(c)
  bool collinear = false;           ///< --collinear: exercise 3.1-2 (d)
  bool laplace = false;             ///< --laplace: exercise 3.1-3 (a), (b)
  bool laplace_sgd = false;         ///< --laplace-sgd: exercise 3.1-3 (c)
  double lr = kLearningRate;        ///< --lr
  int64_t num_epochs = kNumEpochs;  ///< --epochs
  int64_t batch_size = kBatchSize;  ///< --batch-size
  const CLI::Option* epochs_flag = nullptr;  ///< --epochs, to see if given
};

/// Adds the exercise flags (and --lr, --epochs, --batch-size) to `app` and
/// registers the exercises for --exercises; `options` must outlive `run`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

/// Runs the selected exercise demos, in the book's order, after the cells;
/// `advice` is what a divergence message says (App::divergence_advice).
void run_exercises(
    const ExerciseOptions& options, const d2l::DivergenceAdvice& advice);

}  // namespace linear_regression
