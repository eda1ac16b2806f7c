// d2l::PyRandom against values printed by CPython's `random` module
// (tests/golden/pyrandom.txt, from scripts/golden/gen_pyrandom.py).
#include <gtest/gtest.h>

#include "golden_file.h"
#include "support.h"

namespace {

const auto& golden() {
  static const auto table = d2l_test::read_golden_table("pyrandom.txt", 2);
  return table;
}

const std::vector<int64_t> kSeeds = {
    0, 1, 42, (1LL << 32) + 5, 12345678901234LL, -7};

}  // namespace

TEST(PyRandom, GoldenFilePresent) {
  ASSERT_FALSE(golden().empty()) << "tests/golden/pyrandom.txt missing";
}

TEST(PyRandom, GetrandbitsMatchesPython) {
  for (const int64_t seed : kSeeds) {
    d2l::PyRandom r(seed);
    const auto& expected = golden().at("getrandbits32 " + std::to_string(seed));
    for (const auto& value : expected) {
      EXPECT_EQ(r.getrandbits(32), std::stoul(value)) << "seed " << seed;
    }
  }
}

TEST(PyRandom, RandbelowMatchesPython) {
  const std::vector<uint64_t> bounds = {1, 2, 3, 10, 1000, (1ULL << 31) + 3};
  for (const int64_t seed : kSeeds) {
    d2l::PyRandom r(seed);
    const auto& expected = golden().at("randbelow " + std::to_string(seed));
    ASSERT_EQ(expected.size(), bounds.size());
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      EXPECT_EQ(r.randbelow(bounds[i]), std::stoull(expected[i]));
    }
  }
}

TEST(PyRandom, RandomMatchesPython) {
  for (const int64_t seed : kSeeds) {
    d2l::PyRandom r(seed);
    for (const auto& value : golden().at("random " + std::to_string(seed))) {
      EXPECT_EQ(r.random(), std::stod(value)) << "seed " << seed;
    }
  }
}

TEST(PyRandom, ShuffleMatchesPython) {
  for (const int64_t seed : kSeeds) {
    d2l::PyRandom r(seed);
    std::vector<int> x(20);
    std::iota(x.begin(), x.end(), 0);
    r.shuffle(x);
    const auto& expected = golden().at("shuffle20 " + std::to_string(seed));
    ASSERT_EQ(expected.size(), x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[i], std::stoi(expected[i])) << "seed " << seed << " i " << i;
    }
  }
}

TEST(PyRandom, BookPeekBatchOrder) {
  // 3.2 draws its first minibatch from random.shuffle(range(1000)), seed 0.
  d2l::PyRandom r(0);
  std::vector<int> x(1000);
  std::iota(x.begin(), x.end(), 0);
  r.shuffle(x);
  const std::vector<int> book = {
      439, 621, 160, 549, 237, 389, 658, 507, 124, 290};
  EXPECT_EQ(std::vector<int>(x.begin(), x.begin() + 10), book);
}

TEST(PyRandom, ReseedRestartsTheSequence) {
  d2l::PyRandom r(5);
  const auto first = r.genrand32();
  r.genrand32();
  r.seed(5);
  EXPECT_EQ(r.genrand32(), first);
}

TEST(PyRandom, RejectsInvalidArguments) {
  d2l::PyRandom r(0);
  EXPECT_THROW(r.randbelow(0), std::invalid_argument);
  EXPECT_THROW(r.getrandbits(0), std::invalid_argument);
  EXPECT_THROW(r.getrandbits(33), std::invalid_argument);
}
