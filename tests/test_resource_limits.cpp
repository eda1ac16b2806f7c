// A stack, address-space or data limit (ulimit -s, -v, -d) too small for
// LibTorch and OpenBLAS gets one line and a non-zero exit: no hang (OpenBLAS
// retries a buffer it cannot map forever), no crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "support.h"

#if defined(__SANITIZE_ADDRESS__)
#define D2L_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define D2L_TEST_ASAN 1
#endif
#endif

// AddressSanitizer maps terabytes of shadow memory at start: under an
// address-space or data limit a sanitized program cannot even start.
#ifdef D2L_TEST_ASAN
#define SKIP_UNDER_ASAN() \
  GTEST_SKIP() << "AddressSanitizer's shadow memory exceeds any such limit"
#else
#define SKIP_UNDER_ASAN() static_cast<void>(0)
#endif

namespace {

constexpr const char* kSection = "3.6-softmax-regression-scratch";

// Runs section `name` with `flags` under `ulimit LIMIT` (sh's), stopped by
// timeout(1) after 120 s: exit code 124 is a hang.
d2l_test::RunResult run_limited(
    const std::string& limit,
    const std::string& name,
    const std::vector<std::string>& flags) {
  std::vector<std::string> args = {
      "-c",
      "ulimit " + limit + " && exec timeout 120 \"$0\" \"$@\"",
      d2l_test::section_exe(name)};
  args.insert(args.end(), flags.begin(), flags.end());
  return d2l_test::run_program("/bin/sh", args);
}

int count_lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

const std::vector<std::string> kFlags = {"--no-figures", "--epochs", "1"};

// The refusal at -v 700000 (KiB): above what the dynamic loader needs for
// LibTorch's libraries (about 540 MB on Debian 12), below what starting needs.
d2l_test::RunResult refused_start() {
  return run_limited("-v 700000", kSection, kFlags);
}

}  // namespace

TEST(ResourceLimits, StackBelowTheMinimumIsOneLine) {
  const auto r = run_limited("-s 128", kSection, kFlags);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("ulimit -s"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(ResourceLimits, AddressSpaceTooSmallToStartIsOneLine) {
  SKIP_UNDER_ASAN();
  const auto r = refused_start();
  if (r.exit_code == 127) {
    GTEST_SKIP() << "LibTorch's libraries alone exceed 700000 KiB here: "
                 << r.err;
  }
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("ulimit -v"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(ResourceLimits, AddressSpaceTooSmallForTheRunIsOneLineNotAHang) {
  SKIP_UNDER_ASAN();
  // Just above what the refusal says starting needs: the start passes, and
  // the data (Fashion-MNIST as floats, ~200 MB) does not fit.
  const auto refused = refused_start();
  if (refused.exit_code == 127) {
    GTEST_SKIP() << "LibTorch's libraries alone exceed 700000 KiB here: "
                 << refused.err;
  }
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(refused.err, m, std::regex("need about ([0-9]+) KiB")))
      << "no refusal to read the start's need from: " << refused.err;
  const long need = std::stol(m[1]);
  const auto r =
      run_limited("-v " + std::to_string(need + 20000), kSection, kFlags);
  const auto err = d2l_test::without_setup_note(r.err);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(count_lines(err), 1) << r.err;
  EXPECT_NE(err.find("ulimit -v"), std::string::npos) << r.err;
  EXPECT_EQ(err.find("damaged"), std::string::npos) << r.err;
  // With room for the run, it runs.
  const auto ok = run_limited(
      "-v " + std::to_string(need + 400000),
      "3.2-linear-regression-scratch",
      {"--no-figures"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(ResourceLimits, DataLimitTooSmallToStartIsOneLine) {
  SKIP_UNDER_ASAN();
  const auto r = run_limited("-d 100000", kSection, kFlags);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("ulimit -d"), std::string::npos) << r.err;
}
