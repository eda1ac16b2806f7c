#include <gtest/gtest.h>

#include "support.h"

TEST(Accumulator, SumsEachSlotAsDoubles) {
  d2l::Accumulator metric(3);
  metric.add({1.5, 2, 0.1});
  metric.add({0.5, 3, 0.2});
  EXPECT_EQ(metric.size(), 3u);
  EXPECT_DOUBLE_EQ(metric[0], 2.0);
  EXPECT_DOUBLE_EQ(metric[1], 5.0);
  // Python floats: 0.1 + 0.2 == 0.30000000000000004, exactly.
  EXPECT_EQ(metric[2], 0.1 + 0.2);
}

TEST(Accumulator, ResetZeroesEverySlot) {
  d2l::Accumulator metric(2);
  metric.add({4, 5});
  metric.reset();
  EXPECT_EQ(metric[0], 0.0);
  EXPECT_EQ(metric[1], 0.0);
}

TEST(Accumulator, RejectsWrongNumberOfValues) {
  d2l::Accumulator metric(2);
  EXPECT_THROW(metric.add({1}), std::invalid_argument);
  EXPECT_THROW(metric[2], std::out_of_range);
}
