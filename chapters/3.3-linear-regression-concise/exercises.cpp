// Section 3.3's exercises (d2l-zh 2nd ed., 3.3 exercises 1-3), each
// declared once in add_exercises: its flag, what it shows (`--exercises`
// lists them) and its demo, which App::run prints after the book's cells.
// --reduction and --loss change cell 8 instead (main.cpp).
#include "exercises.h"

#include <d2l/d2l.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace concise {
namespace {

// --newton: feature counts to time
const std::vector<int64_t> kNewtonDims = {2, 200, 2000};
// --inits: the uniform initialiser's range
constexpr double kUniformBound = 1.0;

using LossFn =
    std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

// Exercise 3.3-1 asks what the learning rate becomes when the minibatch's
// summed loss is replaced by its mean; the book's PyTorch code already
// averages, so --reduction sum shows the other direction.
void reduction_demo(
    const d2l::ArrayLoader& data_iter, int64_t num_examples, double lr) {
  const int64_t batch_size = data_iter.batch_size();
  fmt::print(
      "\n# exercise 3.3-1: the minibatch loss's sum instead of its mean (the "
      "book asks the reverse)\n");
  fmt::print(
      "the book's code already averages the minibatch loss (reduction='mean', "
      "nn.MSELoss's default), so this run (--reduction sum) goes the other "
      "way, mean -> sum\n");
  fmt::print(
      "the sum's gradient is batch_size = {} times the mean's: lr_sum = "
      "lr_mean / batch_size takes the same steps (and from sum to mean, "
      "lr_mean = batch_size * lr_sum)\n",
      batch_size);
  const int64_t last =
      num_examples - (data_iter.num_batches() - 1) * batch_size;
  fmt::print(
      "this run: --lr {:g} with the sum steps as --lr {:g} with the mean (the "
      "book's: 0.03){}; the losses above are sums over the {} examples, {} "
      "times their mean\n",
      lr,
      lr * static_cast<double>(batch_size),
      last < batch_size
          ? fmt::format(
                ", except the short last minibatch of {}: its sum is {} times "
                "its mean, so its step is {}/{} of the mean's",
                last,
                last,
                last,
                batch_size)
          : "",
      num_examples,
      num_examples);
}

// Exercise 3.3-1: one Newton step on the squared loss vs one SGD epoch, as d
// grows. The loss here is 1/2n |X theta - y|^2: gradient X^T(X theta - y)/n,
// Hessian X^T X / n.
void newton_demo(
    double true_b, int64_t num_examples, int64_t batch_size, double lr) {
  fmt::print(
      "\n# exercise 3.3-1: Newton's method vs SGD on the squared loss: no "
      "learning rate to rescale\n");
  for (const int64_t d : kNewtonDims) {
    // At least 2 examples per feature, so the least-squares problem has one
    // solution, and a step size SGD stays stable with (lr * |x|^2 < 1).
    const int64_t n = std::max(num_examples, 2 * d);
    const double sgd_lr = std::min(lr, 1.0 / static_cast<double>(d + 1));
    const auto true_w = torch::randn({d}) / std::sqrt(static_cast<double>(d));
    auto [X, y] = d2l::synthetic_data(true_w, true_b, n);
    const auto Xb = torch::cat({X, torch::ones({n, 1})}, 1);
    const auto target = torch::cat({true_w, torch::tensor({true_b})});

    // Newton: theta <- theta - H^-1 grad; the loss is quadratic, so one step
    // from zero lands on the least-squares solution.
    d2l::Timer timer;
    const auto theta0 = torch::zeros({d + 1, 1});
    const auto residual = Xb.matmul(theta0) - y;
    const auto xtx = Xb.t().matmul(Xb);
    const auto grad = Xb.t().matmul(residual) / n;
    const auto hessian = xtx / n;  // (d+1) x (d+1)
    const auto theta =
        theta0 - torch::linalg_solve(hessian, grad, /*left=*/true);
    const double newton_s = timer.stop();
    // The summed loss: gradient and Hessian both n times larger, same step.
    const auto theta_sum =
        theta0 -
        torch::linalg_solve(xtx, Xb.t().matmul(residual), /*left=*/true);

    auto net = torch::nn::Linear(d, 1);
    torch::optim::SGD trainer(
        net->parameters(), torch::optim::SGDOptions(sgd_lr));
    torch::nn::MSELoss loss;
    timer.start();
    for (const auto& batch : d2l::load_array({X, y}, batch_size)) {
      auto l = loss(net->forward(batch[0]), batch[1]);
      trainer.zero_grad();
      l.backward();
      trainer.step();
    }
    const double sgd_s = timer.stop();
    const auto sgd_theta =
        torch::cat({net->weight.detach().reshape({-1}), net->bias.detach()});
    fmt::print(
        "d = {}, n = {}: the Hessian is {} x {} floats = {} bytes\n"
        "  Newton, one step: {:.5f} sec, parameter error {:.3e}; the summed "
        "loss's step differs by {:.1e}\n"
        "  SGD (lr {:.2e}), one epoch: {:.5f} sec, parameter error {:.3e}\n",
        d,
        n,
        d + 1,
        d + 1,
        (d + 1) * (d + 1) * 4,
        newton_s,
        (theta.reshape({-1}) - target).norm().item<double>(),
        (theta_sum - theta).abs().max().item<double>(),
        sgd_lr,
        sgd_s,
        (sgd_theta - target).norm().item<double>());
  }
  fmt::print(
      "Newton's step H^-1 g is the same whether the loss is summed or "
      "averaged: no learning rate to rescale. It costs the d x d Hessian "
      "(O(d^2) memory) and a solve (O(d^3) time) per step; an SGD step costs "
      "O(d) per example.\n");
}

// The default generator's state, to start several trainings from one state.
torch::Tensor rng_state() {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

void set_rng_state(const torch::Tensor& state) {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
}

// Exercise 3.3-2: cells 6-10 for one (loss, initialiser) pair: a fresh
// nn::Linear(2, 1), `init` applied to it, SGD over `data_iter`. The generator
// starts from `state` for the initialisation and again for the minibatches,
// so every variant sees the same minibatches. Prints one line: `name`, the
// initial weight when `show_init`, the final MSE on the whole dataset and the
// estimation errors against (`true_w`, `true_b`).
void train_variant(
    const std::string& name,
    const LossFn& loss,
    const std::function<void(torch::nn::Linear&)>& init,
    bool show_init,
    const d2l::ArrayLoader& data_iter,
    double lr,
    int64_t num_epochs,
    const torch::Tensor& state,
    const torch::Tensor& true_w,
    double true_b) {
  const auto& features = data_iter.arrays()[0];
  const auto& labels = data_iter.arrays()[1];
  set_rng_state(state);
  torch::nn::Linear linear(2, 1);
  init(linear);
  const auto w0 = linear->weight.detach().clone();
  set_rng_state(state);
  torch::optim::SGD trainer(linear->parameters(), torch::optim::SGDOptions(lr));
  for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
    for (const auto& batch : data_iter) {
      auto l = loss(linear->forward(batch[0]), batch[1]);
      trainer.zero_grad();
      l.backward();
      trainer.step();
    }
  }
  torch::NoGradGuard no_grad;
  const double mse =
      torch::nn::functional::mse_loss(linear->forward(features), labels)
          .item<double>();
  const auto w_error = true_w - linear->weight.reshape({2});
  const double b_error = true_b - linear->bias.item<double>();
  std::string line = fmt::format("{:<31}", name);
  if (show_init) {
    line += fmt::format(
        "  w0 [{:+.4f}, {:+.4f}]",
        w0[0][0].item<double>(),
        w0[0][1].item<double>());
  }
  if (std::isfinite(mse)) {
    line += fmt::format(
        "  MSE {:.6f}  w error [{:+.6f}, {:+.6f}]  b error {:+.6f}",
        mse,
        w_error[0].item<double>(),
        w_error[1].item<double>(),
        b_error);
  } else {
    line += "  diverged";
  }
  fmt::print("{}\n", line);
}

// The book's cell 7: weight ~ N(0, 0.01), bias 0.
void book_init(torch::nn::Linear& linear) {
  linear->weight.data().normal_(/*mean=*/0, /*std=*/0.01);
  linear->bias.data().fill_(0);
}

// Exercise 3.3-2: LibTorch's regression losses on the same problem, from the
// same start with the same minibatches.
void losses_demo(
    const torch::Tensor& true_w,
    double true_b,
    const d2l::ArrayLoader& data_iter,
    double lr,
    int64_t num_epochs,
    double sigma) {
  fmt::print(
      "\n# exercise 3.3-2: LibTorch's regression losses (reduction mean), "
      "same start and minibatches\n");
  const std::string s = fmt::format("{}", sigma);
  const std::vector<std::pair<std::string, LossFn>> losses = {
      {"MSELoss (the book's)", torch::nn::MSELoss()},
      {"L1Loss", torch::nn::L1Loss()},
      {"SmoothL1Loss(beta=" + s + ")",
       torch::nn::SmoothL1Loss(torch::nn::SmoothL1LossOptions().beta(sigma))},
      {"HuberLoss(delta=" + s + ")",
       torch::nn::HuberLoss(torch::nn::HuberLossOptions().delta(sigma))},
  };
  const auto state = rng_state();
  for (const auto& [name, loss] : losses) {
    train_variant(
        name,
        loss,
        book_init,
        /*show_init=*/false,
        data_iter,
        lr,
        num_epochs,
        state,
        true_w,
        true_b);
  }
  fmt::print(
      "L1, SmoothL1 and Huber bound each example's gradient (by 1, 1 and "
      "delta): robust to outliers, slower from a far start. HuberLoss(delta) = "
      "delta * "
      "SmoothL1Loss(beta=delta): quadratic near 0, linear beyond "
      "(--huber-sigma).\n");
}

// Exercise 3.3-2: torch::nn::init's initialisers on the same problem.
void inits_demo(
    const torch::Tensor& true_w,
    double true_b,
    const d2l::ArrayLoader& data_iter,
    double lr,
    int64_t num_epochs) {
  namespace init = torch::nn::init;
  fmt::print(
      "\n# exercise 3.3-2: torch::nn::init initialisers for the weight (bias "
      "0), MSELoss, same minibatches\n");
  using Init = std::function<void(torch::nn::Linear&)>;
  const auto weight_only = [](std::function<void(torch::Tensor)> f) {
    return Init([f](torch::nn::Linear& linear) {
      f(linear->weight);
      init::zeros_(linear->bias);
    });
  };
  const std::vector<std::pair<std::string, Init>> inits = {
      {"normal_(0, 0.01) (the book's)", weight_only([](torch::Tensor w) {
         init::normal_(w, /*mean=*/0, /*std=*/0.01);
       })},
      {"zeros_", weight_only([](torch::Tensor w) { init::zeros_(w); })},
      {"uniform_(-1, 1)", weight_only([](torch::Tensor w) {
         init::uniform_(w, -kUniformBound, kUniformBound);
       })},
      {"xavier_uniform_",
       weight_only([](torch::Tensor w) { init::xavier_uniform_(w); })},
      {"xavier_normal_",
       weight_only([](torch::Tensor w) { init::xavier_normal_(w); })},
      {"kaiming_uniform_",
       weight_only([](torch::Tensor w) { init::kaiming_uniform_(w); })},
      {"kaiming_normal_",
       weight_only([](torch::Tensor w) { init::kaiming_normal_(w); })},
      {"Linear's own (bias too)", [](torch::nn::Linear&) {}},
  };
  const auto state = rng_state();
  for (const auto& [name, weight_init] : inits) {
    train_variant(
        name,
        torch::nn::MSELoss(),
        weight_init,
        /*show_init=*/true,
        data_iter,
        lr,
        num_epochs,
        state,
        true_w,
        true_b);
  }
  fmt::print(
      "The squared loss of a linear model is convex, with one minimiser here "
      "([X, 1] has full rank): every start reaches the same line (init matters "
      "in deeper nets, 3.2-1). Also in "
      "torch::nn::init: constant_, ones_, eye_, dirac_, orthogonal_, "
      "sparse_.\n");
}

// Exercise 3.3-3: the parameters' gradients after the last minibatch step.
void show_grad_demo(const torch::nn::LinearImpl& linear) {
  fmt::print(
      "\n# exercise 3.3-3: the gradients, linear->weight.grad() and "
      "linear->bias.grad(), after the last minibatch step\n");
  fmt::print(
      "weight.grad: {}\nbias.grad: {}\n",
      d2l::repr(linear.weight.grad()),
      d2l::repr(linear.bias.grad()));
}

}  // namespace

void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells) {
  app.exercise(
         "3.3-1",
         "the book's code already averages (reduction='mean'); mean -> sum: "
         "lr / batch_size = 0.03 / 10 takes the same steps, the book's "
         "parameters (losses print as sums, 1000x)")
      .option(
          "--reduction",
          options.reduction,
          "sum",
          "loss reduction: mean (the book's) or sum (then divide --lr by the "
          "batch size for the same steps)",
          CLI::IsMember({"mean", "sum"}))
      .with("--lr 0.003")
      .runs([&options, &cells] {
        if (options.reduction == "sum") {  // not for an explicit "mean"
          reduction_demo(*cells.data_iter, cells.num_examples, cells.lr);
        }
      });
  app.exercise(
         "3.3-1", "Newton's step needs no learning rate; its cost as d grows")
      .flag("--newton", "Newton's method vs SGD: a step with no learning rate")
      .runs([&cells] {
        newton_demo(
            cells.true_b, cells.num_examples, cells.batch_size, cells.lr);
      });
  app.exercise("3.3-2", "the book's run with the Huber loss")
      .option(
          "--loss",
          options.loss_name,
          "huber",
          "the loss: mse (the book's) or huber (SmoothL1Loss, beta = "
          "--huber-sigma)",
          CLI::IsMember({"mse", "huber"}))
      .with("--huber-sigma 0.5");
  auto* huber_sigma_flag =
      app.cli()
          .add_option(
              "--huber-sigma",
              options.huber_sigma,
              "exercise 3.3-2: the Huber loss's threshold sigma (--loss "
              "huber, --losses)")
          ->check(d2l::PositiveFinite)
          ->capture_default_str();
  app.exercise(
         "3.3-2", "MSE, L1, SmoothL1 and Huber losses from the same start")
      .flag(
          "--losses",
          "train with MSELoss, L1Loss, SmoothL1Loss and HuberLoss side by "
          "side")
      .runs([&options, &cells] {
        losses_demo(
            cells.true_w,
            cells.true_b,
            *cells.data_iter,
            cells.lr,
            cells.num_epochs,
            options.huber_sigma);
      });
  app.exercise(
         "3.3-2",
         "eight initialisers from torch::nn::init: all reach the same line")
      .flag("--inits", "train from torch::nn::init's initialisers side by side")
      .runs([&cells] {
        inits_demo(
            cells.true_w,
            cells.true_b,
            *cells.data_iter,
            cells.lr,
            cells.num_epochs);
      });
  app.exercise("3.3-3", "net[0].weight.grad and .bias.grad after the last step")
      .flag("--show-grad", "print the parameters' gradients after training")
      .runs(
          [&cells] { show_grad_demo(*cells.net[0]->as<torch::nn::Linear>()); });

  // A sigma with no Huber loss to use it would be silently ignored.
  app.add_check([&app, &options, huber_sigma_flag] {
    if (huber_sigma_flag->count() > 0 && options.loss_name != "huber" &&
        !app.given("--losses")) {
      throw d2l::UsageError(
          "--huber-sigma: only the Huber loss uses it; add --loss huber (or "
          "--losses)");
    }
  });
}

}  // namespace concise
