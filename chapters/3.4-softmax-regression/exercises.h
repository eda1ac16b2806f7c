// Section 3.4 Softmax regression: the exercise demos (exercises.cpp).
#pragma once

#include <d2l/d2l.h>

#include <string>
#include <vector>

namespace softmax_regression {

/// Part 6's scales l, which --soft-min and --values use too (main.cpp).
extern const std::vector<double> kLambdas;

/// After a table over kLambdas whose column `c` approaches `limits[c]`
/// strictly: names the lambdas at which a value prints (10 decimals) as its
/// limit, where the gap is below the printed digits (main.cpp).
void print_rounding_note(
    const std::vector<std::vector<double>>& columns,
    const std::vector<double>& limits);

/// log(sum_i exp(x_i)), the RealSoftMax of part 6 (main.cpp).
double real_softmax(const std::vector<double>& x);

/// Throws UsageError unless `value` of `flag` is a number from -1e6 to 1e6
/// (so that l x stays finite; main.cpp).
void check_magnitude(const std::string& flag, double value);

/// Part 5's logits and the Hessian of its loss, for --hessian.
struct SecondDerivatives {
  torch::Tensor o;
  torch::Tensor hessian;
};

/// The exercise flags' values.
struct ExerciseOptions {
  bool hessian = false;        ///< --hessian: exercise 3.4-1(b)
  bool coding = false;         ///< --coding: exercise 3.4-2
  bool soft_min = false;       ///< --soft-min: exercise 3.4-3(d)
  std::vector<double> values;  ///< --values: exercise 3.4-3(e)
};

/// Adds the exercise flags and their check to `app` and registers every
/// exercise for --exercises; `options` must outlive `run`.
void add_exercises(d2l::App& app, ExerciseOptions& options);

/// Runs the selected exercise demos, in the book's order, after part 6:
/// `part5` is part 5's result, `a` and `b` are part 6's numbers (--a, --b).
void run_exercises(
    const ExerciseOptions& options,
    const SecondDerivatives& part5,
    double a,
    double b);

}  // namespace softmax_regression
