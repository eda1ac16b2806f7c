// Tests of d2l/harness/errors.h: the line and the exit code a run ends with,
// worded by the harness from what the book's library's errors carry.
#include <d2l/harness/errors.h>
#include <d2l/harness/resource_limits.h>
#include <gtest/gtest.h>

#include <string>

TEST(Errors, ABadValueExitsTwoAndAFailedRunOne) {
  EXPECT_EQ(d2l::exit_code(d2l::UsageError("--lr: bad")), 2);
  EXPECT_EQ(d2l::exit_code(d2l::ArgumentError("batch_size", "bad")), 2);
  EXPECT_EQ(d2l::exit_code(d2l::DataError("x: corrupt")), 1);
  EXPECT_EQ(d2l::exit_code(d2l::DivergenceError(true, 1, {})), 1);
  EXPECT_EQ(d2l::exit_code(d2l::Error("anything")), 1);
}

TEST(Errors, TheLibrarysMessagesNameNoFlagAndTheHarnessAddsTheFix) {
  using Remedy = d2l::DataError::Remedy;
  using NamedBy = d2l::DataError::NamedBy;
  const d2l::DataError named(
      NamedBy::kCaller, "/d", " does not hold Fashion-MNIST", Remedy::kInstall);
  EXPECT_EQ(
      std::string(named.what()), "data_dir /d does not hold Fashion-MNIST");
  EXPECT_EQ(
      d2l::error_message(named),
      "--data-dir /d does not hold Fashion-MNIST; install it with `apt-get "
      "install dataset-fashion-mnist` (or scripts/setup.sh) or pass "
      "--data-dir with the folder that has them");
  const d2l::DataError env(
      NamedBy::kEnvironment,
      "/e",
      ": /e/x is a folder, not a file",
      Remedy::kReplaceEntry);
  EXPECT_EQ(
      d2l::error_message(env),
      "$D2L_DATA_DIR /e: /e/x is a folder, not a file (replace it with the "
      "real file or pass another --data-dir)");
  // A file's content is bad: the decoder says so; the data set's reader
  // turns it into kReinstall, the fix for a damaged download.
  EXPECT_EQ(
      d2l::error_message(d2l::DataError("f: bad magic", Remedy::kDamaged)),
      "f: bad magic");
  EXPECT_EQ(
      d2l::error_message(d2l::DataError("f: bad magic", Remedy::kReinstall)),
      "f: bad magic (a damaged download: reinstall it with `apt-get install "
      "--reinstall dataset-fashion-mnist` or pass another --data-dir)");
  EXPECT_EQ(
      d2l::error_message(d2l::FigureError(
          "cannot write figure f: it is a folder",
          d2l::FigureError::Remedy::kOtherFolder)),
      "cannot write figure f: it is a folder; remove it or choose another "
      "--out");
  EXPECT_EQ(
      d2l::error_message(d2l::OutOfMemoryError("f: out of memory for 9 bytes")),
      "f: out of memory for 9 bytes" + d2l::memory_limit_hint());
}
