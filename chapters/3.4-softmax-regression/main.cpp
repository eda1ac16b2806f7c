// Section 3.4 Softmax regression (d2l-zh 2nd ed.): the book has no code
// here, so this program makes the section's mathematics runnable:
//   1. softmax, and its invariance to adding a constant to every logit (up
//      to float32's rounding of o + c)
//   2. the cross-entropy loss and its gradient softmax(o) - y, checked
//      against autograd
//   3. entropy and cross-entropy, in nats and in bits
//   4. the cost of a fully connected layer, O(dq) parameters, against a
//      parameterized hypercomplex multiplication (PHM) layer, O(dq/n)
//   5. exercise 3.4-1(a): the second derivative of the loss is Var[Y_j], the
//      variance of the indicator Y_j of a one-hot label Y ~ softmax(o)
//   6. exercise 3.4-3(a)-(c): RealSoftMax(a, b) = log(e^a + e^b) > max(a, b),
//      and RealSoftMax(la, lb) / l -> max(a, b) as l grows
// Flags: --d, --q (the layer's inputs and outputs), --phm-n (the n values);
// --a, --b (the numbers of part 6). The other exercises (`--exercises` lists
// every exercise) are declared in exercises.cpp; their output follows part 6.
// scripts/reference/3.4-softmax-regression.py prints the same, from Python.
#include <d2l/d2l.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "exercises.h"

namespace softmax_regression {

// Part 6: the scales l (the exercises use them too).
const std::vector<double> kLambdas = {0.5, 1, 2, 5, 10, 100};

void print_rounding_note(
    const std::vector<std::vector<double>>& columns,
    const std::vector<double>& limits) {
  std::vector<std::string> at;
  for (size_t i = 0; i < kLambdas.size(); ++i) {
    for (size_t c = 0; c < columns.size(); ++c) {
      if (fmt::format("{:.10f}", columns[c][i]) ==
          fmt::format("{:.10f}", limits[c])) {
        at.push_back(fmt::format("{:g}", kLambdas[i]));
        break;
      }
    }
  }
  if (!at.empty()) {
    fmt::print(
        "(at lambda {} a printed value equals its limit: the gap is positive "
        "for every lambda > 0, but smaller than the printed digits)\n",
        fmt::join(at, ", "));
  }
}

// log(sum_i exp(x_i)), computed as m + log(sum_i exp(x_i - m)), m = max x_i.
double real_softmax(const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  double total = 0;
  for (const double v : x) {
    total += std::exp(v - m);
  }
  return m + std::log(total);
}

// --a, --b, --values: at most this large in magnitude (l x stays finite).
constexpr double kMaxMagnitude = 1e6;

void check_magnitude(const std::string& flag, double value) {
  if (!(std::abs(value) <= kMaxMagnitude)) {
    throw d2l::UsageError(
        fmt::format("{} {}: must be a number from -1e6 to 1e6", flag, value));
  }
}

}  // namespace softmax_regression

namespace {

using softmax_regression::kLambdas;
using softmax_regression::print_rounding_note;
using softmax_regression::real_softmax;
using softmax_regression::SecondDerivatives;

// Logits of one example over kNumClasses classes; its label.
constexpr int64_t kNumClasses = 4;
constexpr int64_t kLabel = 2;
// The constant added to show softmax's invariance.
constexpr double kShift = 100;
// Part 4: a layer from d inputs to q outputs, and the PHM n values.
constexpr int64_t kInputs = 784;
constexpr int64_t kOutputs = 12;
const std::vector<int64_t> kPhmN = {1, 2, 4};
constexpr int64_t kPhmBatch = 2;
// Part 6: the default a and b (--a, --b); its scales l are kLambdas (above).
constexpr double kA = 2;
constexpr double kB = 1;

// Softmax by its definition (the naive one; see 3.6's exercise).
torch::Tensor softmax(const torch::Tensor& o) {
  const auto o_exp = torch::exp(o);
  return o_exp / o_exp.sum(-1, /*keepdim=*/true);
}

// A PHM layer: its q x d weight is H = sum_i A_i (x) S_i, a sum of n
// Kronecker products of n x n matrices A_i and (q/n) x (d/n) matrices S_i,
// so it has n^3 + dq/n weights instead of dq.
struct Phm {
  torch::Tensor A;  // n x n x n
  torch::Tensor S;  // n x q/n x d/n
  torch::Tensor b;  // q

  Phm(int64_t n, int64_t d, int64_t q)
      : A(torch::randn({n, n, n})),
        S(torch::randn({n, q / n, d / n}) / std::sqrt(static_cast<double>(d))),
        b(torch::zeros({q})) {}

  torch::Tensor weight() const {
    auto H = torch::kron(A[0], S[0]);
    for (int64_t i = 1; i < A.size(0); ++i) {
      H = H + torch::kron(A[i], S[i]);
    }
    return H;
  }
  int64_t num_parameters() const {
    return A.numel() + S.numel() + b.numel();
  }
  torch::Tensor forward(const torch::Tensor& X) const {
    return torch::matmul(X, weight().t()) + b;
  }
};

void softmax_part() {
  fmt::print("# 1. softmax(o)_j = exp(o_j) / sum_k exp(o_k)\n");
  const auto o = torch::randn({1, kNumClasses});
  const auto y_hat = softmax(o);
  fmt::print("o = {}\n", d2l::repr(o));
  fmt::print("softmax(o) = {}\n", d2l::repr(y_hat));
  fmt::print(
      "sum = {:.6f}, argmax o = {}, argmax softmax(o) = {}\n",
      y_hat.sum().item<double>(),
      o.argmax().item<int64_t>(),
      y_hat.argmax().item<int64_t>());
  // Adding c to every logit multiplies numerator and denominator by e^c:
  // the same probabilities, but the naive formula overflows float32.
  fmt::print(
      "naive softmax(o + {:g}) = {}\n", kShift, d2l::repr(softmax(o + kShift)));
  const auto shifted = torch::softmax(o + kShift, /*dim=*/-1);
  fmt::print(
      "torch::softmax(o + {:g}) = {}  (subtracts max(o) first)\n",
      kShift,
      d2l::repr(shifted));
  // softmax(o + c) = softmax(o) exactly; in float32, o + c is rounded to
  // the spacing of numbers near c, and that rounding is what differs.
  fmt::print(
      "max |softmax(o + c) - softmax(o)| = {:.3e}: float32 rounding of o + c, "
      "not softmax, which is exactly invariant to adding c\n",
      (shifted - y_hat).abs().max().item<double>());
  fmt::print(
      "(max |(o + c) - c - o| = {:.3e}: o + c keeps fewer of o's digits; "
      "without the shift, torch::softmax(o) and the naive one differ by "
      "{:.3e})\n\n",
      ((o + kShift) - kShift - o).abs().max().item<double>(),
      (torch::softmax(o, /*dim=*/-1) - y_hat).abs().max().item<double>());
}

void cross_entropy_part() {
  fmt::print("# 2. cross-entropy l(y, y_hat) = -sum_j y_j log y_hat_j\n");
  auto o = torch::randn({kNumClasses}).requires_grad_();
  const auto y = torch::nn::functional::one_hot(
                     torch::tensor(kLabel, torch::kInt64), kNumClasses)
                     .to(torch::kFloat32);
  const auto l = -(y * torch::log(softmax(o))).sum();
  l.backward();
  const auto expected = softmax(o.detach()) - y;
  fmt::print(
      "o = {}\ny = {}\nl = {:.6f}\n",
      d2l::repr(o.detach()),
      d2l::repr(y),
      l.item<double>());
  fmt::print("autograd dl/do   = {}\n", d2l::repr(o.grad()));
  fmt::print("softmax(o) - y   = {}\n", d2l::repr(expected));
  fmt::print(
      "max difference: {:.3e}\n\n",
      (o.grad() - expected).abs().max().item<double>());
}

void entropy_part() {
  fmt::print("# 3. entropy H[P] = -sum_j P(j) log P(j)\n");
  const auto p = torch::tensor({0.5, 0.25, 0.125, 0.125}, torch::kFloat64);
  const auto q = torch::full({4}, 0.25, torch::kFloat64);
  auto entropy = [](const torch::Tensor& a, const torch::Tensor& b) {
    return -(a * torch::log(b)).sum().item<double>();
  };
  const double h = entropy(p, p);
  const double ce = entropy(p, q);
  fmt::print("P = {}\nQ = {}\n", d2l::repr(p), d2l::repr(q));
  fmt::print("H[P]    = {:.6f} nats = {:.6f} bits\n", h, h / std::log(2.0));
  fmt::print("H(P, Q) = {:.6f} nats = {:.6f} bits\n", ce, ce / std::log(2.0));
  fmt::print("H(P, Q) - H[P] = KL(P || Q) = {:.6f} nats >= 0\n\n", ce - h);
}

void parameters_part(int64_t d, int64_t q, const std::vector<int64_t>& ns) {
  fmt::print(
      "# 4. parameters of a layer from d = {} inputs to q = {} outputs\n",
      d,
      q);
  const int64_t dense = d * q + q;
  fmt::print("fully connected: d*q + q = {} parameters, O(dq)\n", dense);
  fmt::print(
      "{:>3} {:>12} {:>10}  {}\n",
      "n",
      "PHM params",
      "vs dense",
      "forward shapes");
  const auto X = torch::randn({kPhmBatch, d});
  for (const int64_t n : ns) {
    const Phm layer(n, d, q);
    const auto out = layer.forward(X);
    fmt::print(
        "{:>3} {:>12} {:>10.4f}  X {} -> H {} -> {}\n",
        n,
        layer.num_parameters(),
        static_cast<double>(layer.num_parameters()) / dense,
        d2l::repr_size(X.sizes()),
        d2l::repr_size(layer.weight().sizes()),
        d2l::repr_size(out.sizes()));
  }
  fmt::print("(n^3 + dq/n + q parameters: O(dq/n))\n\n");
}

SecondDerivatives second_derivative_part() {
  fmt::print(
      "# 5. exercise: d^2 l / do_j^2 = softmax(o)_j (1 - softmax(o)_j) = "
      "Var[Y_j], the variance of the indicator Y_j of a one-hot label Y drawn "
      "from softmax(o)\n");
  auto o = torch::randn({kNumClasses}, torch::kFloat64).requires_grad_();
  const auto y = torch::nn::functional::one_hot(
                     torch::tensor(kLabel, torch::kInt64), kNumClasses)
                     .to(torch::kFloat64);
  const auto l = torch::logsumexp(o, 0) - (y * o).sum();
  const auto grad = torch::autograd::grad(
      {l},
      {o},
      {},
      /*retain_graph=*/true,
      /*create_graph=*/true)[0];
  std::vector<double> second;
  std::vector<torch::Tensor> rows;
  for (int64_t j = 0; j < kNumClasses; ++j) {
    const auto g2 = torch::autograd::grad(
        {grad[j]},
        {o},
        {},
        /*retain_graph=*/true)[0];
    second.push_back(g2[j].item<double>());
    rows.push_back(g2);
  }
  const auto s = torch::softmax(o.detach(), 0);
  const auto variance = s * (1 - s);
  double max_diff = 0;
  for (int64_t j = 0; j < kNumClasses; ++j) {
    fmt::print(
        "j = {}: autograd {:.10f}  softmax*(1-softmax) {:.10f}\n",
        j,
        second[j],
        variance[j].item<double>());
    max_diff =
        std::max(max_diff, std::abs(second[j] - variance[j].item<double>()));
  }
  fmt::print("max difference: {:.3e}\n\n", max_diff);
  return {o.detach(), torch::stack(rows)};
}

void real_softmax_part(double a, double b) {
  fmt::print(
      "# 6. exercise: RealSoftMax(a, b) = log(exp(a) + exp(b)) > max(a, b)\n");
  fmt::print(
      "a = {:g}, b = {:g}: RealSoftMax = {:.6f} > max = {:g}\n",
      a,
      b,
      real_softmax({a, b}),
      std::max(a, b));
  fmt::print("{:>8} {:>22}\n", "lambda", "RealSoftMax(la, lb)/l");
  std::vector<double> column;
  for (const double lambda : kLambdas) {
    column.push_back(real_softmax({lambda * a, lambda * b}) / lambda);
    fmt::print("{:>8g} {:>22.10f}\n", lambda, column.back());
  }
  fmt::print(
      "-> max(a, b) = {:g} as lambda grows; the gap is log(1 + exp(-l |a - "
      "b|)) / l > 0\n",
      std::max(a, b));
  print_rounding_note({column}, {std::max(a, b)});
}

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.4", "Softmax regression");
  app.book_has_no_code();  // the book's 3.4 is text and exercises only
  app.draws_no_figures();
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  int64_t d = kInputs;
  int64_t q = kOutputs;
  std::vector<int64_t> ns = kPhmN;
  auto& cli = app.cli();
  cli.add_option("--d", d, "inputs of the layer in part 4")
      ->check(d2l::PositiveInt)
      ->capture_default_str();
  cli.add_option("--q", q, "outputs of the layer in part 4")
      ->check(d2l::PositiveInt)
      ->capture_default_str();
  auto* phm_n =
      cli.add_option("--phm-n", ns, "PHM n values (each must divide d and q)")
          ->check(d2l::PositiveInt)
          ->capture_default_str();
  double a = kA;
  double b = kB;
  cli.add_option("--a", a, "exercise 3.4-3: a in RealSoftMax(a, b) (part 6)")
      ->capture_default_str();
  cli.add_option("--b", b, "exercise 3.4-3: b in RealSoftMax(a, b) (part 6)")
      ->capture_default_str();
  app.add_check([&] {
    softmax_regression::check_magnitude("--a", a);
    softmax_regression::check_magnitude("--b", b);
  });
  softmax_regression::ExerciseOptions exercises;
  softmax_regression::Cells cells;  // what the exercises use, after part 6
  softmax_regression::add_exercises(app, exercises, cells);
  app.add_check([&] {
    const auto sizes = fmt::format("--d {} --q {}", d, q);
    // Part 4 holds a few q x d float matrices at once (H, a Kronecker
    // product, their sum): under 16 bytes per weight.
    d2l::check_memory(
        sizes, 16.0 * static_cast<double>(d2l::checked_product({d, q}, sizes)));
    if (phm_n->count() == 0) {
      // The default n values that fit these sizes (1 always does).
      std::vector<int64_t> fit;
      for (const int64_t n : kPhmN) {
        if (d % n == 0 && q % n == 0) {
          fit.push_back(n);
        }
      }
      ns = fit;
    }
    for (const int64_t n : ns) {
      if (d % n != 0 || q % n != 0) {
        throw d2l::UsageError(fmt::format(
            "--phm-n {}: n must divide both --d {} and --q {}", n, d, q));
      }
      // The layer's n x n x n tensor A, 4 bytes a number.
      const auto flag = fmt::format("--phm-n {}", n);
      d2l::check_memory(
          flag,
          4.0 * static_cast<double>(d2l::checked_product({n, n, n}, flag)));
    }
  });

  return app.run(argc, argv, [&] {
    softmax_part();
    cross_entropy_part();
    entropy_part();
    parameters_part(d, q, ns);
    const auto part5 = second_derivative_part();
    real_softmax_part(a, b);
    // The exercises beyond parts 1-6 (exercises.cpp) run after this.
    cells = {part5, a, b};
  });
}
