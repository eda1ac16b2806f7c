// d2l_test::NumbersClose, which decides pass or fail for every golden
// outside the book's set-up: the text must match, integers must be equal,
// and each printed number may move by atol plus one unit of its last digit.
#include <gtest/gtest.h>

#include "support.h"

using d2l_test::NumbersClose;

TEST(NumbersClose, IdenticalOutputsAreClose) {
  EXPECT_TRUE(
      NumbersClose("epoch 1, loss 0.042916\n", "epoch 1, loss 0.042916\n", 0));
}

TEST(NumbersClose, OneUnitOfTheLastPrintedDigitIsAllowedWithNoTolerance) {
  // Rounding to 4 decimals turns any tiny difference into up to 1e-4.
  EXPECT_TRUE(NumbersClose("loss 0.5001", "loss 0.5000", 0));
  EXPECT_TRUE(NumbersClose("loss 0.4999", "loss 0.5000", 0));
  EXPECT_FALSE(NumbersClose("loss 0.5002", "loss 0.5000", 0));
}

TEST(NumbersClose, TheToleranceAddsToThePrintedUnit) {
  EXPECT_FALSE(NumbersClose("loss 0.5003", "loss 0.5000", 1e-4));
  EXPECT_TRUE(NumbersClose("loss 0.5003", "loss 0.5000", 2e-4));
}

TEST(NumbersClose, TheUnitOfAnExponentNumberFollowsItsExponent) {
  // 9.5e-07 is printed to 1e-08; 1.9e-06 is 9.5e-07 away.
  EXPECT_FALSE(NumbersClose("diff 1.9e-06", "diff 9.5e-07", 0));
  EXPECT_TRUE(NumbersClose("diff 9.6e-07", "diff 9.5e-07", 0));
  EXPECT_TRUE(NumbersClose("diff 1.9e-06", "diff 9.5e-07", 1e-6));
}

TEST(NumbersClose, IntegersMustBeEqualWhateverTheTolerance) {
  EXPECT_FALSE(NumbersClose("epoch 4", "epoch 3", 10));
  EXPECT_FALSE(
      NumbersClose("torch.Size([256, 10])", "torch.Size([256, 11])", 1));
}

TEST(NumbersClose, TheSignCounts) {
  EXPECT_FALSE(NumbersClose("w -0.5", "w 0.5", 0));
}

TEST(NumbersClose, TheTextAroundTheNumbersMustMatch) {
  EXPECT_FALSE(NumbersClose("train loss 0.5", "test loss 0.5", 1));
  EXPECT_FALSE(NumbersClose("loss nan", "loss 0.5", 1));
  EXPECT_TRUE(NumbersClose("loss nan", "loss nan", 0));
}

TEST(NumbersClose, AMissingOrExtraNumberFails) {
  EXPECT_FALSE(NumbersClose("1.0 2.0", "1.0", 1));
  EXPECT_FALSE(NumbersClose("1.0", "1.0 2.0", 1));
}

TEST(NumbersClose, WhitespaceFollowsTheWidthsOfTheNumbers) {
  // Columns aligned to other widths: same numbers, same text.
  EXPECT_TRUE(NumbersClose("a  1.0\nb 10.0\n", "a 1.0\nb 10.0", 0));
}

TEST(NumbersClose, TimingsAreIgnored) {
  EXPECT_TRUE(NumbersClose("'0.05 sec'", "'3.17 sec'", 0));
  EXPECT_TRUE(NumbersClose("'1 sec' epoch 2", "'12 sec' epoch 2", 0));
  EXPECT_FALSE(NumbersClose("'0.05 sec' epoch 2", "'3.17 sec' epoch 3", 0));
}
