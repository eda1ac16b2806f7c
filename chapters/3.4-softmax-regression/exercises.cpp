// Section 3.4 Softmax regression: the exercises (d2l-zh 2nd ed., 3.4
// exercises 1-3), each declared once in add_exercises: its flag, what it
// shows (`--exercises` lists them) and its demo beyond parts 1-6, which
// App::run prints after part 6 (main.cpp).
#include "exercises.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace softmax_regression {
namespace {

// --coding: the numbers n of symbols coded jointly, and the example's n.
const std::vector<int64_t> kJointN = {1, 2, 3, 5, 10, 100, 1000};
constexpr int64_t kExampleSymbols = 5;

// l x
std::vector<double> scaled(const std::vector<double>& x, double lambda) {
  std::vector<double> out;
  for (const double v : x) {
    out.push_back(lambda * v);
  }
  return out;
}

// Exercise 3.4-1(b): the Hessian of l(y, softmax(o)) with respect to o is
// the covariance matrix of the one-hot label Y ~ softmax(o).
void hessian_part(const SecondDerivatives& part5) {
  fmt::print(
      "\n# exercise 3.4-1(b): the Hessian of the loss is the covariance "
      "matrix of the one-hot label Y ~ softmax(o)\n");
  const auto p = torch::softmax(part5.o, 0);
  const auto covariance = torch::diag(p) - torch::outer(p, p);
  fmt::print("o as in part 5 = {}\n", d2l::repr(part5.o));
  fmt::print("autograd d^2 l / do_j do_k =\n{}\n", d2l::repr(part5.hessian));
  fmt::print(
      "E[Y Y^T] - E[Y] E[Y]^T = diag(p) - p p^T, p = softmax(o) =\n{}\n",
      d2l::repr(covariance));
  fmt::print(
      "max difference: {:.3e}\n",
      (part5.hessian - covariance).abs().max().item<double>());
  fmt::print(
      "-> diagonal: Var[Y_j] = p_j (1 - p_j) (part 5); off the diagonal: "
      "Cov[Y_j, Y_k] = -p_j p_k; y enters l only through -y^T o, so the "
      "Hessian is the same for every label\n");
}

// Exercise 3.4-2: three equally likely classes, coded one by one or jointly.
void coding_part() {
  fmt::print("\n# exercise 3.4-2: coding three equally likely classes\n");
  const double h = std::log2(3.0);
  fmt::print(
      "entropy of (1/3, 1/3, 1/3): log2 3 = {:.6f} bits per symbol\n", h);
  fmt::print(
      "(a) a fixed-length binary code needs 2 bits per symbol (00, 01, 10; 11 "
      "is never used): 2 - log2 3 = {:.6f} bits too many, {:.1f}% more than "
      "the entropy\n",
      2 - h,
      100 * (2 - h) / h);
  const double prefix = 5.0 / 3.0;
  fmt::print(
      "    the best code for single symbols, the prefix code {{0, 10, 11}} "
      "(Huffman's), averages (1 + 2 + 2) / 3 = 5/3 = {:.6f} bits: 5/3 - log2 "
      "3 = {:.6f} too many, {:.1f}% more; no code for single symbols reaches "
      "log2 3, as 1/3 is not a power of 1/2\n",
      prefix,
      prefix - h,
      100 * (prefix - h) / h);
  fmt::print(
      "(b) n symbols coded jointly as one number below 3^n need k = ceil(n "
      "log2 3) bits:\n");
  fmt::print("{:>6} {:>6} {:>12} {:>9}\n", "n", "k", "bits/symbol", "excess");
  for (const int64_t n : kJointN) {
    const auto k = static_cast<int64_t>(std::ceil(static_cast<double>(n) * h));
    const double per_symbol = static_cast<double>(k) / static_cast<double>(n);
    fmt::print(
        "{:>6} {:>6} {:>12.6f} {:>9.6f}\n", n, k, per_symbol, per_symbol - h);
  }
  fmt::print("-> k / n -> log2 3 as n grows: the excess is below 1 / n\n");
  const auto symbols =
      torch::randint(/*high=*/3, {kExampleSymbols}, torch::kInt64);
  int64_t value = 0;
  int64_t power = 1;
  for (int64_t i = 0; i < kExampleSymbols; ++i) {
    value += symbols[i].item<int64_t>() * power;
    power *= 3;
  }
  const auto bits =
      static_cast<int64_t>(std::ceil(static_cast<double>(kExampleSymbols) * h));
  fmt::print(
      "e.g. the symbols {} -> sum_i s_i 3^i = {} < 3^{} = {} <= 2^{}: "
      "'{:0{}b}', "
      "{} bits instead of {} (fixed length) or {:.2f} on average (prefix "
      "code)\n",
      d2l::repr(symbols),
      value,
      kExampleSymbols,
      power,
      bits,
      value,
      bits,
      bits,
      2 * kExampleSymbols,
      static_cast<double>(kExampleSymbols) * 5.0 / 3.0);
}

// Exercise 3.4-3(d): a soft minimum.
void soft_min_part(double a, double b) {
  fmt::print(
      "\n# exercise 3.4-3(d): a soft minimum: SoftMin(a, b) = -RealSoftMax(-a, "
      "-b) < min(a, b)\n");
  fmt::print(
      "a = {:g}, b = {:g}: SoftMin = {:.6f} < min = {:g}\n",
      a,
      b,
      -real_softmax({-a, -b}),
      std::min(a, b));
  fmt::print("{:>8} {:>24}\n", "lambda", "-RealSoftMax(-la, -lb)/l");
  std::vector<double> column;
  for (const double lambda : kLambdas) {
    column.push_back(-real_softmax({-lambda * a, -lambda * b}) / lambda);
    fmt::print("{:>8g} {:>24.10f}\n", lambda, column.back());
  }
  fmt::print(
      "-> min(a, b) = {:g} as lambda grows; softmax(-o) is the matching soft "
      "argmin\n",
      std::min(a, b));
  print_rounding_note({column}, {std::min(a, b)});
}

// Exercise 3.4-3(e): RealSoftMax of more than two numbers.
void values_part(const std::vector<double>& x) {
  fmt::print(
      "\n# exercise 3.4-3(e): RealSoftMax(x_1, ..., x_n) = log sum_i "
      "exp(x_i), for n = {} numbers\n",
      x.size());
  std::vector<std::string> items;
  for (const double v : x) {
    items.push_back(fmt::format("{:g}", v));
  }
  const double high = *std::max_element(x.begin(), x.end());
  const double low = *std::min_element(x.begin(), x.end());
  const double log_n = std::log(static_cast<double>(x.size()));
  fmt::print(
      "x = [{}]: max = {:g} < RealSoftMax = {:.6f} <= max + log n = {:.6f}\n",
      fmt::join(items, ", "),
      high,
      real_softmax(x),
      high + log_n);
  fmt::print(
      "{:>8} {:>22} {:>22}\n",
      "lambda",
      "RealSoftMax(lx)/l",
      "-RealSoftMax(-lx)/l");
  std::vector<double> soft_max;
  std::vector<double> soft_min;
  for (const double lambda : kLambdas) {
    soft_max.push_back(real_softmax(scaled(x, lambda)) / lambda);
    soft_min.push_back(-real_softmax(scaled(x, -lambda)) / lambda);
    fmt::print(
        "{:>8g} {:>22.10f} {:>22.10f}\n",
        lambda,
        soft_max.back(),
        soft_min.back());
  }
  fmt::print(
      "-> max(x) = {:g} and min(x) = {:g} as lambda grows (within log(n) / "
      "lambda)\n",
      high,
      low);
  print_rounding_note({soft_max, soft_min}, {high, low});
}

}  // namespace

void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells) {
  app.exercise(
      "3.4-1(a)",
      "part 5: d^2 l / do_j^2 by autograd = softmax(o)_j (1 - softmax(o)_j) "
      "= Var[Y_j] for a one-hot label Y ~ softmax(o)");
  app.exercise(
         "3.4-1(b)",
         "the whole Hessian by autograd = diag(p) - p p^T, the covariance of "
         "the one-hot label Y ~ softmax(o)")
      .flag(
          "--hessian",
          "the Hessian of the loss, diag(p) - p p^T, is the covariance of the "
          "one-hot label Y ~ softmax(o)")
      .runs([&cells] { hessian_part(cells.part5); });
  app.exercise(
         "3.4-2(a)",
         "three equally likely classes: a fixed-length code spends 2 - log2 3 "
         "= 0.415 bits too many, the best prefix code {0, 10, 11} 5/3 - log2 "
         "3 = 0.082")
      .part(
          "3.4-2(b)",
          "coding n symbols jointly in ceil(n log2 3) bits: bits per symbol "
          "-> log2 3")
      .flag(
          "--coding",
          "three equally likely classes: 2 bits (fixed length), 5/3 (prefix "
          "code), or ceil(n log2 3) bits for n jointly")
      .runs([] { coding_part(); });
  app.exercise(
      "3.4-3(a)",
      "part 6: RealSoftMax(a, b) > max(a, b) (--a, --b choose a and b)");
  app.exercise(
      "3.4-3(b)",
      "part 6: RealSoftMax(la, lb) / l > max(a, b) for every l > 0");
  app.exercise(
      "3.4-3(c)", "part 6: RealSoftMax(la, lb) / l -> max(a, b) as l grows");
  app.exercise(
         "3.4-3(d)",
         "SoftMin(a, b) = -RealSoftMax(-a, -b) < min(a, b), -> min as l "
         "grows")
      .flag("--soft-min", "SoftMin(a, b) = -RealSoftMax(-a, -b) < min(a, b)")
      .runs([&cells] { soft_min_part(cells.a, cells.b); });
  app.exercise(
         "3.4-3(e)",
         "RealSoftMax of n numbers: max < it <= max + log n, -> max as l "
         "grows")
      .option(
          "--values",
          options.values,
          "1 2 3.5",
          "RealSoftMax of these numbers (two or more), e.g. --values 1 2 3.5")
      .runs([&options] { values_part(options.values); });
  app.add_check([&options] {
    for (const double v : options.values) {
      check_magnitude("--values", v);
    }
    if (options.values.size() == 1) {
      throw d2l::UsageError(
          "--values: give two or more numbers (RealSoftMax of one is itself)");
    }
  });
}

}  // namespace softmax_regression
