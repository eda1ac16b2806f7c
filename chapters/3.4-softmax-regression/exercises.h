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

/// The value of the exercise option with numbers.
struct ExerciseOptions {
  std::vector<double> values;  ///< --values: exercise 3.4-3(e)
};

/// What the exercises work on, from parts 1-6: main fills it after part 6,
/// and App::run then runs the selected exercises.
struct Cells {
  SecondDerivatives part5;  ///< part 5's result
  double a = 0;             ///< part 6's numbers (--a, --b)
  double b = 0;             ///< (see a)
};

/// Declares the section's exercises (App::exercise): their flags, which
/// fill `options`, the check of --values, and their demos, which work on
/// `cells`. Both must outlive `app.run`.
void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells);

}  // namespace softmax_regression
