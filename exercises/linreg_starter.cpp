// A starter for your own linear regression on the book's helpers (sections
// 3.2 and 3.3).
//
// Every exercises/<name>.cpp builds into build/exercises/<name> with no CMake
// editing, and a copy names itself (and its figure) after its file. Copy
// this file, change it, and run it:
//
//   cp exercises/linreg_starter.cpp exercises/mine.cpp
//   scripts/run.sh exercises/mine.cpp --lr 0.01 --epochs 10
//
// It fits y = Xw + b to the book's synthetic data (true w = [2, -3.4],
// b = 4.2, noise N(0, 0.01)) with the helpers of section 3.2: the data
// (d2l::synthetic_data, d2l::load_array), the model and loss (d2l::linreg,
// d2l::squared_loss), minibatch SGD (d2l::sgd), a figure (d2l::plot) and
// Python-style printing (d2l::repr). Try exercise 3.2-6 (which learning
// rates train, which diverge?) or 3.3-1 (a sum instead of a mean: which
// learning rate gives the same steps?).
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <filesystem>

namespace {

// This file's name without .cpp: the program's name and its figure's.
const std::string kName = std::filesystem::path(__FILE__).stem().string();

// Minibatch size, learning rate, epochs and data size (flags --batch-size,
// --lr, --epochs, --num-examples): the book's.
constexpr int64_t kBatchSize = 10;
constexpr double kLearningRate = 0.03;
constexpr int64_t kNumEpochs = 3;
constexpr int64_t kNumExamples = 1000;
// The true bias of the synthetic data.
constexpr double kTrueB = 4.2;

}  // namespace

int main(int argc, char** argv) {
  // The shared flags (--seed, --threads, --out, --no-figures, --device,
  // --help), then the training's.
  d2l::App app(
      "", fmt::format("Your own linear regression (exercises/{}.cpp)", kName));
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  int64_t num_examples = kNumExamples;
  app.add_training_flags(lr, num_epochs, batch_size);
  app.add_num_examples_flag(num_examples);

  // Everything inside runs after the flags are checked and the seed is set;
  // an error thrown here becomes one line on stderr and a non-zero exit.
  return app.run(argc, argv, [&] {
    // The data, drawn on the CPU as in Python, then moved to --device.
    const auto true_w = torch::tensor({2.0, -3.4}, torch::kFloat32);
    auto [features, labels] = d2l::synthetic_data(true_w, kTrueB, num_examples);
    features = features.to(app.device());
    labels = labels.to(app.device());
    auto data_iter = d2l::load_array({features, labels}, batch_size);

    // The parameters: w ~ N(0, 0.01), b = 0, both learned.
    auto w = torch::normal(/*mean=*/0, /*std=*/0.01, {2, 1})
                 .to(app.device())
                 .requires_grad_();
    auto b = torch::zeros({1}, features.options()).requires_grad_();

    // Training: one pass over the minibatches per epoch, then the loss on
    // the whole data set (a learning rate that is too large stops the run
    // with a message naming the epoch).
    std::vector<double> epochs;
    std::vector<double> losses;
    for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
      for (const auto& batch : data_iter) {
        const auto& X = batch[0];
        const auto& y = batch[1];
        auto l = d2l::squared_loss(d2l::linreg(X, w, b), y);
        l.sum().backward();
        d2l::sgd({w, b}, lr, batch_size);
      }
      torch::NoGradGuard no_grad;
      const double loss = d2l::squared_loss(d2l::linreg(features, w, b), labels)
                              .mean()
                              .item<double>();
      d2l::check_finite_loss(loss, epoch + 1, app.divergence_advice());
      fmt::print("epoch {}, loss {:f}\n", epoch + 1, loss);
      epochs.push_back(static_cast<double>(epoch + 1));
      losses.push_back(loss);
    }

    // How far the estimates are from the truth, printed as Python would.
    fmt::print(
        "error in w: {}\n",
        d2l::repr(true_w.to(w.device()) - w.detach().reshape({2})));
    fmt::print("error in b: {}\n", d2l::repr(kTrueB - b.detach()));

    // The loss per epoch (out/<name>_loss.png), on a log axis.
    d2l::PlotOptions options;
    options.xlabel = "epoch";
    options.ylabel = "loss";
    options.yscale = "log";
    d2l::plot({{epochs, losses}}, options, app.figure(kName + "_loss"));
  });
}
