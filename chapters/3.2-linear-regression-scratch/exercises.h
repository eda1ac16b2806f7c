// Section 3.2's exercises: the flags that select them and their demos, run
// after the book's cells (see exercises.cpp).
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

/// The exercise flags' values; the defaults reproduce the book.
struct ExerciseOptions {
  std::string init = "normal";      ///< --init: cell 8's initial w (3.2-1)
  bool symmetry = false;            ///< --symmetry-demo (3.2-1)
  bool ohm = false;                 ///< --ohm (3.2-2)
  bool planck = false;              ///< --planck (3.2-3)
  bool second_derivatives = false;  ///< --second-derivatives (3.2-4)
  bool reshape = false;             ///< --reshape-demo (3.2-5)
  bool sweep = false;               ///< --lr-sweep (3.2-6)
  bool last_batch = false;          ///< --last-batch (3.2-7)
};

/// Adds the exercise flags, which fill `options` (it must outlive
/// `app.run`), and lists the exercises for `--exercises`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

/// Runs the selected exercise demos, in the book's order, after the cells:
/// on the cells' dataset, trained (w, b), hyperparameters and `random`.
void run_exercises(
    const ExerciseOptions& options,
    const d2l::App& app,
    const torch::Tensor& features,
    const torch::Tensor& labels,
    const torch::Tensor& w,
    const torch::Tensor& b,
    int64_t batch_size,
    double lr,
    int64_t num_epochs,
    d2l::PyRandom& random);

}  // namespace scratch
