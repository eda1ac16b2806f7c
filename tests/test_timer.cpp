#include <gtest/gtest.h>

#include <thread>

#include "support.h"

TEST(Timer, RecordsEachInterval) {
  d2l::Timer timer;
  for (int i = 0; i < 3; ++i) {
    timer.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    EXPECT_GT(timer.stop(), 0.0);
  }
  ASSERT_EQ(timer.times().size(), 3u);
}

TEST(Timer, AverageSumAndCumsumAgree) {
  d2l::Timer timer;
  for (int i = 0; i < 3; ++i) {
    timer.start();
    timer.stop();
  }
  const auto& t = timer.times();
  EXPECT_DOUBLE_EQ(timer.sum(), t[0] + t[1] + t[2]);
  EXPECT_DOUBLE_EQ(timer.avg(), timer.sum() / 3);
  const auto cs = timer.cumsum();
  ASSERT_EQ(cs.size(), 3u);
  EXPECT_DOUBLE_EQ(cs[0], t[0]);
  EXPECT_DOUBLE_EQ(cs[2], timer.sum());
}

TEST(Timer, AverageOfNoIntervalsIsZero) {
  d2l::Timer timer;
  EXPECT_EQ(timer.avg(), 0.0);
  EXPECT_TRUE(timer.cumsum().empty());
}
