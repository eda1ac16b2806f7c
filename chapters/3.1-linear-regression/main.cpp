// Section 3.1 Linear regression (d2l-zh 2nd ed., PyTorch tab).
//
// The book's cells: vectorization for speed (a Python-style loop against one
// vectorized add, both timed) and the normal distribution with squared loss
// (three normal densities, plotted). Exercise demos behind flags:
//   --analytic     exercise 2: the closed-form solution w* = (X^T X)^-1 X^T y
//                  on the 3.2 data, next to minibatch SGD's estimate
//   --constant-b   exercise 1: the b minimising sum_i (x_i - b)^2 is the mean
//   --laplace      exercise 3: Laplace noise -> its negative log-likelihood,
//                  and SGD on the absolute loss it leads to
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <cmath>
#include <vector>

namespace {

// cell 2: the vectors to add
constexpr int64_t kN = 10000;
// cell 7: the (mean, std) pairs to plot
const std::vector<std::pair<double, double>> kParams = {{0, 1}, {0, 2}, {3, 1}};
// Exercise demos: the 3.2 problem and its SGD settings.
constexpr int64_t kNumExamples = 1000;
constexpr double kTrueB = 4.2;
constexpr double kLearningRate = 0.03;
constexpr int64_t kBatchSize = 10;
constexpr int64_t kNumEpochs = 3;
// The absolute loss's gradient does not shrink near the optimum: more epochs.
constexpr int64_t kLaplaceEpochs = 10;

// cell 6: the normal density (the book uses numpy; doubles here too)
torch::Tensor normal(const torch::Tensor& x, double mu, double sigma) {
  const double p = 1 / std::sqrt(2 * M_PI * sigma * sigma);
  return p * torch::exp(-0.5 / (sigma * sigma) * (x - mu).pow(2));
}

torch::Tensor true_w() {
  return torch::tensor({2.0, -3.4}, torch::kFloat32);
}

// Minibatch SGD on the linear model with `loss`, as in 3.2; returns (w, b).
template <typename Loss>
std::pair<torch::Tensor, torch::Tensor> train_sgd(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    Loss loss,
    int64_t num_epochs = kNumEpochs) {
  auto w = torch::normal(/*mean=*/0, /*std=*/0.01, {2, 1}).requires_grad_();
  auto b = torch::zeros({1}, torch::requires_grad());
  auto data_iter = d2l::load_array({features, labels}, kBatchSize);
  for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
    for (const auto& batch : data_iter) {
      loss(d2l::linreg(batch[0], w, b), batch[1]).sum().backward();
      d2l::sgd({w, b}, kLearningRate, kBatchSize);
    }
  }
  return {w.detach().reshape({-1}), b.detach()};
}

// Exercise 2: w* = (X^T X)^-1 X^T y, with the bias as a column of ones.
void analytic_demo() {
  fmt::print("\n# exercise: analytic solution w* = (X^T X)^-1 X^T y\n");
  auto [features, labels] = d2l::synthetic_data(true_w(), kTrueB, kNumExamples);
  const auto X = torch::cat({features, torch::ones({kNumExamples, 1})}, 1)
                     .to(torch::kFloat64);
  const auto y = labels.to(torch::kFloat64);
  const auto w_star =
      torch::linalg_solve(X.t().matmul(X), X.t().matmul(y), /*left=*/true)
          .reshape({-1});
  fmt::print(
      "analytic: w = {}, b = {:.6f}\n",
      d2l::repr(w_star.slice(0, 0, 2).to(torch::kFloat32)),
      w_star[2].item<double>());
  auto [w, b] = train_sgd(features, labels, d2l::squared_loss);
  fmt::print(
      "SGD ({} epochs, lr {}, batch {}): w = {}, b = {:.6f}\n",
      kNumEpochs,
      kLearningRate,
      kBatchSize,
      d2l::repr(w),
      b.item<double>());
  fmt::print("true: w = {}, b = {}\n", d2l::repr(true_w()), kTrueB);
}

// Exercise 1: argmin_b sum_i (x_i - b)^2 is the mean of the x_i.
void constant_b_demo() {
  fmt::print("\n# exercise: the b minimising sum_i (x_i - b)^2\n");
  const auto x = torch::normal(/*mean=*/3, /*std=*/2, {100}).to(torch::kDouble);
  auto b = torch::zeros({1}, torch::dtype(torch::kDouble).requires_grad(true));
  constexpr double kLr = 0.001;
  for (int step = 0; step < 200; ++step) {
    auto l = (x - b).pow(2).sum();
    l.backward();
    torch::NoGradGuard no_grad;
    b -= kLr * b.grad();
    b.grad().zero_();
  }
  fmt::print(
      "gradient descent: b = {:.6f}; mean of x = {:.6f}\n"
      "(d/db sum (x_i - b)^2 = -2 sum (x_i - b) = 0  =>  b = mean(x))\n",
      b.item<double>(),
      x.mean().item<double>());
}

// Laplace(0, scale) noise by inverse CDF from uniform draws.
torch::Tensor laplace(c10::IntArrayRef shape, double scale) {
  const auto u = torch::rand(shape) - 0.5;
  return -scale * torch::sign(u) * torch::log1p(-2 * u.abs());
}

// Exercise 3: y = Xw + b + Laplace noise.
void laplace_demo() {
  fmt::print("\n# exercise: Laplace noise p(eps) = exp(-|eps|)/2\n");
  fmt::print(
      "-log P(y | X) = sum_i [ log 2 + |y_i - x_i^T w - b| ]: minimising it "
      "is minimising the absolute loss\n");
  const auto features = torch::normal(/*mean=*/0, /*std=*/1, {kNumExamples, 2});
  const auto labels = (torch::matmul(features, true_w()) + kTrueB +
                       laplace({kNumExamples}, /*scale=*/1.0))
                          .reshape({-1, 1});
  auto abs_loss = [](const torch::Tensor& y_hat, const torch::Tensor& y) {
    return (y_hat - y.reshape(y_hat.sizes())).abs();
  };
  auto [w, b] = train_sgd(features, labels, abs_loss, kLaplaceEpochs);
  const auto residual = labels.reshape({-1}) - torch::matmul(features, w) - b;
  fmt::print(
      "SGD on |y_hat - y| ({} epochs): w = {}, b = {:.4f}; mean NLL = {:.4f}\n",
      kLaplaceEpochs,
      d2l::repr(w),
      b.item<double>(),
      (std::log(2.0) + residual.abs()).mean().item<double>());
  fmt::print("true: w = {}, b = {}\n", d2l::repr(true_w()), kTrueB);
}

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.1", "Linear regression");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  bool analytic = false;
  bool constant_b = false;
  bool laplace_noise = false;
  app.cli().add_flag("--analytic", analytic, "exercise: closed-form solution");
  app.cli().add_flag(
      "--constant-b", constant_b, "exercise: argmin_b is the mean");
  app.cli().add_flag("--laplace", laplace_noise, "exercise: Laplace noise");

  return app.run(argc, argv, [&] {
    // cell 2: two vectors of ones
    const auto a = torch::ones({kN});
    const auto b = torch::ones({kN});

    // cell 4: add them element by element in a loop
    auto c = torch::zeros({kN});
    d2l::Timer timer;
    for (int64_t i = 0; i < kN; ++i) {
      c[i] = a[i] + b[i];
    }
    fmt::print("{}\n", d2l::py_str(fmt::format("{:.5f} sec", timer.stop())));

    // cell 5: the vectorized add
    timer.start();
    const auto d = a + b;
    fmt::print("{}\n", d2l::py_str(fmt::format("{:.5f} sec", timer.stop())));

    // cell 7: plot the three normal densities
    const auto x = torch::arange(-7, 7, 0.01, torch::kFloat64);
    std::vector<d2l::Series> lines;
    d2l::PlotOptions options;
    options.xlabel = "x";
    options.ylabel = "p(x)";
    options.figsize = {4.5, 2.5};
    for (const auto& [mu, sigma] : kParams) {
      lines.push_back(
          {d2l::to_vector(x), d2l::to_vector(normal(x, mu, sigma))});
      options.legend.push_back(fmt::format("mean {}, std {}", mu, sigma));
    }
    d2l::plot(lines, options, app.figure("3.1_cell07_fig1"));

    if (analytic) {
      analytic_demo();
    }
    if (constant_b) {
      constant_b_demo();
    }
    if (laplace_noise) {
      laplace_demo();
    }
  });
}
