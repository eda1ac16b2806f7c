// The book's training helpers of 3.6 (accuracy, evaluate_accuracy,
// train_epoch_ch3, Animator, train_ch3, predict_ch3) on small tensors.
#include <gtest/gtest.h>

#include <filesystem>

#include "support.h"

namespace fs = std::filesystem;

namespace {

// A 2-class toy problem: the class is whether x0 > x1.
std::pair<torch::Tensor, torch::Tensor> toy_data(int64_t n) {
  const auto X = torch::randn({n, 2});
  const auto y = (X.select(1, 0) > X.select(1, 1)).to(torch::kInt64);
  return {X, y};
}

}  // namespace

TEST(Accuracy, CountsArgmaxMatchesAsAFloat) {
  const auto y_hat = torch::tensor({{0.1f, 0.3f, 0.6f}, {0.3f, 0.2f, 0.5f}});
  const auto y = torch::tensor({0, 2}, torch::kInt64);
  EXPECT_EQ(d2l::accuracy(y_hat, y), 1.0);  // the book's 0.5 * len(y)
}

TEST(Accuracy, AcceptsPredictedLabels) {
  const auto y = torch::tensor({1, 2, 3}, torch::kInt64);
  EXPECT_EQ(d2l::accuracy(torch::tensor({1, 0, 3}, torch::kInt64), y), 2.0);
}

TEST(EvaluateAccuracy, IsCorrectOverExamplesOfOnePass) {
  const auto X = torch::tensor({{1.0f, 0.0f}, {0.0f, 1.0f}, {1.0f, 0.0f}});
  const auto y = torch::tensor({0, 1, 1}, torch::kInt64);
  const d2l::Net identity([](const torch::Tensor& x) { return x; });
  EXPECT_DOUBLE_EQ(
      d2l::evaluate_accuracy(identity, d2l::load_array({X, y}, 2, false)),
      2.0 / 3.0);
}

TEST(EvaluateAccuracy, SwitchesAModuleToEvalMode) {
  torch::nn::Sequential net(torch::nn::Linear(2, 2));
  net->train(true);
  auto [X, y] = toy_data(8);
  d2l::evaluate_accuracy(
      d2l::Net::module(net), d2l::load_array({X, y}, 4, false));
  EXPECT_FALSE(net->is_training());
}

class TrainEpoch : public d2l_test::Seeded {};

TEST_F(TrainEpoch, CustomUpdaterLearnsTheToyProblem) {
  auto [X, y] = toy_data(512);
  auto W = torch::normal(0, 0.01, {2, 2}).requires_grad_();
  auto b = torch::zeros({2}, torch::requires_grad());
  const d2l::Net net(
      [&](const torch::Tensor& x) { return torch::matmul(x, W) + b; });
  const d2l::Loss loss = [](const torch::Tensor& o, const torch::Tensor& t) {
    return torch::nn::functional::cross_entropy(
        o,
        t,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(
            torch::kNone));
  };
  int calls = 0;
  const d2l::Updater updater([&](int64_t n) {
    ++calls;
    d2l::sgd({W, b}, 0.5, n);
  });
  auto loader = d2l::load_array({X, y}, 64);
  double first_loss = 0;
  double last_acc = 0;
  for (int epoch = 0; epoch < 5; ++epoch) {
    const auto [l, acc] = d2l::train_epoch_ch3(net, loader, loss, updater);
    if (epoch == 0) {
      first_loss = l;
    }
    EXPECT_GE(acc, 0.0);
    EXPECT_LE(acc, 1.0);
    last_acc = acc;
  }
  EXPECT_EQ(calls, 5 * 8);
  EXPECT_GT(last_acc, 0.9);
  EXPECT_LT(d2l::evaluate_accuracy(net, loader), 1.0 + 1e-12);
  EXPECT_GT(first_loss, 0.0);
}

TEST_F(TrainEpoch, TorchOptimizerUpdaterLearnsTheToyProblem) {
  auto [X, y] = toy_data(512);
  torch::nn::Sequential net(torch::nn::Linear(2, 2));
  torch::optim::SGD trainer(net->parameters(), torch::optim::SGDOptions(0.5));
  torch::nn::CrossEntropyLoss ce(
      torch::nn::CrossEntropyLossOptions().reduction(torch::kNone));
  const d2l::Loss loss = [&ce](const torch::Tensor& o, const torch::Tensor& t) {
    return ce->forward(o, t);
  };
  auto loader = d2l::load_array({X, y}, 64);
  std::pair<double, double> metrics;
  for (int epoch = 0; epoch < 5; ++epoch) {
    metrics =
        d2l::train_epoch_ch3(d2l::Net::module(net), loader, loss, trainer);
  }
  EXPECT_TRUE(net->is_training());
  EXPECT_GT(metrics.second, 0.9);
}

TEST(TrainCh3, MetricsJsonHasFullPrecisionValues) {
  d2l::EpochMetrics m{1, 0.7865463741938273, 0.7487166666666667, 0.7899, 1.5};
  EXPECT_EQ(
      d2l::metrics_json(m),
      R"({"epoch": 1, "train_loss": 0.7865463741938273, )"
      R"("train_acc": 0.7487166666666667, "test_acc": 0.7899})");
}

TEST(TrainCh3, BookChecksReportEachFailure) {
  EXPECT_TRUE(d2l::train_ch3_check_failures({10, 0.44, 0.85, 0.83, 0}).empty());
  const auto failures = d2l::train_ch3_check_failures({1, 0.6, 0.65, 1.5, 0});
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_NE(failures[0].find("train loss 0.6"), std::string::npos);
  EXPECT_NE(failures[1].find("train accuracy 0.65"), std::string::npos);
  EXPECT_NE(failures[2].find("test accuracy 1.5"), std::string::npos);
}

TEST_F(TrainEpoch, TrainCh3WritesMetricsAndFigureAndStopsOnDivergence) {
  auto [X, y] = toy_data(256);
  const auto tmp = d2l_test::make_temp_dir();
  auto W = torch::zeros({2, 2}, torch::requires_grad());
  const d2l::Net net(
      [&](const torch::Tensor& x) { return torch::matmul(x, W); });
  const d2l::Loss loss = [](const torch::Tensor& o, const torch::Tensor& t) {
    return torch::nn::functional::cross_entropy(
        o,
        t,
        torch::nn::functional::CrossEntropyFuncOptions().reduction(
            torch::kNone));
  };
  double lr = 0.5;
  const d2l::Updater updater([&](int64_t n) { d2l::sgd({W}, lr, n); });
  d2l::TrainReport report;
  report.figure = {tmp, "train", true};
  report.metrics_file = fs::path(tmp) / "metrics.jsonl";
  report.progress = false;
  report.divergence.lr = lr;
  auto loader = d2l::load_array({X, y}, 32);
  const auto history =
      d2l::train_ch3(net, loader, loader, loss, 3, updater, report);
  ASSERT_EQ(history.size(), 3u);
  const auto text = d2l_test::read_file(report.metrics_file->string());
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_EQ(
      text.rfind(d2l::metrics_json(history[2]) + "\n"),
      text.size() - d2l::metrics_json(history[2]).size() - 1);
  if (d2l::gnuplot_available()) {
    EXPECT_TRUE(fs::exists(fs::path(tmp) / "train.png"));
  }
  // Poison the weights: the next epoch's loss is NaN.
  {
    torch::NoGradGuard no_grad;
    W.fill_(std::numeric_limits<float>::quiet_NaN());
  }
  report.figure.enabled = false;
  report.metrics_file.reset();
  try {
    d2l::train_ch3(net, loader, loader, loss, 2, updater, report);
    FAIL() << "expected DivergenceError";
  } catch (const d2l::DivergenceError& e) {
    EXPECT_NE(std::string(e.what()).find("epoch 1"), std::string::npos);
  }
  fs::remove_all(tmp);
}

TEST(CheckFiniteLoss, SuggestsTheDefaultAboveItAndATenthBelow) {
  EXPECT_NO_THROW(d2l::check_finite_loss(1.5, 1, {}));
  const auto message = [](double loss, d2l::DivergenceAdvice advice) {
    try {
      d2l::check_finite_loss(loss, 3, advice);
    } catch (const d2l::DivergenceError& e) {
      return d2l::error_message(e);  // the library's data, the harness's words
    }
    return std::string("no error");
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(
      message(nan, {100, 0.03, ""}),
      "training diverged: loss is nan at epoch 3 with lr 100; try a smaller "
      "learning rate: the default, --lr 0.03, converges");
  EXPECT_EQ(
      message(inf, {0.03, 0.03, ""}),
      "training diverged: loss is inf at epoch 3 with lr 0.03; try a smaller "
      "learning rate (e.g. --lr 0.003)");
  EXPECT_EQ(
      message(nan, {1, 0.1, "the cause: rerun with --fix"}),
      "training diverged: loss is nan at epoch 3 with lr 1; the cause: rerun "
      "with --fix, or try a smaller learning rate: the default, --lr 0.1, "
      "converges");
}

TEST(Animator, KeepsOnePointPerAddAndLine) {
  d2l::Animator animator({}, {"", "", /*enabled=*/false});
  animator.add(1, {0.5, 0.6});
  animator.add(2, {0.4, std::numeric_limits<double>::quiet_NaN()});
  ASSERT_EQ(animator.lines().size(), 2u);
  EXPECT_EQ(animator.lines()[0].x, (std::vector<double>{1, 2}));
  EXPECT_EQ(animator.lines()[1].y, (std::vector<double>{0.6}));
  EXPECT_THROW(animator.add(3, {1.0}), d2l::Error);
}

TEST(PredictCh3, TitlesAreTrueThenPredictedLabel) {
  const auto X = torch::zeros({4, 1, 28, 28});
  const auto y = torch::tensor({0, 9, 1, 2}, torch::kInt64);
  const d2l::Net always_bag([](const torch::Tensor& x) {
    auto o = torch::zeros({x.size(0), 10});
    o.select(1, 8).fill_(1);
    return o;
  });
  const auto titles = d2l::predict_ch3(
      always_bag, d2l::load_array({X, y}, 3, false), 6, {"", "", false});
  EXPECT_EQ(
      titles,
      (std::vector<std::string>{
          "t-shirt\nbag", "ankle boot\nbag", "trouser\nbag"}));
}
