// A starter for your own programs on the book's helpers.
//
// Every exercises/<name>.cpp builds into build/exercises/<name> with no CMake
// editing. Copy this file, change it, and run it:
//
//   cp exercises/starter.cpp exercises/mine.cpp
//   scripts/run.sh exercises/mine.cpp --epochs 5      (builds, then runs)
//
// A copy names itself after its file: `mine --help` says exercises/mine.cpp
// and its figures are out/mine_curves.png and out/mine_predictions.png, so
// two copies never overwrite each other's. For linear regression (sections
// 3.2/3.3) start from exercises/linreg_starter.cpp instead.
//
// This one is softmax regression on Fashion-MNIST as in section 3.7, with
// SGD's momentum and weight decay as flags: try exercise 3.7-2 (does test
// accuracy still fall after many epochs with --weight-decay 0.001?). It uses
// the helpers a learner needs: the shared flags (d2l::App), the data
// (d2l::load_data_fashion_mnist), the training loop and its figure
// (d2l::train_ch3), predictions as an image grid (d2l::predict_ch3) and
// Python-style printing (d2l::repr).
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <filesystem>

namespace {

// This file's name without .cpp ("starter", or your copy's): the program's
// name, and the start of its figures' names.
const std::string kName = std::filesystem::path(__FILE__).stem().string();

// Minibatch size, learning rate and epochs (flags --batch-size, --lr,
// --epochs).
constexpr int64_t kBatchSize = 256;
constexpr double kLearningRate = 0.1;
constexpr int64_t kNumEpochs = 10;
// SGD's extras (flags --momentum, --weight-decay); 0 gives the book's SGD.
constexpr double kMomentum = 0;
constexpr double kWeightDecay = 0;
// How many test images to predict and draw.
constexpr int64_t kNumPredictions = 6;

}  // namespace

int main(int argc, char** argv) {
  // The shared flags (--seed, --threads, --out, --no-figures, --device,
  // --help), then this program's own.
  d2l::App app(
      "", fmt::format("Your own softmax regression (exercises/{}.cpp)", kName));
  const std::string& data_dir = app.add_data_dir_flag();
  app.add_metrics_flag();
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  app.add_training_flags(lr, num_epochs, batch_size);
  double momentum = kMomentum;
  double weight_decay = kWeightDecay;
  app.cli()
      .add_option("--momentum", momentum, "SGD momentum, in [0, 1)")
      ->check(d2l::UnitFraction)
      ->capture_default_str();
  app.cli()
      .add_option("--weight-decay", weight_decay, "SGD weight decay (L2), >= 0")
      ->check(d2l::NonNegativeFinite)
      ->capture_default_str();

  // Everything inside runs after the flags are checked and the seed is set;
  // an error thrown here becomes one line on stderr and a non-zero exit.
  return app.run(argc, argv, [&] {
    auto [train_iter, test_iter] = d2l::load_data_fashion_mnist(
        batch_size, /*resize=*/std::nullopt, data_dir, app.device());

    torch::nn::Sequential net(torch::nn::Flatten(), torch::nn::Linear(784, 10));
    net->apply([](torch::nn::Module& m) {
      if (auto* linear = m.as<torch::nn::Linear>()) {
        torch::nn::init::normal_(linear->weight, /*mean=*/0, /*std=*/0.01);
      }
    });
    net->to(app.device());

    torch::nn::CrossEntropyLoss loss(
        torch::nn::CrossEntropyLossOptions().reduction(torch::kNone));
    torch::optim::SGD trainer(
        net->parameters(),
        torch::optim::SGDOptions(lr).momentum(momentum).weight_decay(
            weight_decay));

    // Trains, draws the curves (out/<name>_curves.png, rewritten each
    // epoch) and prints one progress line per epoch on stderr.
    const auto history = d2l::train_ch3(
        d2l::Net::module(net),
        train_iter,
        test_iter,
        [&loss](const torch::Tensor& y_hat, const torch::Tensor& y) {
          return loss->forward(y_hat, y);
        },
        num_epochs,
        trainer,
        app.train_report(kName + "_curves"));
    const auto& last = history.back();
    fmt::print(
        "after {} epochs (lr {}, momentum {}, weight decay {}): train loss "
        "{:f}, train acc {:f}, test acc {:f}\n",
        last.epoch,
        lr,
        momentum,
        weight_decay,
        last.train_loss,
        last.train_acc,
        last.test_acc);

    // The weights' size, printed as Python would print the tensor.
    const auto weight = net->parameters()[0];
    fmt::print("weight norm: {}\n", d2l::repr(weight.detach().norm().cpu()));

    // Predicts the first test images, drawn with their labels
    // (out/<name>_predictions.png).
    const auto titles = d2l::predict_ch3(
        d2l::Net::module(net),
        test_iter,
        kNumPredictions,
        app.figure(kName + "_predictions"));
    for (auto title : titles) {  // "true\npredicted"
      title.replace(title.find('\n'), 1, " -> ");
      fmt::print("{}\n", title);
    }
  });
}
