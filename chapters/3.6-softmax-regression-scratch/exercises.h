// Section 3.6 Softmax regression from scratch: the exercise demos
// (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <optional>
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

/// What the exercises work on, from the book's cells: main fills it after
/// the last cell, and App::run then runs the selected exercises.
struct Cells {
  std::vector<d2l::EpochMetrics> metrics;     ///< cell 19's training
  double lr = 0;                              ///< at this learning rate
  std::optional<d2l::Net> net;                ///< cell 7's model, trained
  std::optional<d2l::ArrayLoader> test_iter;  ///< cell 2's test set
};

/// Declares the section's exercises (App::exercise): their flags (--stable
/// changes cells 7 and 19: App::given) and their demos, which work on
/// `cells`; it must outlive `app.run`.
void add_exercises(d2l::App& app, Cells& cells);

}  // namespace softmax_regression_scratch
