// Section 3.1 Linear regression: the exercises (d2l-zh 2nd ed., 3.1
// exercises 1-3), each declared once in add_exercises: its flag, what it
// shows (`--exercises` lists them) and its demo, which App::run prints after
// the book's cells. --lr, --epochs and --batch-size set the demos' SGD.
#include "exercises.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace linear_regression {
namespace {

// The 3.2 problem of the demos; their SGD settings are in exercises.h.
constexpr int64_t kNumExamples = 1000;
constexpr double kTrueB = 4.2;
// The absolute loss's gradient does not shrink near the optimum: more epochs.
constexpr int64_t kLaplaceEpochs = 10;
// 3.1-1: the sample x_i ~ N(3, 2^2) and the gradient descent on it.
constexpr int64_t kNumSamples = 100;
constexpr double kSampleMean = 3;
constexpr double kSampleStd = 2;
constexpr double kGdLearningRate = 0.001;
constexpr int kGdSteps = 200;
// 3.1-1(b): the sigmas tried, and the grid of mu (0 to 6, step 0.001).
const std::vector<double> kSigmas = {1, 2, 4};
constexpr double kMuLow = 0;
constexpr double kMuHigh = 6;
constexpr int64_t kMuPoints = 6001;
// 3.1-2(d): the second feature is x1 + eps z; eps = 0 copies x1.
const std::vector<double> kCollinearEps = {1e-1, 1e-2, 1e-3, 1e-4, 0};
// 3.1-3(b): Laplace draws (an odd count: one middle value) and the grid of
// b, kTrueB +- 2 in steps of 0.001.
constexpr int64_t kNumLaplaceSamples = 101;
constexpr double kBHalfWidth = 2;
constexpr int64_t kBPoints = 4001;

// The true w of the 3.2 problem.
torch::Tensor true_w() {
  return torch::tensor({2.0, -3.4}, torch::kFloat32);
}

// The SGD settings of the exercise demos.
struct SgdSettings {
  double lr;
  int64_t num_epochs;
  int64_t batch_size;
  d2l::DivergenceAdvice advice;
};

// The absolute loss |y_hat - y| per example (3.1-3).
torch::Tensor abs_loss(const torch::Tensor& y_hat, const torch::Tensor& y) {
  return (y_hat - y.reshape(y_hat.sizes())).abs();
}

struct SgdResult {
  torch::Tensor w;  // shape (2)
  torch::Tensor b;  // shape (1)
  double loss;      // mean loss over the data after the last epoch
};

// Minibatch SGD on the linear model with `loss`, as in 3.2 (3.3's loader).
template <typename Loss>
SgdResult train_sgd(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    Loss loss,
    const SgdSettings& sgd) {
  auto w = torch::normal(/*mean=*/0, /*std=*/0.01, {2, 1}).requires_grad_();
  auto b = torch::zeros({1}, torch::requires_grad());
  auto data_iter = d2l::load_array({features, labels}, sgd.batch_size);
  double mean_loss = 0;
  for (int64_t epoch = 0; epoch < sgd.num_epochs; ++epoch) {
    for (const auto& batch : data_iter) {
      loss(d2l::linreg(batch[0], w, b), batch[1]).sum().backward();
      d2l::sgd({w, b}, sgd.lr, sgd.batch_size);
    }
    torch::NoGradGuard no_grad;
    mean_loss = loss(d2l::linreg(features, w, b), labels)
                    .mean()
                    .template item<double>();
    d2l::check_finite_loss(mean_loss, epoch + 1, sgd.advice);
  }
  return {w.detach().reshape({-1}), b.detach(), mean_loss};
}

// "SGD (3 epochs, lr 0.03, batch 10)"
std::string sgd_label(const SgdSettings& sgd) {
  return fmt::format(
      "SGD ({} epochs, lr {}, batch {})",
      sgd.num_epochs,
      sgd.lr,
      sgd.batch_size);
}

// Exercise 3.1-1: argmin_b sum_i (x_i - b)^2 is the mean of the x_i (a),
// the maximum-likelihood location of a Gaussian (b).
void constant_b_demo() {
  fmt::print("\n# exercise 3.1-1(a): the b minimising sum_i (x_i - b)^2\n");
  const auto x =
      torch::normal(kSampleMean, kSampleStd, {kNumSamples}).to(torch::kDouble);
  auto b = torch::zeros({1}, torch::dtype(torch::kDouble).requires_grad(true));
  for (int step = 0; step < kGdSteps; ++step) {
    auto l = (x - b).pow(2).sum();
    l.backward();
    torch::NoGradGuard no_grad;
    b -= kGdLearningRate * b.grad();
    b.grad().zero_();
  }
  const double mean = x.mean().item<double>();
  fmt::print(
      "gradient descent: b = {:.6f}; mean of x = {:.6f}\n"
      "(d/db sum (x_i - b)^2 = -2 sum (x_i - b) = 0  =>  b = mean(x))\n",
      b.item<double>(),
      mean);

  fmt::print(
      "\n# exercise 3.1-1(b): the mean is the maximum-likelihood location of "
      "a Gaussian\n");
  fmt::print(
      "-log p(x | mu, sigma) = n/2 log(2 pi sigma^2) + sum_i (x_i - mu)^2 / "
      "(2 sigma^2), over a grid of mu (step 0.001):\n");
  const auto mu = torch::linspace(kMuLow, kMuHigh, kMuPoints, torch::kDouble);
  const auto squares = (x.unsqueeze(0) - mu.unsqueeze(1)).pow(2).sum(1);
  const auto n = static_cast<double>(kNumSamples);
  for (const double sigma : kSigmas) {
    const auto nll = 0.5 * n * std::log(2 * M_PI * sigma * sigma) +
                     squares / (2 * sigma * sigma);
    const auto best = nll.argmin();
    fmt::print(
        "sigma {}: argmin mu = {:.3f}, NLL = {:.4f}\n",
        sigma,
        mu[best].item<double>(),
        nll[best].item<double>());
  }
  const double sigma_hat = (x - mean).pow(2).mean().sqrt().item<double>();
  fmt::print(
      "mean(x) = {:.6f} for every sigma: the squared loss is the Gaussian's "
      "NLL up to constants (and the best sigma is sqrt(mean (x - mean)^2) = "
      "{:.4f})\n",
      mean,
      sigma_hat);
}

// Exercise 3.1-2 (a)-(c): the matrix form, its gradient, and the closed form
// w* = (X^T X)^-1 X^T y with the bias as a column of ones.
void analytic_demo(const SgdSettings& sgd) {
  auto [features, labels] = d2l::synthetic_data(true_w(), kTrueB, kNumExamples);
  const auto X = torch::cat({features, torch::ones({kNumExamples, 1})}, 1)
                     .to(torch::kFloat64);
  const auto y = labels.to(torch::kFloat64);
  fmt::print("\n# exercise 3.1-2(a): linear regression in matrix notation\n");
  fmt::print(
      "X = [features, 1] is {} x {} (the bias as a column of ones), y is {} x "
      "1, w = (w1, w2, b):\nminimise L(w) = ||y - X w||^2 = (y - X w)^T (y - X "
      "w)\n",
      X.size(0),
      X.size(1),
      y.size(0));

  fmt::print("\n# exercise 3.1-2(b): the gradient of L with respect to w\n");
  auto w0 = torch::ones({3, 1}, torch::kFloat64).requires_grad_();
  (y - X.matmul(w0)).pow(2).sum().backward();
  const auto formula = 2 * X.t().matmul(X.matmul(w0.detach()) - y);
  fmt::print(
      "at w = (1, 1, 1):\nautograd        {}\n2 X^T (X w - y) {}\n"
      "max difference: {:.3e}\n",
      d2l::repr(w0.grad().reshape({-1})),
      d2l::repr(formula.reshape({-1})),
      (w0.grad() - formula).abs().max().item<double>());

  fmt::print(
      "\n# exercise 3.1-2(c): gradient 0 => X^T X w = X^T y => w* = (X^T "
      "X)^-1 X^T y\n");
  const auto w_star =
      torch::linalg_solve(X.t().matmul(X), X.t().matmul(y), /*left=*/true)
          .reshape({-1});
  fmt::print(
      "analytic: w = {}, b = {:.6f}\n",
      d2l::repr(w_star.slice(0, 0, 2).to(torch::kFloat32)),
      w_star[2].item<double>());
  const auto fit = train_sgd(features, labels, d2l::squared_loss, sgd);
  fmt::print(
      "{}: w = {}, b = {:.6f}\n",
      sgd_label(sgd),
      d2l::repr(fit.w),
      fit.b.item<double>());
  fmt::print("true: w = {}, b = {}\n", d2l::repr(true_w()), kTrueB);
}

// "1.234, -5.678"
std::string pair_str(const torch::Tensor& w) {
  return fmt::format(
      "{:.3f}, {:.3f}", w[0].item<double>(), w[1].item<double>());
}

// Exercise 3.1-2(d): the closed form's cost, and a nearly collinear feature.
void collinear_demo(const SgdSettings& sgd) {
  fmt::print(
      "\n# exercise 3.1-2(d): when is the closed form better than SGD, and "
      "when does it break down?\n");
  fmt::print(
      "cost: X^T X takes O(n d^2), its solve O(d^3), one SGD epoch O(n d): "
      "the closed form wins while d is small (here n = {}, d = 3) and X fits "
      "in memory\n",
      kNumExamples);
  fmt::print(
      "features x1 and x2 = x1 + eps z (x1, z ~ N(0, 1)); y = 2 x1 - 3.4 x2 + "
      "4.2 + noise, the same draws for every eps;\nloss = mean (y_hat - y)^2 "
      "/ 2; {}\n",
      sgd_label(sgd));
  const auto base = torch::normal(/*mean=*/0, /*std=*/1, {kNumExamples, 2});
  const auto noise = torch::normal(/*mean=*/0, /*std=*/0.01, {kNumExamples});
  fmt::print(
      "{:>7} {:>12} {:>18} {:>9} {:>16} {:>9}\n",
      "eps",
      "cond(X^T X)",
      "closed-form w",
      "loss",
      "SGD w",
      "loss");
  for (const double eps : kCollinearEps) {
    const auto x1 = base.select(1, 0);
    const auto features = torch::stack({x1, x1 + eps * base.select(1, 1)}, 1);
    const auto labels =
        (torch::matmul(features, true_w()) + kTrueB + noise).reshape({-1, 1});
    const auto X = torch::cat({features, torch::ones({kNumExamples, 1})}, 1)
                       .to(torch::kFloat64);
    const auto y = labels.to(torch::kFloat64);
    const auto rank =
        torch::linalg_matrix_rank(
            X, /*atol=*/c10::optional<double>(), /*rtol=*/c10::nullopt)
            .item<int64_t>();
    std::string cond = fmt::format("rank(X) {}", rank);
    std::string closed = "singular";
    std::string closed_loss = "-";
    if (rank == X.size(1)) {
      // cond(X^T X) = cond(X)^2, and X's is the more accurate to compute.
      const double cond_x = torch::linalg_cond(X).item<double>();
      cond = fmt::format("{:.2e}", cond_x * cond_x);
      const auto w =
          torch::linalg_solve(X.t().matmul(X), X.t().matmul(y), /*left=*/true);
      closed = pair_str(w.reshape({-1}));
      closed_loss = fmt::format(
          "{:.2e}", d2l::squared_loss(X.matmul(w), y).mean().item<double>());
    }
    const auto fit = train_sgd(features, labels, d2l::squared_loss, sgd);
    fmt::print(
        "{:>7} {:>12} {:>18} {:>9} {:>16} {:>9.2e}\n",
        eps,
        cond,
        closed,
        closed_loss,
        pair_str(fit.w),
        fit.loss);
  }
  fmt::print(
      "-> as eps -> 0 only w1 + w2 = -1.4 is pinned down: the closed form "
      "still fits best, but its w1, w2 follow the noise (error ~ 0.01 / (eps "
      "sqrt(n))), and at eps = 0 X^T X has no inverse; SGD from w ~ 0 fits "
      "w1 + w2 but barely moves w1 - w2 (its curvature is ~ eps^2): for small "
      "eps it ends near w1 = w2 = -0.7, with a loss near the closed form's\n");
}

// Laplace(0, scale) noise by inverse CDF from uniform draws.
torch::Tensor laplace(c10::IntArrayRef shape, double scale) {
  const auto u = torch::rand(shape) - 0.5;
  return -scale * torch::sign(u) * torch::log1p(-2 * u.abs());
}

// y = Xw + b + Laplace noise, X ~ N(0, 1) (3.1-3).
std::pair<torch::Tensor, torch::Tensor> laplace_data() {
  const auto features = torch::normal(/*mean=*/0, /*std=*/1, {kNumExamples, 2});
  const auto labels = (torch::matmul(features, true_w()) + kTrueB +
                       laplace({kNumExamples}, /*scale=*/1.0))
                          .reshape({-1, 1});
  return {features, labels};
}

// Exercise 3.1-3 (a), (b): the negative log-likelihood under Laplace noise;
// a constant model's minimiser is the median, a general X's solves a linear
// program.
void laplace_demo(const SgdSettings& sgd) {
  fmt::print(
      "\n# exercise 3.1-3(a): the negative log-likelihood under Laplace noise "
      "p(eps) = exp(-|eps|)/2\n");
  fmt::print(
      "-log P(y | X) = sum_i [ log 2 + |y_i - x_i^T w - b| ]: minimising it "
      "is minimising the absolute loss\n");
  const auto data = laplace_data();
  const auto& features = data.first;
  const auto& labels = data.second;
  const auto fit = train_sgd(features, labels, abs_loss, sgd);
  auto mean_nll = [&](const torch::Tensor& w, double b) {
    const auto residual = labels.reshape({-1}) - torch::matmul(features, w) - b;
    return (std::log(2.0) + residual.abs()).mean().item<double>();
  };
  fmt::print(
      "{} on |y_hat - y|: w = {}, b = {:.4f}\n",
      sgd_label(sgd),
      d2l::repr(fit.w),
      fit.b.item<double>());
  fmt::print(
      "mean NLL: {:.4f} at the SGD fit, {:.4f} at the true w = {}, b = {}\n",
      mean_nll(fit.w, fit.b.item<double>()),
      mean_nll(true_w(), kTrueB),
      d2l::repr(true_w()),
      kTrueB);

  fmt::print(
      "\n# exercise 3.1-3(b): the analytic solution: a constant model's "
      "argmin_b "
      "sum_i |x_i - b| is the median; with features, a linear program\n");
  const auto x = (kTrueB + laplace({kNumLaplaceSamples}, /*scale=*/1.0))
                     .to(torch::kDouble);
  const double median = x.median().item<double>();
  const double mean = x.mean().item<double>();
  const auto b = torch::linspace(
      kTrueB - kBHalfWidth, kTrueB + kBHalfWidth, kBPoints, torch::kDouble);
  const auto total = (x.unsqueeze(0) - b.unsqueeze(1)).abs().sum(1);
  auto total_at = [&](double value) {
    return (x - value).abs().sum().item<double>();
  };
  fmt::print(
      "x: {} draws of {} + Laplace noise: median = {:.4f}, mean = {:.4f}\n",
      kNumLaplaceSamples,
      kTrueB,
      median,
      mean);
  fmt::print(
      "grid argmin of sum_i |x_i - b| (step 0.001): b = {:.3f}\n",
      b[total.argmin()].item<double>());
  fmt::print(
      "sum_i |x_i - b| = {:.4f} at the median, {:.4f} at the mean\n",
      total_at(median),
      total_at(mean));
  fmt::print(
      "the subgradient #(x_i < b) - #(x_i > b) + [-1, 1] holds 0 at the "
      "median: {} below, {} above\n",
      (x < median).sum().item<int64_t>(),
      (x > median).sum().item<int64_t>());
  fmt::print(
      "with features, minimising sum_i |y_i - x_i^T w - b| has no closed-form "
      "formula: it is a linear program (minimise sum_i t_i subject to -t_i <= "
      "y_i - x_i^T w - b <= t_i), and when [X, 1] has rank d (here d = 3: w1, "
      "w2, b) some minimiser makes at least d residuals zero, a vertex of that "
      "program (the constant model: d = 1, and the median above is one of the "
      "x_i)\n");
}

// One epoch of SGD on the absolute loss: its learning rate, b at its end,
// the range of b over its steps and the mean size of a step of b.
struct EpochTrace {
  double lr;
  double b;
  double range;
  double mean_step;
};

// `num_epochs` epochs of minibatch SGD on the absolute loss from (w, b),
// which it updates, tracing b step by step: learning rate sgd.lr in every
// epoch, or sgd.lr / k in the k-th (`decay`). `b_prev` is b before the first
// step; `first_epoch` numbers the epochs in divergence messages.
std::vector<EpochTrace> abs_sgd_epochs(
    const torch::Tensor& features,
    const torch::Tensor& labels,
    const SgdSettings& sgd,
    torch::Tensor& w,
    torch::Tensor& b,
    bool decay,
    int64_t first_epoch) {
  auto data_iter = d2l::load_array({features, labels}, sgd.batch_size);
  std::vector<EpochTrace> trace;
  double b_prev = b.item<double>();
  for (int64_t k = 1; k <= sgd.num_epochs; ++k) {
    const double lr = decay ? sgd.lr / static_cast<double>(k) : sgd.lr;
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    double steps = 0;
    int64_t num_steps = 0;
    for (const auto& batch : data_iter) {
      abs_loss(d2l::linreg(batch[0], w, b), batch[1]).sum().backward();
      d2l::sgd({w, b}, lr, sgd.batch_size);
      const double b_now = b.item<double>();
      low = std::min(low, b_now);
      high = std::max(high, b_now);
      steps += std::abs(b_now - b_prev);
      b_prev = b_now;
      ++num_steps;
    }
    torch::NoGradGuard no_grad;
    d2l::check_finite_loss(
        abs_loss(d2l::linreg(features, w, b), labels).mean().item<double>(),
        first_epoch + k - 1,
        sgd.advice);
    trace.push_back(
        {lr, b_prev, high - low, steps / static_cast<double>(num_steps)});
  }
  return trace;
}

// A copy of a parameter, detached, that records gradients.
torch::Tensor fork(const torch::Tensor& param) {
  return param.detach().clone().requires_grad_();
}

// Exercise 3.1-3(c): SGD on the absolute loss near its optimum, and a fix.
void laplace_sgd_demo(const SgdSettings& sgd) {
  fmt::print(
      "\n# exercise 3.1-3(c): SGD on the absolute loss near its optimum\n");
  const auto [features, labels] = laplace_data();
  const int64_t n = sgd.num_epochs;
  fmt::print(
      "Laplace data as in (a), minibatch {}; epochs 1-{}: lr {} from w ~ "
      "N(0, 0.01^2), b = 0;\nepochs {}-{}, from there: left lr {} kept, "
      "right lr {} / k in the k-th epoch\n",
      sgd.batch_size,
      n,
      sgd.lr,
      n + 1,
      2 * n,
      sgd.lr,
      sgd.lr);
  auto w = torch::normal(/*mean=*/0, /*std=*/0.01, {2, 1}).requires_grad_();
  auto b = torch::zeros({1}, torch::requires_grad());
  const auto approach = abs_sgd_epochs(
      features, labels, sgd, w, b, /*decay=*/false, /*first_epoch=*/1);
  auto w_decay = fork(w);
  auto b_decay = fork(b);
  const auto kept = abs_sgd_epochs(
      features, labels, sgd, w, b, /*decay=*/false, /*first_epoch=*/n + 1);
  const auto decayed = abs_sgd_epochs(
      features,
      labels,
      sgd,
      w_decay,
      b_decay,
      /*decay=*/true,
      /*first_epoch=*/n + 1);
  fmt::print(
      "{:>5} {:>9} {:>8} {:>9}   {:>9} {:>9} {:>8} {:>9}\n",
      "epoch",
      "b",
      "range",
      "mean|db|",
      "lr",
      "b",
      "range",
      "mean|db|");
  auto row = [](const EpochTrace& t) {
    return fmt::format("{:>9.4f} {:>8.4f} {:>9.5f}", t.b, t.range, t.mean_step);
  };
  for (int64_t i = 0; i < n; ++i) {
    fmt::print("{:>5} {}\n", i + 1, row(approach[i]));
  }
  for (int64_t i = 0; i < n; ++i) {
    fmt::print(
        "{:>5} {}   {:>9.5f} {}\n",
        n + i + 1,
        row(kept[i]),
        decayed[i].lr,
        row(decayed[i]));
  }
  fmt::print(
      "(range: max - min of b over the epoch's steps; mean|db|: the mean size "
      "of one step of b)\n"
      "-> the gradient of |r| is sign(r), as large next to the optimum as far "
      "from it: with a constant lr, b keeps jumping by ~lr times the batch's "
      "mean sign and never settles; lr / k (the sum of the lr's infinite, "
      "of their squares finite) shrinks the jumps and b settles. The Huber "
      "loss (3.3's --loss huber) is another fix: its gradient shrinks near "
      "0\n");
}

}  // namespace

void add_exercises(d2l::App& app, ExerciseOptions& options) {
  auto& cli = app.cli();
  app.add_training_flags(options.lr, options.num_epochs, options.batch_size);
  cli.get_option("--lr")->description(
      "learning rate of the exercises' SGD (--analytic, --collinear, "
      "--laplace, --laplace-sgd)");
  cli.get_option("--epochs")
      ->description(
          "epochs of the exercises' SGD (--laplace and --laplace-sgd: 10 "
          "unless "
          "given)");
  cli.get_option("--batch-size")
      ->description("minibatch size of the exercises' SGD");
  // The SGD settings of this run's demos: the absolute loss's train longer
  // unless --epochs says otherwise.
  const auto sgd = [&app, &options] {
    return SgdSettings{
        options.lr,
        options.num_epochs,
        options.batch_size,
        app.divergence_advice()};
  };
  const auto laplace_sgd = [&app, sgd] {
    SgdSettings settings = sgd();
    if (!app.given("--epochs")) {
      settings.num_epochs = kLaplaceEpochs;
    }
    return settings;
  };

  app.exercise(
         "3.1-1(a)",
         "argmin_b sum_i (x_i - b)^2: gradient descent lands on mean(x)")
      .part(
          "3.1-1(b)",
          "the Gaussian NLL over a grid of mu is least at mean(x), for any "
          "sigma")
      .flag(
          "--constant-b",
          "the b minimising sum_i (x_i - b)^2 is the mean, the Gaussian "
          "maximum-likelihood location")
      .runs([] { constant_b_demo(); });
  app.exercise(
         "3.1-2(a)",
         "linear regression as ||y - Xw||^2, the bias a column of ones in X")
      .part("3.1-2(b)", "its gradient by autograd = 2 X^T (Xw - y)")
      .part(
          "3.1-2(c)",
          "gradient 0: w* = (X^T X)^-1 X^T y, next to minibatch SGD's "
          "estimate")
      .flag(
          "--analytic",
          "||y - Xw||^2, its gradient, the closed form next to SGD")
      .runs([sgd] { analytic_demo(sgd()); });
  app.exercise(
         "3.1-2(d)",
         "cost O(nd^2 + d^3); as x2 -> x1, cond(X^T X) explodes and the "
         "closed form's w follows the noise, SGD still trains")
      .flag(
          "--collinear",
          "the closed form's cost; nearly collinear features break it, SGD "
          "still trains")
      .runs([sgd] { collinear_demo(sgd()); });
  app.exercise(
         "3.1-3(a)",
         "Laplace noise: -log P(y|X) = sum (log 2 + |y - Xw - b|); SGD on the "
         "absolute loss")
      .part(
          "3.1-3(b)",
          "a constant model's argmin of sum |x_i - b| is the median (vs the "
          "mean, a grid); with features no closed form: a linear program")
      .flag(
          "--laplace",
          "Laplace noise: the negative log-likelihood, SGD on the absolute "
          "loss, the median, a linear program")
      .runs([laplace_sgd] { laplace_demo(laplace_sgd()); });
  app.exercise(
         "3.1-3(c)",
         "constant-lr SGD on |r| keeps bouncing near the optimum; lr / k in "
         "the k-th epoch settles")
      .flag(
          "--laplace-sgd",
          "SGD on the absolute loss bounces near the optimum; a decaying step "
          "settles")
      .runs([laplace_sgd] { laplace_sgd_demo(laplace_sgd()); });
}

}  // namespace linear_regression
