// Section 3.6 Softmax regression from scratch (d2l-zh 2nd ed., PyTorch tab).
//
// Fashion-MNIST in minibatches, a linear model with a hand-written softmax
// and cross-entropy, trained with the book's minibatch SGD for 10 epochs
// (figure rewritten after every epoch; one progress line per epoch on
// stderr), then predictions on six test images. Exercise flags:
//   --softmax-demo   the naive softmax overflows (exp(50), exp(100)) and
//                    cross_entropy takes log(0); the stable versions don't
//   --stable         train with the stable softmax/cross-entropy
//                    (subtract the row max; LogSumExp)
//   --lr, --epochs, --batch-size, --metrics FILE, --data-dir DIR
#include <d2l/d2l.h>
#include <fmt/format.h>

namespace {

// What a NaN loss means when training with the book's softmax.
constexpr const char* kNaiveSoftmaxDivergence =
    "the naive softmax overflowed (exp(o) is inf in float32 once an output o "
    "exceeds 88.7, or a probability rounds to 0 and log(0) = -inf: exercises "
    "3.6-1, 3.6-2): rerun with --stable, which computes softmax and "
    "cross-entropy without overflow";

// cell 2: minibatch size
constexpr int64_t kBatchSize = 256;
// cell 3: 28 x 28 images flattened, 10 classes
constexpr int64_t kNumInputs = 784;
constexpr int64_t kNumOutputs = 10;
// cell 18: learning rate
constexpr double kLearningRate = 0.1;
// cell 19: number of epochs
constexpr int64_t kNumEpochs = 10;
// cell 20: how many test images predict_ch3 shows
constexpr int64_t kNumPredictions = 6;

// cell 5: softmax by its definition
torch::Tensor softmax(const torch::Tensor& X) {
  const auto X_exp = torch::exp(X);
  const auto partition = X_exp.sum(1, /*keepdim=*/true);
  return X_exp / partition;  // broadcasting
}

// cell 9: cross-entropy: minus the log of the predicted probability of the
// true class
torch::Tensor cross_entropy(
    const torch::Tensor& y_hat, const torch::Tensor& y) {
  return -torch::log(
      y_hat.index({torch::arange(y_hat.size(0), y.options()), y}));
}

// Exercise: softmax that cannot overflow (exp of at most 0).
torch::Tensor stable_softmax(const torch::Tensor& X) {
  const auto shifted = X - std::get<0>(X.max(1, /*keepdim=*/true));
  const auto X_exp = torch::exp(shifted);
  return X_exp / X_exp.sum(1, /*keepdim=*/true);
}

// Exercise: cross-entropy straight from the logits o with LogSumExp,
// -log softmax(o)_y = logsumexp(o) - o_y: never log(0).
torch::Tensor stable_cross_entropy(
    const torch::Tensor& o, const torch::Tensor& y) {
  const auto m = std::get<0>(o.max(1, /*keepdim=*/true));
  const auto lse = m.squeeze(1) + torch::log(torch::exp(o - m).sum(1));
  return lse - o.index({torch::arange(o.size(0), y.options()), y});
}

void softmax_demo() {
  fmt::print("\n# exercise: the naive softmax and cross-entropy\n");
  fmt::print(
      "exp(50) = {}, exp(100) = {} (float32 overflows past ~88.7)\n",
      d2l::repr(torch::exp(torch::tensor({50.0f}))),
      d2l::repr(torch::exp(torch::tensor({100.0f}))));
  const auto big = torch::tensor({{50.0f, 150.0f, 1.0f}});
  fmt::print(
      "naive softmax([[50, 150, 1]]):  {}  (inf / inf)\n",
      d2l::repr(softmax(big)));
  fmt::print(
      "stable softmax([[50, 150, 1]]): {}  (exp(o - max o))\n",
      d2l::repr(stable_softmax(big)));
  const auto y = torch::tensor({2}, torch::kInt64);
  fmt::print(
      "cross_entropy for class 2 on those probabilities: {}  (log(0): "
      "exp(1 - 150) underflows to 0)\n",
      d2l::repr(cross_entropy(stable_softmax(big), y)));
  fmt::print(
      "cross-entropy from the logits, logsumexp(o) - o_y: {}\n",
      d2l::repr(stable_cross_entropy(big, y)));
}

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.6", "Softmax regression from scratch");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  const std::string& data_dir = app.add_data_dir_flag();
  app.add_metrics_flag();
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  bool demo = false;
  bool stable = false;
  auto& cli = app.cli();
  app.add_training_flags(lr, num_epochs, batch_size);
  cli.add_flag("--softmax-demo", demo, "exercise: naive softmax overflow");
  cli.add_flag("--stable", stable, "exercise: train with the stable softmax");

  return app.run(argc, argv, [&] {
    // cell 2: the data iterators
    auto [train_iter, test_iter] = d2l::load_data_fashion_mnist(
        batch_size, std::nullopt, data_dir, app.device());

    // cell 3: the parameters
    const int64_t num_inputs = kNumInputs;
    const int64_t num_outputs = kNumOutputs;
    auto W = torch::normal(/*mean=*/0, /*std=*/0.01, {num_inputs, num_outputs})
                 .to(app.device())
                 .requires_grad_();
    auto b =
        torch::zeros(
            {num_outputs}, torch::dtype(torch::kFloat32).device(app.device()))
            .requires_grad_();

    // cell 4: sums along each axis, keeping dimensions
    {
      const auto X = torch::tensor({{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}});
      fmt::print(
          "{}\n",
          d2l::py_tuple(
              {d2l::repr(X.sum(0, /*keepdim=*/true)),
               d2l::repr(X.sum(1, /*keepdim=*/true))}));
    }

    // cell 6: softmax turns every row into probabilities
    {
      const auto X = torch::normal(/*mean=*/0, /*std=*/1, {2, 5});
      const auto X_prob = softmax(X);
      fmt::print(
          "{}\n", d2l::py_tuple({d2l::repr(X_prob), d2l::repr(X_prob.sum(1))}));
    }

    // cell 7: the model
    const d2l::Net net([&](const torch::Tensor& X) {
      const auto o = torch::matmul(X.reshape({-1, W.size(0)}), W) + b;
      return stable ? o : softmax(o);  // --stable: logits, for LogSumExp
    });

    // cell 8: pick the predicted probability of each true class
    const auto y = torch::tensor({0, 2}, torch::kInt64);
    const auto y_hat = torch::tensor({{0.1f, 0.3f, 0.6f}, {0.3f, 0.2f, 0.5f}});
    fmt::print("{}\n", d2l::repr(y_hat.index({torch::tensor({0, 1}), y})));

    // cell 9: cross-entropy of the example
    fmt::print("{}\n", d2l::repr(cross_entropy(y_hat, y)));

    // cell 11: accuracy of the example
    fmt::print(
        "{}\n",
        d2l::py_float(
            d2l::accuracy(y_hat, y) / static_cast<double>(y.size(0))));

    // cell 14: accuracy of the untrained model
    fmt::print("{}\n", d2l::py_float(d2l::evaluate_accuracy(net, test_iter)));

    // cell 18: the updater: minibatch SGD on W and b
    const d2l::Updater updater([&](int64_t n) { d2l::sgd({W, b}, lr, n); });

    // cell 19: train
    auto report = app.train_report("3.6_cell19_fig1");
    if (!stable) {
      // Exercises 3.6-1/2: with this lr the outputs o grow until exp(o)
      // overflows float32 (o > 88.7) or a probability rounds to 0.
      report.divergence.cause = kNaiveSoftmaxDivergence;
    }
    const d2l::Loss loss =
        stable ? d2l::Loss(stable_cross_entropy) : d2l::Loss(cross_entropy);
    d2l::train_ch3(
        net, train_iter, test_iter, loss, num_epochs, updater, report);

    // cell 20: predict six test images
    d2l::predict_ch3(
        net, test_iter, kNumPredictions, app.figure("3.6_cell20_fig1"));

    if (demo) {
      softmax_demo();
    }
  });
}
