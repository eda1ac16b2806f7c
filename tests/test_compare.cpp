// scripts/compare.py's --spread mode: a teacher checking a student's run
// from another machine against the reference, within the measured spread.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support.h"

namespace fs = std::filesystem;

namespace {

// compare.py with `args`; skips the test without a python3.
d2l_test::RunResult compare(const std::vector<std::string>& args) {
  std::vector<std::string> all = {
      (fs::path(d2l_test::kSourceDir) / "scripts" / "compare.py").string()};
  all.insert(all.end(), args.begin(), args.end());
  return d2l_test::run_program("/usr/bin/python3", all);
}

std::string metrics(double train_loss) {
  return "{\"epoch\": 1, \"train_loss\": " +
         fmt::format("{:.17g}", train_loss) +
         ", \"train_acc\": 0.74871, \"test_acc\": 0.7899}\n";
}

}  // namespace

TEST(Compare, SpreadModeAcceptsWhatBlasKernelsMoveAndNoMore) {
  if (!fs::exists("/usr/bin/python3")) {
    GTEST_SKIP() << "no /usr/bin/python3 (scripts/setup.sh --with-python)";
  }
  const fs::path tmp = d2l_test::make_temp_dir();
  // 3.6's measured spread of its metrics is about 1e-8 (TOLERANCES).
  const double kReference = 0.7865463741938273;
  std::ofstream(tmp / "reference.jsonl") << metrics(kReference);
  std::ofstream(tmp / "kernels.jsonl") << metrics(kReference + 5e-9);
  std::ofstream(tmp / "more.jsonl") << metrics(kReference + 1e-6);
  const auto file = [&](const char* name) { return (tmp / name).string(); };
  // Exactly, both differ.
  EXPECT_EQ(
      compare({"--metrics", file("kernels.jsonl"), file("reference.jsonl")})
          .exit_code,
      1);
  const auto kernels = compare(
      {"--metrics",
       "--spread",
       "3.6",
       file("kernels.jsonl"),
       file("reference.jsonl")});
  EXPECT_EQ(kernels.exit_code, 0) << kernels.out << kernels.err;
  EXPECT_NE(
      kernels.out.find("within the spread measured across BLAS kernels"),
      std::string::npos)
      << kernels.out;
  const auto more = compare(
      {"--metrics",
       "--spread",
       "3.6",
       file("more.jsonl"),
       file("reference.jsonl")});
  EXPECT_EQ(more.exit_code, 1) << more.out;
  // Printed text: a number may also move by one unit of its last digit;
  // integers and text may not.
  std::ofstream(tmp / "a.txt") << "epoch 3, loss 0.000048\nbatch 10\n";
  std::ofstream(tmp / "b.txt") << "epoch 3, loss 0.000047\nbatch 10\n";
  std::ofstream(tmp / "c.txt") << "epoch 3, loss 0.000047\nbatch 11\n";
  EXPECT_EQ(
      compare({"--spread", "3.2", file("a.txt"), file("b.txt")}).exit_code, 0);
  EXPECT_EQ(
      compare({"--spread", "3.2", file("c.txt"), file("b.txt")}).exit_code, 1);
  EXPECT_EQ(
      compare({"--spread", "9.9", file("a.txt"), file("b.txt")}).exit_code, 2);
  fs::remove_all(tmp);
}
