// Section 3.4 Softmax regression (d2l-zh 2nd ed.): the book has no code
// here, so this program makes the section's mathematics runnable:
//   1. softmax, and its invariance to adding a constant to every logit
//   2. the cross-entropy loss and its gradient softmax(o) - y, checked
//      against autograd
//   3. entropy and cross-entropy, in nats and in bits
//   4. the cost of a fully connected layer, O(dq) parameters, against a
//      parameterized hypercomplex multiplication (PHM) layer, O(dq/n)
//   5. exercise 3.4-1(a): the second derivative of the loss is the variance
//      of softmax(o)
//   6. exercise 3.4-3(a)-(c): RealSoftMax(a, b) = log(e^a + e^b) > max(a, b),
//      and RealSoftMax(la, lb) / l -> max(a, b) as l grows
// Flags: --d, --q (the layer's inputs and outputs), --phm-n (the n values);
// --a, --b (the numbers of part 6 and --soft-min). Exercise flags, whose
// output follows part 6 (--exercises lists every exercise):
//   --hessian        3.4-1(b): the whole Hessian diag(p) - p p^T is the
//                    covariance of the one-hot label Y ~ softmax(o)
//   --coding         3.4-2: three equally likely classes: 2 bits each, or
//                    ceil(n log2 3) bits for n of them jointly
//   --soft-min       3.4-3(d): SoftMin(a, b) = -RealSoftMax(-a, -b)
//   --values X ...   3.4-3(e): RealSoftMax of more than two numbers
// scripts/reference/3.4-softmax-regression.py prints the same, from Python.
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

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
// Part 6: the default a and b (--a, --b), and the scales l.
constexpr double kA = 2;
constexpr double kB = 1;
const std::vector<double> kLambdas = {0.5, 1, 2, 5, 10, 100};
// --a, --b, --values: at most this large in magnitude (l x stays finite).
constexpr double kMaxMagnitude = 1e6;
// --coding: the numbers n of symbols coded jointly, and the example's n.
const std::vector<int64_t> kJointN = {1, 2, 3, 5, 10, 100, 1000};
constexpr int64_t kExampleSymbols = 5;

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
  fmt::print(
      "max |softmax(o + c) - softmax(o)| = {:.3e}\n\n",
      (shifted - y_hat).abs().max().item<double>());
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

// Part 5's logits and the Hessian of its loss, for --hessian.
struct SecondDerivatives {
  torch::Tensor o;
  torch::Tensor hessian;
};

SecondDerivatives second_derivative_part() {
  fmt::print(
      "# 5. exercise: d^2 l / do_j^2 = softmax(o)_j (1 - softmax(o)_j), the "
      "variance of softmax(o)_j\n");
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

// log(sum_i exp(x_i)), computed as m + log(sum_i exp(x_i - m)), m = max x_i.
double real_softmax(const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  double total = 0;
  for (const double v : x) {
    total += std::exp(v - m);
  }
  return m + std::log(total);
}

// l x
std::vector<double> scaled(const std::vector<double>& x, double lambda) {
  std::vector<double> out;
  for (const double v : x) {
    out.push_back(lambda * v);
  }
  return out;
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
  for (const double lambda : kLambdas) {
    fmt::print(
        "{:>8g} {:>22.10f}\n",
        lambda,
        real_softmax({lambda * a, lambda * b}) / lambda);
  }
  fmt::print("-> max(a, b) = {:g} as lambda grows\n", std::max(a, b));
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
      "(a) a binary code for one symbol needs 2 bits (00, 01, 10; 11 is never "
      "used): {:.6f} bits, {:.1f}% more than the entropy\n",
      2 - h,
      100 * (2 - h) / h);
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
      "{} bits instead of {}\n",
      d2l::repr(symbols),
      value,
      kExampleSymbols,
      power,
      bits,
      value,
      bits,
      bits,
      2 * kExampleSymbols);
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
  for (const double lambda : kLambdas) {
    fmt::print(
        "{:>8g} {:>24.10f}\n",
        lambda,
        -real_softmax({-lambda * a, -lambda * b}) / lambda);
  }
  fmt::print(
      "-> min(a, b) = {:g} as lambda grows; softmax(-o) is the matching soft "
      "argmin\n",
      std::min(a, b));
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
  for (const double lambda : kLambdas) {
    fmt::print(
        "{:>8g} {:>22.10f} {:>22.10f}\n",
        lambda,
        real_softmax(scaled(x, lambda)) / lambda,
        -real_softmax(scaled(x, -lambda)) / lambda);
  }
  fmt::print(
      "-> max(x) = {:g} and min(x) = {:g} as lambda grows (within log(n) / "
      "lambda)\n",
      high,
      low);
}

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.4", "Softmax regression");
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
  bool hessian = false;
  bool coding = false;
  bool soft_min = false;
  std::vector<double> values;
  cli.add_option("--a", a, "exercise 3.4-3: a in RealSoftMax(a, b) (part 6)")
      ->capture_default_str();
  cli.add_option("--b", b, "exercise 3.4-3: b in RealSoftMax(a, b) (part 6)")
      ->capture_default_str();
  cli.add_flag(
      "--hessian",
      hessian,
      "exercise 3.4-1: the Hessian of the loss, diag(p) - p p^T, is the "
      "covariance of the one-hot label");
  cli.add_flag(
      "--coding",
      coding,
      "exercise 3.4-2: three equally likely classes: 2 bits each, or "
      "ceil(n log2 3) bits for n jointly");
  cli.add_flag(
      "--soft-min",
      soft_min,
      "exercise 3.4-3: SoftMin(a, b) = -RealSoftMax(-a, -b) < min(a, b)");
  cli.add_option(
      "--values",
      values,
      "exercise 3.4-3: RealSoftMax of these numbers (two or more), e.g. "
      "--values 1 2 3.5");
  app.add_exercise(
      "3.4-1(a)",
      "",
      "part 5: d^2 l / do_j^2 by autograd = softmax(o)_j (1 - softmax(o)_j)");
  app.add_exercise(
      "3.4-1(b)",
      "--hessian",
      "the whole Hessian by autograd = diag(p) - p p^T, the covariance of the "
      "one-hot label Y ~ softmax(o)");
  app.add_exercise(
      "3.4-2(a)",
      "--coding",
      "a 2-bit code for three equally likely classes spends 2 - log2 3 bits "
      "too many");
  app.add_exercise(
      "3.4-2(b)",
      "--coding",
      "coding n symbols jointly in ceil(n log2 3) bits: bits per symbol -> "
      "log2 3");
  app.add_exercise(
      "3.4-3(a)",
      "",
      "part 6: RealSoftMax(a, b) > max(a, b) (--a, --b choose a and b)");
  app.add_exercise(
      "3.4-3(b)",
      "",
      "part 6: RealSoftMax(la, lb) / l > max(a, b) for every l > 0");
  app.add_exercise(
      "3.4-3(c)",
      "",
      "part 6: RealSoftMax(la, lb) / l -> max(a, b) as l grows");
  app.add_exercise(
      "3.4-3(d)",
      "--soft-min",
      "SoftMin(a, b) = -RealSoftMax(-a, -b) < min(a, b), -> min as l grows");
  app.add_exercise(
      "3.4-3(e)",
      "--values 1 2 3.5",
      "RealSoftMax of n numbers: max < it <= max + log n, -> max as l grows");
  app.add_check([&] {
    auto check_number = [](const std::string& flag, double value) {
      if (!(std::abs(value) <= kMaxMagnitude)) {
        throw d2l::UsageError(fmt::format(
            "{} {}: must be a number from -1e6 to 1e6", flag, value));
      }
    };
    check_number("--a", a);
    check_number("--b", b);
    for (const double v : values) {
      check_number("--values", v);
    }
    if (values.size() == 1) {
      throw d2l::UsageError(
          "--values: give two or more numbers (RealSoftMax of one is itself)");
    }
  });
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
    // Exercises beyond parts 1-6, in the book's order.
    if (hessian) {
      hessian_part(part5);
    }
    if (coding) {
      coding_part();
    }
    if (soft_min) {
      soft_min_part(a, b);
    }
    if (!values.empty()) {
      values_part(values);
    }
  });
}
