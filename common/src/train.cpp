#include "d2l/train.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <iostream>

#include "d2l/accumulator.h"
#include "d2l/error.h"
#include "d2l/fashion_mnist.h"
#include "d2l/io.h"
#include "d2l/tensor_str.h"
#include "d2l/timer.h"

namespace d2l {

void check_finite_loss(
    double loss, int64_t epoch, const DivergenceAdvice& advice) {
  if (!std::isfinite(loss)) {
    throw DivergenceError(std::isnan(loss), epoch, advice);
  }
}

void Updater::step(const torch::Tensor& l, int64_t batch_size) const {
  if (optimizer_ != nullptr) {
    // Using PyTorch's built-in optimizer and loss
    optimizer_->zero_grad();
    l.mean().backward();
    optimizer_->step();
  } else {
    // Using the custom-built optimizer and loss
    l.sum().backward();
    custom_(batch_size);
  }
}

double accuracy(const torch::Tensor& y_hat, const torch::Tensor& y) {
  auto predicted = y_hat;
  if (predicted.dim() > 1 && predicted.size(1) > 1) {
    predicted = predicted.argmax(/*dim=*/1);
  }
  const auto cmp = predicted.to(y.scalar_type()) == y;
  return cmp.to(y.scalar_type()).sum().item<double>();
}

double evaluate_accuracy(const Net& net, const ArrayLoader& data_iter) {
  net.train(false);       // evaluation mode
  Accumulator metric(2);  // correct predictions, predictions
  torch::NoGradGuard no_grad;
  for (const auto& batch : data_iter) {
    const auto& X = batch[0];
    const auto& y = batch[1];
    metric.add({accuracy(net(X), y), static_cast<double>(y.numel())});
  }
  return metric[0] / metric[1];
}

std::pair<double, double> train_epoch_ch3(
    const Net& net,
    const ArrayLoader& train_iter,
    const Loss& loss,
    const Updater& updater) {
  net.train(true);        // training mode
  Accumulator metric(3);  // sum of loss, correct predictions, examples
  for (const auto& batch : train_iter) {
    const auto& X = batch[0];
    const auto& y = batch[1];
    const auto y_hat = net(X);
    const auto l = loss(y_hat, y);
    updater.step(l, X.size(0));
    metric.add(
        {l.sum().item<double>(),
         accuracy(y_hat, y),
         static_cast<double>(y.numel())});
  }
  return {metric[0] / metric[2], metric[1] / metric[2]};
}

Animator::Animator(PlotOptions options, FigureTarget target)
    : options_(std::move(options)), target_(std::move(target)) {}

void Animator::add(double x, const std::vector<double>& ys) {
  if (lines_.empty()) {
    lines_.resize(ys.size());
  }
  if (ys.size() != lines_.size()) {
    throw Error(fmt::format(
        "Animator::add: got {} values for {} lines", ys.size(), lines_.size()));
  }
  for (std::size_t i = 0; i < ys.size(); ++i) {
    if (!std::isnan(ys[i])) {
      lines_[i].x.push_back(x);
      lines_[i].y.push_back(ys[i]);
    }
  }
  plot(lines_, options_, target_);
}

std::string metrics_json(const EpochMetrics& m) {
  return fmt::format(
      R"({{"epoch": {}, "train_loss": {}, "train_acc": {}, "test_acc": {}}})",
      m.epoch,
      py_float(m.train_loss),
      py_float(m.train_acc),
      py_float(m.test_acc));
}

std::vector<std::string> train_ch3_check_failures(const EpochMetrics& last) {
  std::vector<std::string> failures;
  if (!(last.train_loss < 0.5)) {
    failures.push_back(fmt::format("train loss {:.4f}", last.train_loss));
  }
  if (!(last.train_acc <= 1 && last.train_acc > 0.7)) {
    failures.push_back(fmt::format("train accuracy {:.4f}", last.train_acc));
  }
  if (!(last.test_acc <= 1 && last.test_acc > 0.7)) {
    failures.push_back(fmt::format("test accuracy {:.4f}", last.test_acc));
  }
  return failures;
}

std::vector<EpochMetrics> train_ch3(
    const Net& net,
    const ArrayLoader& train_iter,
    const ArrayLoader& test_iter,
    const Loss& loss,
    int64_t num_epochs,
    const Updater& updater,
    const TrainReport& report) {
  PlotOptions options;
  options.xlabel = "epoch";
  options.xlim = {1, static_cast<double>(num_epochs)};
  // The book's limits, widened when a line leaves them (a loss above 0.9).
  options.ylim = {0.3, 0.9};
  options.limits_grow = true;
  options.legend = {"train loss", "train acc", "test acc"};
  options.rewrite_note = "rewritten each epoch";
  Animator animator(options, report.figure);
  std::vector<EpochMetrics> history;
  std::string metrics_text;
  for (int64_t epoch = 0; epoch < num_epochs; ++epoch) {
    Timer timer;
    const auto [train_loss, train_acc] =
        train_epoch_ch3(net, train_iter, loss, updater);
    check_finite_loss(train_loss, epoch + 1, report.divergence);
    const double test_acc = evaluate_accuracy(net, test_iter);
    history.push_back(
        {epoch + 1, train_loss, train_acc, test_acc, timer.stop()});
    animator.add(epoch + 1, {train_loss, train_acc, test_acc});
    const auto& m = history.back();
    if (report.metrics_file) {
      metrics_text += metrics_json(m) + "\n";
      write_file_atomically(*report.metrics_file, metrics_text);
    }
    if (report.progress) {
      std::cerr << fmt::format(
          "epoch {}/{}: train loss {:.4f}, train acc {:.4f}, test acc {:.4f} "
          "({:.2f} sec)\n",
          m.epoch,
          num_epochs,
          m.train_loss,
          m.train_acc,
          m.test_acc,
          m.seconds);
    }
  }
  if (!history.empty()) {
    // The book asserts these after its own run; other settings (fewer
    // epochs, another rate) need not meet them, so this is a note.
    const auto failures = train_ch3_check_failures(history.back());
    if (!failures.empty()) {
      std::cerr << fmt::format(
          "note: the book's end-of-training check (train loss < 0.5, "
          "accuracies in (0.7, 1], meant for its 10 epochs at lr 0.1, batch "
          "size 256) does not hold here: {}\n",
          fmt::join(failures, ", "));
    }
  }
  return history;
}

std::vector<std::string> predict_ch3(
    const Net& net,
    const ArrayLoader& test_iter,
    int64_t n,
    const FigureTarget& target) {
  auto it = test_iter.begin();  // for X, y in test_iter: break
  const auto X = (*it)[0];
  const auto y = (*it)[1];
  n = std::min<int64_t>(n, X.size(0));
  const auto trues = get_fashion_mnist_labels(y);
  const auto preds = get_fashion_mnist_labels(net(X).argmax(/*dim=*/1));
  std::vector<std::string> titles;
  for (int64_t i = 0; i < n; ++i) {
    titles.push_back(trues[i] + "\n" + preds[i]);
  }
  show_images(
      X.slice(0, 0, n).reshape({n, X.size(-2), X.size(-1)}),
      1,
      n,
      titles,
      /*scale=*/1.5,
      Colormap::kViridis,
      target);
  return titles;
}

}  // namespace d2l
