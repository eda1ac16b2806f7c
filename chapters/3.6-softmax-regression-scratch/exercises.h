// Section 3.6 Softmax regression from scratch: the exercise demos
// (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <vector>

namespace softmax_regression_scratch {

// The book's helpers (main.cpp), which the exercises use too.

/// cell 5: softmax by its definition.
torch::Tensor softmax(const torch::Tensor& X);
/// cell 9: cross-entropy: minus the log of the predicted probability of the
/// true class.
torch::Tensor cross_entropy(const torch::Tensor& y_hat, const torch::Tensor& y);

/// Exercise 3.6-3: cross-entropy straight from the logits o with LogSumExp,
/// -log softmax(o)_y = logsumexp(o) - o_y: never log(0).
torch::Tensor stable_cross_entropy(
    const torch::Tensor& o, const torch::Tensor& y);

/// What a NaN loss means when training with the book's softmax (exercises
/// 3.6-1, 3.6-2; the fix is --stable).
extern const char* const kNaiveSoftmaxDivergence;

/// The exercise flags' values.
struct ExerciseOptions {
  bool softmax_demo = false;   ///< --softmax-demo: exercises 3.6-1, 3.6-2
  bool stable = false;         ///< --stable: exercise 3.6-3 (cells 7, 19)
  bool reject_option = false;  ///< --reject-option: exercise 3.6-4
  bool vocab_softmax = false;  ///< --vocab-softmax: exercise 3.6-5
};

/// Adds the exercise flags to `app` and registers the exercises for
/// --exercises; `options` must outlive `run`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

/// Runs the selected exercise demos, in the book's order, after the cells:
/// `metrics` are cell 19's training at `lr` of `net`, evaluated on
/// `test_iter`; `device` is where the vocabulary demo's tensors live.
void run_exercises(
    const ExerciseOptions& options,
    const std::vector<d2l::EpochMetrics>& metrics,
    double lr,
    const d2l::Net& net,
    const d2l::ArrayLoader& test_iter,
    torch::Device device);

}  // namespace softmax_regression_scratch
