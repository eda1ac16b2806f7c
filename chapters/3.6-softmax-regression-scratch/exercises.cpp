// Section 3.6 Softmax regression from scratch: the exercises (d2l-zh 2nd
// ed., 3.6 exercises 1-5), each declared once in add_exercises: its flag,
// what it shows (`--exercises` lists them) and its demo, which App::run
// prints after the book's cells. --stable also changes cells 7 and 19
// (main.cpp).
#include "exercises.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace softmax_regression_scratch {

// What a NaN loss means when training with the book's softmax.
const char* const kNaiveSoftmaxDivergence =
    "the naive softmax overflowed (exp(o) is inf in float32 once an output o "
    "exceeds 88.7, or a probability rounds to 0 and log(0) = -inf: exercises "
    "3.6-1, 3.6-2): rerun with --stable, which computes softmax and "
    "cross-entropy without overflow";

// Exercise 3.6-3: cross-entropy from the logits with LogSumExp (the loss of
// cell 19 under --stable).
torch::Tensor stable_cross_entropy(
    const torch::Tensor& o, const torch::Tensor& y) {
  const auto m = std::get<0>(o.max(1, /*keepdim=*/true));
  const auto lse = m.squeeze(1) + torch::log(torch::exp(o - m).sum(1));
  return lse - o.index({torch::arange(o.size(0), y.options()), y});
}

namespace {

// Exercise 3.6-4: answer only when the top probability reaches a threshold
// (0: always answer)
constexpr std::array<double, 6> kRejectThresholds = {
    0.0, 0.5, 0.7, 0.9, 0.95, 0.99};
// Exercise 3.6-5: a word vector's length (d), as word2vec's
constexpr int64_t kWordVectorSize = 300;
// Exercise 3.6-5: the minibatch of the timed forward pass
constexpr int64_t kVocabBatchSize = 256;
// Exercise 3.6-5: vocabulary sizes q that are run
constexpr std::array<int64_t, 4> kVocabSizes = {10, 1000, 10000, 100000};
// Exercise 3.6-5: a vocabulary size whose memory is only computed
constexpr int64_t kVocabSizeNotRun = 1000000;

// Exercise: softmax that cannot overflow (exp of at most 0).
torch::Tensor stable_softmax(const torch::Tensor& X) {
  const auto shifted = X - std::get<0>(X.max(1, /*keepdim=*/true));
  const auto X_exp = torch::exp(shifted);
  return X_exp / X_exp.sum(1, /*keepdim=*/true);
}

// Exercise 3.6-1: exp overflows float32, so the naive softmax gives NaN.
void softmax_overflow_demo() {
  fmt::print(
      "\n# exercise 3.6-1: what can go wrong with the naive softmax? "
      "(exp(50))\n");
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
}

// Exercise 3.6-2: a probability that rounds to 0 makes the loss log(0).
void cross_entropy_log_demo() {
  fmt::print(
      "\n# exercise 3.6-2: what can go wrong with cross_entropy by its "
      "definition? (log's domain)\n");
  const auto big = torch::tensor({{50.0f, 150.0f, 1.0f}});
  const auto y = torch::tensor({2}, torch::kInt64);
  fmt::print(
      "cross_entropy for class 2 on those probabilities: {}  (-log(0): "
      "exp(1 - 150) underflows to 0 in float32)\n",
      d2l::repr(cross_entropy(stable_softmax(big), y)));
  fmt::print(
      "cross-entropy from the logits, logsumexp(o) - o_y: {}\n",
      d2l::repr(stable_cross_entropy(big, y)));
}

// Exercise 3.6-3: what training with the stable versions gave.
void stable_training_summary(
    const std::vector<d2l::EpochMetrics>& metrics, double lr) {
  fmt::print(
      "\n# exercise 3.6-3: a fix for both: softmax and cross-entropy "
      "without overflow\n");
  const auto& last = metrics.back();
  fmt::print(
      "trained with --stable at lr {}: epoch {}: train loss {:.4f}, train acc "
      "{:.4f}, test acc {:.4f}\n",
      d2l::py_float(lr),
      last.epoch,
      last.train_loss,
      last.train_acc,
      last.test_acc);
  fmt::print(
      "exp(o - max o) is at most 1 and logsumexp(o) - o_y never takes "
      "log(0): the loss is finite whenever the logits are (compare a run "
      "without --stable at this --lr)\n");
}

// Exercise 3.6-4: a reject option. On the test set, answer only when the
// top probability reaches a threshold; the rest would go to a person.
void reject_option_demo(
    const d2l::Net& net,
    const d2l::ArrayLoader& test_iter,
    bool net_gives_logits) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> probs;
  std::vector<torch::Tensor> labels;
  for (const auto& batch : test_iter) {
    const auto out = net(batch[0]);
    probs.push_back(net_gives_logits ? stable_softmax(out) : out);
    labels.push_back(batch[1]);
  }
  const auto P = torch::cat(probs);
  const auto y = torch::cat(labels);
  const auto [confidence, predicted] = P.max(1);
  const auto correct = predicted == y;
  const int64_t n = y.size(0);
  fmt::print(
      "\n# exercise 3.6-4: is the most likely label always the best answer? "
      "(a reject option)\n");
  fmt::print(
      "confidence (top probability) on the {} test images: mean {:.4f}, "
      "lowest {:.4f}\n",
      n,
      confidence.mean().item<double>(),
      confidence.min().item<double>());
  fmt::print(
      "{:>9} {:>8} {:>8} {:>8}\n",
      "threshold",
      "answered",
      "coverage",
      "accuracy");
  // The rows that answered any case, as printed: threshold, coverage and
  // accuracy.
  std::vector<std::array<std::string, 3>> rows;
  for (const double t : kRejectThresholds) {
    const auto answer = confidence >= t;
    const int64_t answered = answer.sum().item<int64_t>();
    const int64_t right = (correct & answer).sum().item<int64_t>();
    const double coverage =
        static_cast<double>(answered) / static_cast<double>(n);
    const auto accuracy =
        answered == 0
            ? std::string("-")
            : fmt::format(
                  "{:.4f}",
                  static_cast<double>(right) / static_cast<double>(answered));
    fmt::print(
        "{:>9.2f} {:>8} {:>8.4f} {:>8}\n", t, answered, coverage, accuracy);
    if (answered > 0) {
      rows.push_back(
          {fmt::format("{:.2f}", t),
           fmt::format("{:.4f}", coverage),
           accuracy});
    }
  }
  if (rows.size() >= 2) {
    const auto& first = rows.front();
    const auto& last = rows.back();
    const auto trend = [](const std::string& from, const std::string& to) {
      const double a = std::stod(from);
      const double b = std::stod(to);
      return a < b ? "rose" : a > b ? "fell" : "stayed";
    };
    bool every_step = true;
    for (size_t i = 1; i < rows.size(); ++i) {
      every_step =
          every_step && std::stod(rows[i][2]) > std::stod(rows[i - 1][2]);
    }
    const std::string accuracy_trend = trend(first[2], last[2]);
    fmt::print(
        "here, from threshold {} to {}, coverage {} from {} to {} and accuracy "
        "{} from {} to {}{}\n",
        first[0],
        last[0],
        trend(first[1], last[1]),
        first[1],
        last[1],
        accuracy_trend,
        first[2],
        last[2],
        accuracy_trend != "rose" ? ""
        : every_step             ? ", at every step"
                                 : ", though not at every step");
  }
  fmt::print(
      "so no: the unanswered cases go to a person (a doctor), and with "
      "unequal costs of errors (a missed illness against a needless test) the "
      "best answer minimises the expected cost sum_k P(k | x) cost(answer, "
      "k), which need not be the most likely label\n");
}

// Exercise 3.6-5: a softmax over a vocabulary of q words: q scores per
// example to compute and normalise.
void vocab_softmax_demo(torch::Device device) {
  constexpr int64_t d = kWordVectorSize;
  constexpr int64_t batch = kVocabBatchSize;
  fmt::print(
      "\n# exercise 3.6-5: softmax regression over a vocabulary of q words "
      "(d = {}, minibatch of {})\n",
      d,
      batch);
  fmt::print(
      "{:>8} {:>11} {:>10} {:>12} {:>8} {:>8}  {}\n",
      "q",
      "parameters",
      "W+b (MB)",
      "outputs (MB)",
      "loss",
      "log(q)",
      "XW + b, softmax, cross-entropy");
  const auto sizes = [](int64_t q) {
    const int64_t params = q * d + q;
    return std::pair{
        params,
        std::pair{
            static_cast<double>(params * 4) / 1e6,
            static_cast<double>(batch * q * 4) / 1e6}};
  };
  for (const int64_t q : kVocabSizes) {
    const auto W = torch::normal(/*mean=*/0, /*std=*/0.01, {d, q}).to(device);
    const auto b = torch::zeros({q}, torch::TensorOptions().device(device));
    const auto X = torch::normal(/*mean=*/0, /*std=*/1, {batch, d}).to(device);
    const auto y = torch::randint(/*low=*/0, /*high=*/q, {batch}, torch::kInt64)
                       .to(device);
    d2l::Timer timer;
    const auto loss =
        torch::nn::functional::cross_entropy(torch::matmul(X, W) + b, y);
    const double value = loss.item<double>();  // waits for the result
    const double seconds = timer.stop();
    const auto [params, mb] = sizes(q);
    fmt::print(
        "{:>8} {:>11} {:>10.2f} {:>12.2f} {:>8.4f} {:>8.4f}  {:.4f} sec\n",
        q,
        params,
        mb.first,
        mb.second,
        value,
        std::log(static_cast<double>(q)),
        seconds);
  }
  const auto [params, mb] = sizes(kVocabSizeNotRun);
  fmt::print(
      "{:>8} {:>11} {:>10.2f} {:>12.2f} {:>8} {:>8.4f}  (not run)\n",
      kVocabSizeNotRun,
      params,
      mb.first,
      mb.second,
      "-",
      std::log(static_cast<double>(kVocabSizeNotRun)));
  fmt::print(
      "every prediction scores and normalises all q words: O(q d) work per "
      "example, and weights, outputs and gradients grow linearly in q; a "
      "uniform guess's loss, log(q), grows too\n");
  fmt::print(
      "most words are rare, so most columns of W (one per word) see few "
      "examples; hierarchical softmax and negative sampling avoid the full "
      "softmax\n");
}

}  // namespace

void add_exercises(d2l::App& app, Cells& cells) {
  app.exercise(
         "3.6-1",
         "exp(50) fits float32, exp(100) is inf: the naive softmax gives NaN")
      .part(
          "3.6-2",
          "a probability that underflows to 0 makes cross_entropy -log(0) = "
          "inf")
      .flag(
          "--softmax-demo",
          "the naive softmax overflows (exp(100)) and cross_entropy takes "
          "log(0); the stable versions don't")
      .runs([] {
        softmax_overflow_demo();
        cross_entropy_log_demo();
      });
  app.exercise(
         "3.6-3",
         "the stable softmax and LogSumExp cross-entropy train where the "
         "naive ones give NaN (try --lr 1 without --stable)")
      .flag(
          "--stable",
          "train with the stable softmax and cross-entropy (subtract the row "
          "max; LogSumExp)")
      .with("--lr 1")
      .runs([&cells] { stable_training_summary(cells.metrics, cells.lr); });
  app.exercise(
         "3.6-4",
         "answering only when confident: coverage against accuracy for a few "
         "thresholds; with unequal costs, the least expected cost")
      .flag(
          "--reject-option",
          "after training, answer only above a confidence threshold: "
          "coverage against accuracy")
      .runs([&app, &cells] {
        reject_option_demo(
            *cells.net,
            *cells.test_iter,
            /*net_gives_logits=*/app.given("--stable"));
      });
  app.exercise(
         "3.6-5",
         "parameters, memory and time of one softmax + cross-entropy as the "
         "vocabulary grows to 1e5 words")
      .flag(
          "--vocab-softmax",
          "parameters, memory and time of a softmax over a vocabulary of q "
          "words")
      .runs([&app] { vocab_softmax_demo(app.device()); });
}

}  // namespace softmax_regression_scratch
