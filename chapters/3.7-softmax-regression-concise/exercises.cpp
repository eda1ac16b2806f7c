// Section 3.7 Concise implementation of softmax regression: the exercises
// (d2l-zh 2nd ed., 3.7 exercises 1-2), each declared once in add_exercises:
// its flags, what it shows (`--exercises` lists them) and its demo, which
// App::run prints after the book's cells. 3.7-2's remedies: weight decay
// (--weight-decay, a second training from the same initialisation and
// minibatch order) and early stopping.
#include "exercises.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace softmax_regression_concise {
namespace {

// Exercise 3.7-2: how many final epochs show the test accuracy's wander
constexpr int64_t kLastEpochs = 10;

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
    const Hyperparameters& book,
    double lr,
    int64_t batch_size) {
  fmt::print(
      "\n# exercise 3.7-1: tuning lr {}, batch size {}, {} epochs (the "
      "book's: {}, {}, {})\n",
      d2l::py_float(lr),
      batch_size,
      metrics.size(),
      d2l::py_float(book.lr),
      book.batch_size,
      book.num_epochs);
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

// An accuracy as printed ("{:.4f}"), read back: the conclusions compare the
// numbers the reader sees.
double as_printed(double value) {
  return std::stod(fmt::format("{:.4f}", value));
}

// "rose", "fell" or "stayed", from `from` to `to` as printed.
const char* trend(double from, double to) {
  const double a = as_printed(from);
  const double b = as_printed(to);
  return a < b ? "rose" : a > b ? "fell" : "stayed";
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
  // What these numbers show, compared as printed.
  const auto& final_epoch = metrics.back();
  const std::string fell =
      as_printed(final_epoch.test_acc) < as_printed(best.test_acc)
          ? fmt::format(
                "test accuracy fell from {:.4f} (epoch {}) to {:.4f} (epoch "
                "{}) while train accuracy went from {:.4f} to {:.4f}",
                best.test_acc,
                best.epoch,
                final_epoch.test_acc,
                final_epoch.epoch,
                best.train_acc,
                final_epoch.train_acc)
          : fmt::format(
                "test accuracy did not fall below its best in these {} epochs "
                "(best {:.4f} at epoch {}, final {:.4f})",
                n,
                best.test_acc,
                best.epoch,
                final_epoch.test_acc);
  const auto& first = metrics.front();
  const double first_gap = first.train_acc - first.test_acc;
  const double final_gap = final_epoch.train_acc - final_epoch.test_acc;
  const char* gap_trend = trend(first_gap, final_gap);
  fmt::print(
      "{}; the train-test gap {} from {:.4f} (epoch 1) to {:.4f} (epoch {})\n",
      fell,
      std::string(gap_trend) == "rose"   ? "widened"
      : std::string(gap_trend) == "fell" ? "narrowed"
                                         : "stayed",
      first_gap,
      final_gap,
      n);
  int64_t drops = 0;  // in the last epochs, falls from one to the next
  for (auto it = metrics.end() - last + 1; it < metrics.end(); ++it) {
    drops += as_printed(it->test_acc) < as_printed((it - 1)->test_acc) ? 1 : 0;
  }
  fmt::print(
      "a widening train-test gap is the mark of overfitting (the model keeps "
      "fitting the training set's particulars); at a constant lr SGD's noise "
      "also moves test accuracy from epoch to epoch (in the last {} epochs it "
      "{}); early stopping keeps the best epoch; weight decay {} changed the "
      "best test accuracy by {:+.4f}\n",
      last,
      drops == 0 ? std::string("never fell from one epoch to the next")
                 : fmt::format(
                       "fell from one epoch to the next {} time{}",
                       drops,
                       drops == 1 ? "" : "s"),
      d2l::py_float(weight_decay),
      best_epoch(remedy).test_acc - best.test_acc);
}

}  // namespace

void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells) {
  auto& cli = app.cli();
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
  app.exercise(
         "3.7-1",
         "other hyperparameters: the final and best epochs (compare runs; the "
         "book's are --lr 0.1 --batch-size 256 --epochs 10)")
      .with("--lr 0.3 --batch-size 64 --epochs 5")
      .runs([&options, &cells] {
        const auto& [lr, num_epochs, batch_size] = cells.hyperparameters;
        tuning_summary(cells.metrics, options.book, lr, batch_size);
      });
  app.exercise(
         "3.7-2",
         "50 epochs: best vs final test accuracy and the train-test gap, "
         "beside weight decay and early stopping")
      .with("--epochs 50")
      .flag(
          "--overfit-summary",
          "best and final test accuracy and the train-test gap, beside "
          "weight decay and early stopping (with e.g. --epochs 50)")
      .runs([&app, &options, &cells] {
        const auto& [lr, num_epochs, batch_size] = cells.hyperparameters;
        // The remedy trains again from the same seed: the same initial
        // weights and minibatch order, only the weight decay differs.
        torch::manual_seed(app.seed());
        auto decayed = softmax_regression_net(app.device());
        torch::optim::SGD decayed_trainer(
            decayed->parameters(),
            torch::optim::SGDOptions(lr).weight_decay(options.weight_decay));
        auto decayed_report = app.train_report("3.7_ex2_weight_decay");
        decayed_report.metrics_file.reset();  // --metrics: the book's run only
        const auto remedy = d2l::train_ch3(
            d2l::Net::module(decayed),
            *cells.train_iter,
            *cells.test_iter,
            cells.loss,
            num_epochs,
            decayed_trainer,
            decayed_report);
        overfit_summary(cells.metrics, remedy, options.weight_decay);
      });
  cli.add_option(
         "--weight-decay",
         options.weight_decay,
         "exercise 3.7-2: the weight decay of --overfit-summary's second "
         "training")
      ->check(d2l::PositiveFinite)
      ->needs("--overfit-summary")
      ->capture_default_str();
}

}  // namespace softmax_regression_concise
