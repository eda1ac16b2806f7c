// Section 3.5 The image classification dataset: the exercise demos
// (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>

namespace image_classification_dataset {

/// The exercise flags' values.
struct ExerciseOptions {
  /// `book_batch_size`: the book's minibatch size of the timed pass (cell 8).
  explicit ExerciseOptions(int64_t book_batch_size)
      : batch_size(book_batch_size), book_batch_size(book_batch_size) {}

  int64_t batch_size;               ///< --batch-size: exercise 3.5-1 (cell 8)
  int64_t book_batch_size;          ///< the book's, compared with in 3.5-1
  bool reader_speed = false;        ///< --reader-speed: exercise 3.5-2
  bool framework_datasets = false;  ///< --framework-datasets: exercise 3.5-3
  const CLI::Option* batch_size_flag = nullptr;  ///< to see if given
};

/// Adds the exercise flags (--batch-size among them) to `app` and registers
/// the exercises for --exercises; `options` must outlive `run`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

/// Runs the selected exercise demos after the cells: `read_seconds` is cell
/// 9's timed pass over `mnist_train` (minibatches of options.batch_size).
void run_exercises(
    const ExerciseOptions& options,
    const d2l::FashionMnist& mnist_train,
    const d2l::FashionMnist& mnist_test,
    double read_seconds);

}  // namespace image_classification_dataset
