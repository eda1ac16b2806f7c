// Section 3.5 The image classification dataset: the exercise demos
// (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>

namespace image_classification_dataset {

/// The value of the exercise option that changes a cell, and the book's.
struct ExerciseOptions {
  /// `book_batch_size`: the book's minibatch size of the timed pass (cell 8).
  explicit ExerciseOptions(int64_t book_batch_size)
      : batch_size(book_batch_size), book_batch_size(book_batch_size) {}

  int64_t batch_size;       ///< --batch-size: exercise 3.5-1 (cell 8)
  int64_t book_batch_size;  ///< the book's, compared with in 3.5-1
};

/// What the exercises work on, from the book's cells: main fills it after
/// the last cell, and App::run then runs the selected exercises.
struct Cells {
  d2l::FashionMnist mnist_train;  ///< cell 2's training set
  d2l::FashionMnist mnist_test;   ///< and test set
  double read_seconds = 0;        ///< cell 9's timed pass (options.batch_size)
};

/// Declares the section's exercises (App::exercise): their flags, which
/// fill `options` (--batch-size among them), and their demos, which work on
/// `cells`. Both must outlive `app.run`.
void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells);

}  // namespace image_classification_dataset
