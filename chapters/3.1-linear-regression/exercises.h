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

/// The SGD settings of the exercises' demos; the defaults are 3.2's.
struct ExerciseOptions {
  double lr = kLearningRate;        ///< --lr
  int64_t num_epochs = kNumEpochs;  ///< --epochs
  int64_t batch_size = kBatchSize;  ///< --batch-size
};

/// Declares the section's exercises (App::exercise) and adds --lr, --epochs
/// and --batch-size, which fill `options`; it must outlive `app.run`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

}  // namespace linear_regression
