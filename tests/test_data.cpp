// d2l::load_array / ArrayLoader and synthetic_data against PyTorch's
// DataLoader and the book's code (tests/golden/loader.txt, from
// scripts/golden/gen_loader.py).
#include <gtest/gtest.h>

#include <cstdlib>

#include "golden_file.h"
#include "support.h"

namespace {

// All golden lines starting with `prefix`, keyed by the rest of their key.
std::vector<std::vector<std::string>> lines_with(const std::string& prefix) {
  std::vector<std::vector<std::string>> out;
  std::ifstream in(std::string(d2l_test::kGoldenDir) + "/loader.txt");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream tokens(line);
    std::vector<std::string> t;
    std::string s;
    while (tokens >> s) {
      t.push_back(s);
    }
    if (!t.empty() && t[0] == prefix) {
      out.push_back(t);
    }
  }
  return out;
}

std::vector<float> rand3() {
  auto r = torch::rand({3});
  return {r[0].item<float>(), r[1].item<float>(), r[2].item<float>()};
}

void expect_rand3(const std::vector<std::string>& tokens, std::size_t from) {
  const auto r = rand3();
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_FLOAT_EQ(r[i], std::stof(tokens[from + i]));
  }
}

}  // namespace

TEST(LoadArray, MatchesDataLoaderOrder) {
  const auto passes = lines_with("pass");
  const auto rands = lines_with("rand");
  ASSERT_FALSE(passes.empty()) << "tests/golden/loader.txt missing";
  std::size_t p = 0;
  for (const auto& r : rands) {
    // key: seed n bs shuffle drop_last
    const uint64_t seed = std::stoull(r[1]);
    const int64_t n = std::stoll(r[2]);
    const int64_t bs = std::stoll(r[3]);
    const bool shuffle = r[4] == "1";
    const bool drop_last = r[5] == "1";
    torch::manual_seed(seed);
    auto loader = d2l::ArrayLoader({torch::arange(n)}, bs, shuffle, drop_last);
    for (int pass = 0; pass < 2; ++pass, ++p) {
      std::vector<int64_t> order;
      for (const auto& batch : loader) {
        EXPECT_LE(batch[0].size(0), bs);
        for (int64_t i = 0; i < batch[0].size(0); ++i) {
          order.push_back(batch[0][i].item<int64_t>());
        }
      }
      const auto& expected = passes.at(p);
      ASSERT_EQ(order.size(), expected.size() - 7)
          << "case " << r[1] << " " << r[2];
      for (std::size_t i = 0; i < order.size(); ++i) {
        ASSERT_EQ(order[i], std::stoll(expected[7 + i])) << "position " << i;
      }
    }
    expect_rand3(r, 6);  // the default generator is where Python left it
  }
}

TEST(LoadArray, AbandonedIteratorCostsAFullPassOfDraws) {
  for (const auto& peek : lines_with("peek")) {
    torch::manual_seed(std::stoull(peek[1]));
    auto loader = d2l::load_array({torch::arange(100)}, 10);
    const auto first = *loader.begin();  // next(iter(loader))
    for (int64_t i = 0; i < 10; ++i) {
      EXPECT_EQ(first[0][i].item<int64_t>(), std::stoll(peek[2 + i]));
    }
    for (const auto& r : lines_with("peekrand")) {
      if (r[1] == peek[1]) {
        expect_rand3(r, 2);
      }
    }
  }
}

TEST(LoadArray, CountsBatchesLikeLen) {
  EXPECT_EQ(d2l::load_array({torch::zeros({1005, 2})}, 10).num_batches(), 101);
  EXPECT_EQ(
      d2l::load_array({torch::zeros({1005, 2})}, 10, true, true).num_batches(),
      100);
  EXPECT_EQ(d2l::load_array({torch::zeros({5})}, 10).num_batches(), 1);
}

// (n + b - 1) / b overflowed for a batch size near INT64_MAX: zero batches,
// silently. A batch larger than the data set is one batch, as in PyTorch.
TEST(LoadArray, BatchLargerThanTheDataIsOneBatch) {
  constexpr int64_t kHuge = INT64_MAX;
  EXPECT_EQ(d2l::load_array({torch::zeros({5})}, kHuge).num_batches(), 1);
  EXPECT_EQ(
      d2l::load_array({torch::zeros({5})}, kHuge, true, true).num_batches(), 0);
  int batches = 0;
  for (const auto& batch : d2l::load_array({torch::arange(5)}, kHuge, false)) {
    EXPECT_EQ(batch[0].size(0), 5);
    ++batches;
  }
  EXPECT_EQ(batches, 1);
}

TEST(LoadArray, KeepsFeaturesAndLabelsTogether) {
  torch::manual_seed(1);
  const auto X = torch::arange(50).reshape({25, 2});
  const auto y = torch::arange(25);
  for (const auto& batch : d2l::load_array({X, y}, 4)) {
    EXPECT_TRUE(torch::equal(batch[0].select(1, 0), batch[1] * 2));
  }
}

TEST(LoadArray, RejectsBadArguments) {
  EXPECT_THROW(d2l::load_array({torch::zeros({4})}, 0), d2l::ArgumentError);
  EXPECT_THROW(d2l::load_array({}, 2), d2l::Error);
  EXPECT_THROW(
      d2l::load_array({torch::zeros({4}), torch::zeros({5})}, 2), d2l::Error);
}

TEST(SyntheticData, MatchesTheBookBitForBit) {
  torch::manual_seed(0);
  auto [X, y] = d2l::synthetic_data(
      torch::tensor({2.0, -3.4}, torch::kFloat32), 4.2, 1000);
  ASSERT_EQ(X.sizes(), torch::IntArrayRef({1000, 2}));
  ASSERT_EQ(y.sizes(), torch::IntArrayRef({1000, 1}));
  const auto xline = lines_with("synthetic");
  ASSERT_EQ(xline.size(), 3u);
  const auto hex = [](const std::string& s) {
    return static_cast<float>(std::strtod(s.c_str(), nullptr));
  };
  // Bit for bit in the book's arithmetic; with ATen's kernels chosen by hand
  // (another torch.normal kernel) within 4 ULPs.
  const bool exact = d2l_test::numeric_mode() == d2l_test::NumericMode::kExact;
  const auto expect_value = [&](float actual, const std::string& golden) {
    if (exact) {
      EXPECT_EQ(actual, hex(golden));
    } else {
      EXPECT_FLOAT_EQ(actual, hex(golden));
    }
  };
  expect_value(X[0][0].item<float>(), xline[0][2]);
  expect_value(X[0][1].item<float>(), xline[0][3]);
  expect_value(X[999][1].item<float>(), xline[0][4]);
  expect_value(y[0][0].item<float>(), xline[1][2]);
  expect_value(y[500][0].item<float>(), xline[1][3]);
  expect_value(y[999][0].item<float>(), xline[1][4]);
  expect_rand3(xline[2], 2);
}

TEST(Linreg, ModelLossAndSgdStep) {
  auto w = torch::tensor({{1.0f}, {2.0f}}).requires_grad_();
  auto b = torch::tensor({0.5f}).requires_grad_();
  const auto X = torch::tensor({{1.0f, 1.0f}, {2.0f, 0.0f}});
  const auto y = torch::tensor({3.0f, 3.0f});
  const auto y_hat = d2l::linreg(X, w, b);
  EXPECT_TRUE(
      d2l_test::TensorsIdentical(y_hat, torch::tensor({{3.5f}, {2.5f}})));
  const auto l = d2l::squared_loss(y_hat, y);
  EXPECT_TRUE(
      d2l_test::TensorsIdentical(l, torch::tensor({{0.125f}, {0.125f}})));
  l.sum().backward();
  // grads: w = X^T (y_hat - y) = [0.5 - 1, 0.5] ; b = 0.5 - 0.5 = 0
  d2l::sgd({w, b}, /*lr=*/0.1, /*batch_size=*/2);
  EXPECT_TRUE(d2l_test::TensorsIdentical(
      w.detach(),
      torch::tensor({{1.0f + 0.1f * 0.5f / 2}, {2.0f - 0.1f * 0.5f / 2}})));
  EXPECT_TRUE(torch::all(w.grad() == 0).item<bool>());
  EXPECT_TRUE(torch::all(b.grad() == 0).item<bool>());
}
