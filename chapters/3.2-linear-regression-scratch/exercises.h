// Section 3.2's exercises: declared with their flags and demos, run after
// the book's cells (see exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace scratch {

/// The minibatches of one pass over the dataset: (X, y) pairs.
using Batches = std::vector<std::pair<torch::Tensor, torch::Tensor>>;

/// Mirrors the book's data_iter (cell 6): the dataset in minibatches of
/// `batch_size`, shuffled with Python's `random`; the last may be shorter.
Batches data_iter(
    int64_t batch_size,
    const torch::Tensor& features,
    const torch::Tensor& labels,
    d2l::PyRandom& random);

/// The value of the exercise option that changes a cell; the default
/// reproduces the book.
struct ExerciseOptions {
  std::string init = "normal";  ///< --init: cell 8's initial w (3.2-1)
};

/// What the exercises work on, from the book's cells: main fills it after
/// the last cell, and App::run then runs the selected exercises.
struct Cells {
  torch::Tensor features;  ///< cell 3's dataset: features
  torch::Tensor labels;    ///< and labels
  torch::Tensor w;         ///< cell 13's trained weight
  torch::Tensor b;         ///< and bias
  int64_t batch_size = 0;  ///< the run's hyperparameters (cells 7, 12)
  double lr = 0;           ///< learning rate
  int64_t num_epochs = 0;  ///< epochs
  d2l::PyRandom random;    ///< Python's `random`, where the cells left it
};

/// Declares the section's exercises (App::exercise): their flags, which
/// fill `options`, and their demos, which work on `cells`. Both must
/// outlive `app.run`.
void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells);

}  // namespace scratch
