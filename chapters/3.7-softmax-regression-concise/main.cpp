// Section 3.7 Concise implementation of softmax regression (d2l-zh 2nd ed.).
//
// nn::Flatten + nn::Linear, weights initialised N(0, 0.01) (the bias keeps
// its default init), CrossEntropyLoss with reduction 'none' and optim::SGD,
// trained with the book's train_ch3 for 10 epochs (figure rewritten after
// every epoch; one progress line per epoch on stderr). The book prints
// nothing here: the figure is the output. Exercise flags (their output comes
// after the book's cells):
//   --lr X, --epochs N, --batch-size N
//                     exercise 3.7-1: tune the hyperparameters; when any is
//                     given, the final and best epochs are printed
//   --overfit-summary exercise 3.7-2: with many epochs (--epochs 50), the
//                     best and final test accuracies and the train-test gap,
//                     beside two remedies: weight decay (a second training
//                     from the same initialisation and minibatch order) and
//                     early stopping
//   --weight-decay X  exercise 3.7-2: the remedy's weight decay (1e-3)
//   --metrics FILE, --data-dir DIR
#include <d2l/d2l.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// cell 2: minibatch size
constexpr int64_t kBatchSize = 256;
// cell 5: learning rate
constexpr double kLearningRate = 0.1;
// cell 6: number of epochs
constexpr int64_t kNumEpochs = 10;
// Exercise 3.7-2: the remedy's weight decay (SGD's weight_decay)
constexpr double kWeightDecay = 1e-3;
// Exercise 3.7-2: how many final epochs show the test accuracy's wander
constexpr int64_t kLastEpochs = 10;

// cell 3: a flatten layer before the linear layer; weights ~ N(0, 0.01)
torch::nn::Sequential softmax_regression_net(torch::Device device) {
  torch::nn::Sequential net(torch::nn::Flatten(), torch::nn::Linear(784, 10));
  net->apply([](torch::nn::Module& m) {  // init_weights
    if (auto* linear = m.as<torch::nn::Linear>()) {
      torch::nn::init::normal_(linear->weight, /*mean=*/0, /*std=*/0.01);
    }
  });
  net->to(device);  // after the draws, which happen on the CPU
  return net;
}

// The epoch with the best test accuracy (the first, on ties).
const d2l::EpochMetrics& best_epoch(
    const std::vector<d2l::EpochMetrics>& metrics) {
  return *std::max_element(
      metrics.begin(), metrics.end(), [](const auto& a, const auto& b) {
        return a.test_acc < b.test_acc;
      });
}

// Exercise 3.7-1: what these hyperparameters gave.
void tuning_summary(
    const std::vector<d2l::EpochMetrics>& metrics,
    double lr,
    int64_t batch_size) {
  fmt::print(
      "\n# exercise 3.7-1: tuning lr {}, batch size {}, {} epochs (the "
      "book's: {}, {}, {})\n",
      d2l::py_float(lr),
      batch_size,
      metrics.size(),
      d2l::py_float(kLearningRate),
      kBatchSize,
      kNumEpochs);
  const auto& last = metrics.back();
  const auto& best = best_epoch(metrics);
  fmt::print(
      "final epoch {}: train loss {:.4f}, train acc {:.4f}, test acc {:.4f}; "
      "best test acc {:.4f} at epoch {}\n",
      last.epoch,
      last.train_loss,
      last.train_acc,
      last.test_acc,
      best.test_acc,
      best.epoch);
}

// One line of exercise 3.7-2: the best and final test accuracies of a
// training and its final train-test gap.
void overfit_line(
    const std::string& label, const std::vector<d2l::EpochMetrics>& metrics) {
  const auto& best = best_epoch(metrics);
  const auto& last = metrics.back();
  fmt::print(
      "{:<19} best test acc {:.4f} at epoch {}, final {:.4f} (train {:.4f}, "
      "gap {:.4f})\n",
      label + ":",
      best.test_acc,
      best.epoch,
      last.test_acc,
      last.train_acc,
      last.train_acc - last.test_acc);
}

// Exercise 3.7-2: after many epochs, does test accuracy fall, and do weight
// decay (`remedy`) and early stopping help?
void overfit_summary(
    const std::vector<d2l::EpochMetrics>& metrics,
    const std::vector<d2l::EpochMetrics>& remedy,
    double weight_decay) {
  fmt::print(
      "\n# exercise 3.7-2: more epochs: why can test accuracy fall, and what "
      "helps?\n");
  overfit_line("no remedy", metrics);
  overfit_line(
      fmt::format("weight decay {}", d2l::py_float(weight_decay)), remedy);
  const auto& best = best_epoch(metrics);
  fmt::print(
      "{:<19} stop at epoch {}: test acc {:.4f} (train {:.4f}, gap {:.4f}); "
      "choose the epoch on a validation split, not on the test set\n",
      "early stopping:",
      best.epoch,
      best.test_acc,
      best.train_acc,
      best.train_acc - best.test_acc);
  const int64_t n = static_cast<int64_t>(metrics.size());
  const auto gap = [&](int64_t epoch) {
    const auto& m = metrics[static_cast<size_t>(epoch - 1)];
    return fmt::format("{}: {:.4f}", epoch, m.train_acc - m.test_acc);
  };
  fmt::print(
      "train-test gap by epoch, without remedy: {}, {}, {}\n",
      gap(1),
      gap((n + 1) / 2),
      gap(n));
  const int64_t last = std::min(kLastEpochs, n);
  const auto [low, high] = std::minmax_element(
      metrics.end() - last, metrics.end(), [](const auto& a, const auto& b) {
        return a.test_acc < b.test_acc;
      });
  fmt::print(
      "last {} epochs: test acc between {:.4f} and {:.4f}, train acc from "
      "{:.4f} to {:.4f}\n",
      last,
      low->test_acc,
      high->test_acc,
      (metrics.end() - last)->train_acc,
      metrics.back().train_acc);
  fmt::print(
      "the gap widens as training keeps fitting the training set "
      "(overfitting), and at a constant lr SGD's noise moves test accuracy "
      "as much: early stopping keeps the best epoch; weight decay changed the "
      "best test accuracy by {:+.4f} (a linear model on 60000 images "
      "overfits little)\n",
      best_epoch(remedy).test_acc - best.test_acc);
}

}  // namespace

int main(int argc, char** argv) {
  d2l::App app("3.7", "Concise implementation of softmax regression");
  app.use_book_blas();  // BLAS-borne numbers: a note if not the book's
  const std::string& data_dir = app.add_data_dir_flag();
  app.add_metrics_flag();
  double lr = kLearningRate;
  int64_t num_epochs = kNumEpochs;
  int64_t batch_size = kBatchSize;
  bool overfit = false;
  double weight_decay = kWeightDecay;
  auto& cli = app.cli();
  app.add_training_flags(lr, num_epochs, batch_size);
  cli.get_option("--lr")->description(
      "exercise 3.7-1: learning rate (when given, the final and best epochs "
      "are printed)");
  cli.get_option("--epochs")
      ->description(
          "exercise 3.7-1, 3.7-2: number of epochs (when given, the final and "
          "best epochs are printed)");
  cli.get_option("--batch-size")
      ->description(
          "exercise 3.7-1: minibatch size (when given, the final and best "
          "epochs are printed)");
  auto* overfit_flag = cli.add_flag(
      "--overfit-summary",
      overfit,
      "exercise 3.7-2: best and final test accuracy and the train-test gap, "
      "beside weight decay and early stopping (with e.g. --epochs 50)");
  cli.add_option(
         "--weight-decay",
         weight_decay,
         "exercise 3.7-2: the weight decay of --overfit-summary's second "
         "training")
      ->check(d2l::PositiveFinite)
      ->needs(overfit_flag)
      ->capture_default_str();
  app.add_exercise(
      "3.7-1",
      "--lr 0.3 --batch-size 64 --epochs 5",
      "other hyperparameters: the final and best epochs (compare runs; the "
      "book's are --lr 0.1 --batch-size 256 --epochs 10)");
  app.add_exercise(
      "3.7-2",
      "--epochs 50 --overfit-summary",
      "50 epochs: best vs final test accuracy and the train-test gap, beside "
      "weight decay and early stopping");

  return app.run(argc, argv, [&] {
    // cell 2: the data iterators
    auto [train_iter, test_iter] = d2l::load_data_fashion_mnist(
        batch_size, std::nullopt, data_dir, app.device());

    // cell 3: a flatten layer before the linear layer; weights ~ N(0, 0.01)
    auto net = softmax_regression_net(app.device());

    // cell 4: the loss, one value per example
    torch::nn::CrossEntropyLoss loss(
        torch::nn::CrossEntropyLossOptions().reduction(torch::kNone));
    const d2l::Loss loss_fn =
        [&loss](const torch::Tensor& y_hat, const torch::Tensor& y) {
          return loss->forward(y_hat, y);
        };

    // cell 5: the optimiser
    torch::optim::SGD trainer(net->parameters(), torch::optim::SGDOptions(lr));

    // cell 6: train
    const auto report = app.train_report("3.7_cell06_fig1");
    const auto metrics = d2l::train_ch3(
        d2l::Net::module(net),
        train_iter,
        test_iter,
        loss_fn,
        num_epochs,
        trainer,
        report);

    // The exercises, after the book's cells (their draws come last).
    if (cli.count("--lr") + cli.count("--epochs") + cli.count("--batch-size") >
        0) {
      tuning_summary(metrics, lr, batch_size);
    }
    if (overfit) {
      // The remedy trains again from the same seed: the same initial
      // weights and minibatch order, only the weight decay differs.
      torch::manual_seed(app.seed());
      auto decayed = softmax_regression_net(app.device());
      torch::optim::SGD decayed_trainer(
          decayed->parameters(),
          torch::optim::SGDOptions(lr).weight_decay(weight_decay));
      auto decayed_report = app.train_report("3.7_ex2_weight_decay");
      decayed_report.metrics_file.reset();  // --metrics: the book's run only
      const auto remedy = d2l::train_ch3(
          d2l::Net::module(decayed),
          train_iter,
          test_iter,
          loss_fn,
          num_epochs,
          decayed_trainer,
          decayed_report);
      overfit_summary(metrics, remedy, weight_decay);
    }
  });
}
