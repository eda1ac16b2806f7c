#pragma once

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "d2l/data.h"
#include "d2l/error.h"
#include "d2l/plot.h"

namespace d2l {

/// A classifier as the book's training helpers see it: either a plain
/// function of X (3.6's from-scratch `net`) or a torch::nn module (3.7's
/// `nn.Sequential`), whose train/eval mode the helpers switch as
/// `isinstance(net, torch.nn.Module)` does in Python.
class Net {
 public:
  /// A from-scratch model: any function of the minibatch X.
  Net(std::function<torch::Tensor(const torch::Tensor&)> forward)  // NOLINT
      : forward_(std::move(forward)) {}

  /// A module holder (e.g. torch::nn::Sequential) with forward(Tensor).
  template <typename Holder>
  static Net module(Holder holder) {
    Net net([holder](const torch::Tensor& X) mutable {
      return holder->forward(X);
    });
    net.module_ = holder.ptr();
    return net;
  }

  /// Runs the model on X.
  torch::Tensor operator()(const torch::Tensor& X) const {
    return forward_(X);
  }
  /// `net.train()` / `net.eval()` when the net is a module; else nothing.
  void train(bool on) const {
    if (module_) {
      module_->train(on);
    }
  }

 private:
  std::function<torch::Tensor(const torch::Tensor&)> forward_;
  std::shared_ptr<torch::nn::Module> module_;
};

/// A loss with reduction 'none': one value per example.
using Loss =
    std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

/// What updates the parameters after a minibatch, as train_epoch_ch3 tells
/// apart: a torch optimizer (zero_grad, l.mean().backward(), step) or the
/// book's custom updater taking the batch size (l.sum().backward(), then
/// updater(X.shape[0])).
class Updater {
 public:
  /// The book's `updater(batch_size)` function (e.g. wrapping d2l::sgd).
  Updater(std::function<void(int64_t)> custom)  // NOLINT
      : custom_(std::move(custom)) {}
  /// A torch optimizer (not owned; must outlive the Updater).
  Updater(torch::optim::Optimizer& optimizer)  // NOLINT
      : optimizer_(&optimizer) {}

  /// Backpropagates the per-example losses `l` of a batch of `batch_size`
  /// and updates the parameters, as the book's train_epoch_ch3 does.
  void step(const torch::Tensor& l, int64_t batch_size) const;

 private:
  std::function<void(int64_t)> custom_;
  torch::optim::Optimizer* optimizer_ = nullptr;
};

/// Mirrors d2l.accuracy: the number (as a float) of correct predictions;
/// `y_hat` holds class scores (argmax over dim 1) or predicted labels.
double accuracy(const torch::Tensor& y_hat, const torch::Tensor& y);

/// Mirrors d2l.evaluate_accuracy: the model's accuracy over one pass of
/// `data_iter` (eval mode, no grad).
double evaluate_accuracy(const Net& net, const ArrayLoader& data_iter);

/// Mirrors d2l.train_epoch_ch3: one training epoch; returns (mean training
/// loss, training accuracy).
std::pair<double, double> train_epoch_ch3(
    const Net& net,
    const ArrayLoader& train_iter,
    const Loss& loss,
    const Updater& updater);

/// Mirrors d2l.Animator in a terminal program: collects the points of
/// several lines and, after every `add`, rewrites its figure file atomically
/// (open it in a viewer and watch it grow).
class Animator {
 public:
  /// `options` as for d2l::plot (xlabel, legend, xlim, ylim, fmts, figsize).
  Animator(PlotOptions options, FigureTarget target);
  /// Mirrors Animator.add(x, y): one y value per line at `x`; NaN skips a
  /// line at that x. Redraws the figure.
  void add(double x, const std::vector<double>& ys);
  /// The points so far, one Series per line.
  const std::vector<Series>& lines() const {
    return lines_;
  }

 private:
  PlotOptions options_;
  FigureTarget target_;
  std::vector<Series> lines_;
};

/// One epoch's results of train_ch3.
struct EpochMetrics {
  /// 1-based epoch number.
  int64_t epoch = 0;
  /// Mean training loss over the epoch.
  double train_loss = 0;
  /// Training accuracy over the epoch.
  double train_acc = 0;
  /// Test accuracy after the epoch.
  double test_acc = 0;
  /// Wall time of the epoch (training and evaluation), seconds.
  double seconds = 0;
};

/// Throws DivergenceError when `loss` is NaN or infinite: it names the loss,
/// `epoch` and `advice.lr`, and carries `advice`, from which the harness
/// words the fix (`advice.cause` if any, then a smaller learning rate: the
/// default when the run's is above it, else lr / 10).
void check_finite_loss(
    double loss, int64_t epoch, const DivergenceAdvice& advice);

/// Where train_ch3 reports besides its figure.
struct TrainReport {
  /// The animator's figure (the book's plot of loss and accuracies).
  FigureTarget figure;
  /// When set, a JSON-lines file rewritten atomically after every epoch:
  /// `{"epoch": 1, "train_loss": ..., "train_acc": ..., "test_acc": ...}`
  /// with full-precision (round-trip) values, as Python's json.dumps writes.
  std::optional<std::filesystem::path> metrics_file;
  /// Print one progress line per epoch on stderr.
  bool progress = true;
  /// What the message says when the loss becomes NaN or infinite.
  DivergenceAdvice divergence;
};

/// Mirrors d2l.train_ch3: trains for `num_epochs`, animating train loss,
/// train accuracy and test accuracy. Throws DivergenceError when the
/// training loss becomes NaN or infinite. At the end it applies the book's
/// checks (train loss < 0.5, accuracies in (0.7, 1], asserted for the book's
/// own 10 epochs at lr 0.1, batch size 256) and, when any does not hold,
/// says so in one note on stderr naming those values. Returns every epoch's
/// metrics.
std::vector<EpochMetrics> train_ch3(
    const Net& net,
    const ArrayLoader& train_iter,
    const ArrayLoader& test_iter,
    const Loss& loss,
    int64_t num_epochs,
    const Updater& updater,
    const TrainReport& report);

/// The book's end-of-training checks of train_ch3: the values that do not
/// hold them ("train loss 0.7865", "test accuracy 0.6912"), empty when
/// train loss < 0.5 and both accuracies are in (0.7, 1].
std::vector<std::string> train_ch3_check_failures(const EpochMetrics& last);

/// One line of the metrics file for `m` (no trailing newline).
std::string metrics_json(const EpochMetrics& m);

/// Mirrors d2l.predict_ch3: predicts the first minibatch of `test_iter`
/// (one pass begun, as Python's `for X, y in test_iter: break`) and shows
/// the first `n` images titled "true\npredicted". Returns the titles.
std::vector<std::string> predict_ch3(
    const Net& net,
    const ArrayLoader& test_iter,
    int64_t n,
    const FigureTarget& target);

}  // namespace d2l
