// Section 3.3 Concise implementation of linear regression (d2l-zh 2nd ed.).
//
// The same problem as 3.2 with LibTorch's high-level API: a DataLoader-like
// d2l::load_array, nn::Linear, nn::MSELoss and optim::SGD. Exercise flags
// (defaults reproduce the book):
//   --loss huber --huber-sigma S   the book's Huber loss (SmoothL1, beta = S)
//   --reduction sum                sum instead of mean: scale lr by 1/batch
//   --show-grad                    print the parameters' gradients
//   --drop-last                    drop the short last minibatch
//   --newton                       Newton's method vs gradient descent: one
//                                  step solves it, at O(d^2) memory, O(d^3)
//   --lr, --epochs, --batch-size, --num-examples
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <iostream>

namespace {

// cell 2: the true parameters and dataset size
constexpr double kTrueB = 4.2;
constexpr int64_t kNumExamples = 1000;
// cell 4: minibatch size
constexpr int64_t kBatchSize = 10;
// cell 9: learning rate
constexpr double kLearningRate = 0.03;
// cell 10: number of epochs
constexpr int64_t kNumEpochs = 3;
// --newton: feature counts to time
const std::vector<int64_t> kNewtonDims = {2, 200, 2000};

// Exercise: one Newton step on the squared loss vs one SGD epoch, as d grows.
void newton_demo(int64_t num_examples, int64_t batch_size, double lr) {
  // The loss here is 1/2n |X theta - y|^2: gradient X^T(X theta - y)/n,
  // Hessian X^T X / n.
  fmt::print(
      "\n# exercise: Newton's method vs gradient descent on the squared loss\n"
      "{:>6} {:>8} {:>9} {:>12} {:>10} {:>12} {:>11} {:>11}\n",
      "d",
      "n",
      "sgd lr",
      "hessian MiB",
      "newton s",
      "sgd epoch s",
      "newton err",
      "sgd err");
  for (const int64_t d : kNewtonDims) {
    // At least 2 examples per feature, so the least-squares problem has one
    // solution, and a step size SGD stays stable with (lr * |x|^2 < 1).
    const int64_t n = std::max(num_examples, 2 * d);
    const double sgd_lr = std::min(lr, 1.0 / static_cast<double>(d + 1));
    const auto true_w = torch::randn({d}) / std::sqrt(static_cast<double>(d));
    auto [X, y] = d2l::synthetic_data(true_w, kTrueB, n);
    const auto Xb = torch::cat({X, torch::ones({n, 1})}, 1);
    const auto target = torch::cat({true_w, torch::tensor({kTrueB})});

    // Newton: theta <- theta - H^-1 grad; the loss is quadratic, so one step
    // from zero lands on the least-squares solution.
    d2l::Timer timer;
    const auto theta0 = torch::zeros({d + 1, 1});
    const auto grad = Xb.t().matmul(Xb.matmul(theta0) - y) / n;
    const auto hessian = Xb.t().matmul(Xb) / n;  // (d+1) x (d+1)
    const auto theta = theta0 - torch::linalg_solve(hessian, grad, true);
    const double newton_s = timer.stop();

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
        "{:>6} {:>8} {:>9.2e} {:>12.3f} {:>10.5f} {:>12.5f} {:>11.3e} "
        "{:>11.3e}\n",
        d,
        n,
        sgd_lr,
        static_cast<double>((d + 1) * (d + 1) * 4) / (1 << 20),
        newton_s,
        sgd_s,
        (theta.reshape({-1}) - target).norm().item<double>(),
        (sgd_theta - target).norm().item<double>());
  }
  fmt::print(
      "Newton needs the d x d Hessian (O(d^2) memory) and a solve (O(d^3) "
      "time) per step; an SGD step costs O(d) per example.\n");
}

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.3", "Concise implementation of linear regression");
  app.draws_no_figures();
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  int64_t num_examples = kNumExamples;
  std::string loss_name = "mse";
  double huber_sigma = 1.0;
  std::string reduction = "mean";
  bool show_grad = false;
  bool drop_last = false;
  bool newton = false;
  auto& cli = app.cli();
  app.add_training_flags(lr, num_epochs, batch_size);
  app.add_num_examples_flag(num_examples);
  cli.add_option("--loss", loss_name, "mse or huber")
      ->check(CLI::IsMember({"mse", "huber"}))
      ->capture_default_str();
  cli.add_option("--huber-sigma", huber_sigma, "Huber loss threshold sigma")
      ->check(d2l::PositiveFinite)
      ->capture_default_str();
  cli.add_option("--reduction", reduction, "loss reduction: mean or sum")
      ->check(CLI::IsMember({"mean", "sum"}))
      ->capture_default_str();
  cli.add_flag("--show-grad", show_grad, "print the gradients after training");
  cli.add_flag("--drop-last", drop_last, "drop the short last minibatch");
  cli.add_flag("--newton", newton, "exercise: Newton's method vs SGD");

  return app.run(argc, argv, [&] {
    // cell 2: generate the dataset
    const auto true_w = torch::tensor({2.0, -3.4}, torch::kFloat32);
    const double true_b = kTrueB;
    auto [features, labels] = d2l::synthetic_data(true_w, true_b, num_examples);

    // cells 3-4: a data iterator (d2l::load_array)
    auto data_iter = d2l::load_array(
        {features, labels}, batch_size, /*is_train=*/true, drop_last);

    // cell 5: peek at the first minibatch
    const auto first = *data_iter.begin();
    fmt::print(
        "{}\n", d2l::py_list({d2l::repr(first[0]), d2l::repr(first[1])}));

    // cell 6: the model, one fully connected layer
    torch::nn::Sequential net(torch::nn::Linear(2, 1));
    auto linear = net[0]->as<torch::nn::Linear>();

    // cell 7: initialise the parameters
    linear->weight.data().normal_(/*mean=*/0, /*std=*/0.01);
    fmt::print("{}\n", d2l::repr(linear->bias.data().fill_(0)));

    // cell 8: the loss
    const auto torch_reduction =
        reduction == "sum"
            ? torch::nn::MSELossOptions::reduction_t(torch::kSum)
            : torch::nn::MSELossOptions::reduction_t(torch::kMean);
    std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>
        loss;
    if (loss_name == "huber") {
      torch::nn::SmoothL1Loss huber(torch::nn::SmoothL1LossOptions()
                                        .beta(huber_sigma)
                                        .reduction(torch_reduction));
      loss = [huber](
                 const torch::Tensor& y_hat, const torch::Tensor& y) mutable {
        return huber->forward(y_hat, y);
      };
    } else {
      torch::nn::MSELoss mse(
          torch::nn::MSELossOptions().reduction(torch_reduction));
      loss = [mse](const torch::Tensor& y_hat, const torch::Tensor& y) mutable {
        return mse->forward(y_hat, y);
      };
    }
    if (reduction == "sum" && lr == kLearningRate) {
      std::cerr << fmt::format(
          "note: with reduction sum the gradient is {} times larger; the "
          "equivalent learning rate is --lr {}\n",
          batch_size,
          kLearningRate / batch_size);
    }

    net->to(app.device());  // after the draws, which happen on the CPU
    const auto device = app.device();

    // cell 9: the optimiser
    torch::optim::SGD trainer(net->parameters(), torch::optim::SGDOptions(lr));

    // cell 10: training
    for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
      for (const auto& batch : data_iter) {
        auto l = loss(net->forward(batch[0].to(device)), batch[1].to(device));
        trainer.zero_grad();
        l.backward();
        trainer.step();
      }
      auto l = loss(net->forward(features.to(device)), labels.to(device));
      const double value = l.item<double>();
      d2l::check_finite_loss(value, epoch + 1, app.divergence_advice());
      fmt::print("epoch {}, loss {:f}\n", epoch + 1, value);
    }

    // cell 11: estimation errors
    const auto w = linear->weight.data();
    fmt::print(
        "w的估计误差： {}\n",
        d2l::repr(true_w.to(device) - w.reshape(true_w.sizes())));
    const auto b = linear->bias.data();
    fmt::print("b的估计误差： {}\n", d2l::repr(torch::rsub(b, true_b)));

    if (show_grad) {
      fmt::print("\n# exercise: the gradients after the last minibatch step\n");
      fmt::print(
          "weight.grad: {}\nbias.grad: {}\n",
          d2l::repr(linear->weight.grad()),
          d2l::repr(linear->bias.grad()));
    }
    if (newton) {
      newton_demo(num_examples, batch_size, lr);
    }
  });
}
