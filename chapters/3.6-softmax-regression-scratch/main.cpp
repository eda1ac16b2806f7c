// Section 3.6 Softmax regression from scratch (d2l-zh 2nd ed., PyTorch tab).
//
// Fashion-MNIST in minibatches, a linear model with a hand-written softmax
// and cross-entropy, trained with the book's minibatch SGD for 10 epochs
// (figure rewritten after every epoch; one progress line per epoch on
// stderr), then predictions on six test images. The exercises (`--exercises`
// lists them) are declared in exercises.cpp; their output comes after the
// book's cells, in the book's order.
//   --lr, --epochs, --batch-size, --metrics FILE, --data-dir DIR
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "exercises.h"

namespace {

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

}  // namespace

namespace softmax_regression_scratch {

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

}  // namespace softmax_regression_scratch

int main(int argc, char** argv) {
  namespace ex = softmax_regression_scratch;
  d2l::App app("3.6", "Softmax regression from scratch");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  const std::string& data_dir = app.add_data_dir_flag();
  app.add_metrics_flag();
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  app.add_training_flags(lr, num_epochs, batch_size);
  ex::Cells cells;  // what the exercises work on, filled after cell 20
  ex::add_exercises(app, cells);

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
      const auto X_prob = ex::softmax(X);
      fmt::print(
          "{}\n", d2l::py_tuple({d2l::repr(X_prob), d2l::repr(X_prob.sum(1))}));
    }

    // cell 7: the model (W and b by handle: the exercises use it later);
    // --stable (exercise 3.6-3): the logits, for LogSumExp
    const bool stable = app.given("--stable");
    const d2l::Net net([W, b, stable](const torch::Tensor& X) {
      const auto o = torch::matmul(X.reshape({-1, W.size(0)}), W) + b;
      return stable ? o : ex::softmax(o);
    });

    // cell 8: pick the predicted probability of each true class
    const auto y = torch::tensor({0, 2}, torch::kInt64);
    const auto y_hat = torch::tensor({{0.1f, 0.3f, 0.6f}, {0.3f, 0.2f, 0.5f}});
    fmt::print("{}\n", d2l::repr(y_hat.index({torch::tensor({0, 1}), y})));

    // cell 9: cross-entropy of the example
    fmt::print("{}\n", d2l::repr(ex::cross_entropy(y_hat, y)));

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
      report.divergence.cause = ex::kNaiveSoftmaxDivergence;
    }
    const d2l::Loss loss = stable ? d2l::Loss(ex::stable_cross_entropy)
                                  : d2l::Loss(ex::cross_entropy);
    const auto metrics = d2l::train_ch3(
        net, train_iter, test_iter, loss, num_epochs, updater, report);

    // cell 20: predict six test images
    d2l::predict_ch3(
        net, test_iter, kNumPredictions, app.figure("3.6_cell20_fig1"));

    // The exercises (exercises.cpp) run after this (their draws come last).
    cells = {metrics, lr, net, test_iter};
  });
}
