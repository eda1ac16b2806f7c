// The learner's folder (exercises/): the starter program builds with the
// rest (tests/CMakeLists.txt makes the suite depend on it), takes the shared
// flags and its own, and trains to the book's thresholds.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "d2l_test_paths.h"
#include "support.h"

namespace fs = std::filesystem;

namespace {

std::string starter(const std::string& name = "starter") {
  return (fs::path(d2l_test::kExercisesBinDir) / name).string();
}

}  // namespace

TEST(Starter, TrainsToTheBooksThresholdsAndDrawsItsFigures) {
  const fs::path out = d2l_test::make_temp_dir();
  const auto r = d2l_test::run_program(
      starter(),
      {"--epochs", "2", "--weight-decay", "0.0001", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  const std::string text = r.out;
  ASSERT_TRUE(std::regex_search(
      text,
      m,
      std::regex("after 2 epochs \\(lr 0.1, momentum 0, weight decay "
                 "0.0001\\): train loss ([0-9.]+), train acc ([0-9.]+), test "
                 "acc ([0-9.]+)")))
      << text;
  EXPECT_LT(std::stod(m[1]), 0.7);
  EXPECT_GT(std::stod(m[2]), 0.7);
  EXPECT_GT(std::stod(m[3]), 0.7);
  // Six predictions, "true -> predicted".
  const std::regex prediction("\n[a-z -]+ -> [a-z -]+");
  EXPECT_EQ(
      std::distance(
          std::sregex_iterator(text.begin(), text.end(), prediction),
          std::sregex_iterator()),
      6)
      << text;
  if (d2l::gnuplot_available()) {
    EXPECT_TRUE(fs::exists(out / "starter_curves.png"));
    EXPECT_TRUE(fs::exists(out / "starter_predictions.png"));
  }
  fs::remove_all(out);
}

TEST(Starter, RefusesABadValueOfItsOwnFlags) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--momentum", "1"}, {"--weight-decay", "-0.1"}}) {
    const auto r = d2l_test::run_program(starter(), args);
    EXPECT_EQ(r.exit_code, 2) << args[0];
    EXPECT_NE(r.err.find(args[0]), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
  const auto help = d2l_test::run_program(starter(), {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag :
       {"--momentum", "--weight-decay", "--epochs", "--seed"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  }
}

TEST(Starter, EachCopyIsNamedAfterItsFile) {
  // A copy takes its name from __FILE__: two starters, two names, and
  // figures that do not overwrite each other's.
  for (const char* name : {"starter", "linreg_starter"}) {
    const auto help = d2l_test::run_program(starter(name), {"--help"});
    EXPECT_EQ(help.exit_code, 0) << name;
    EXPECT_NE(
        help.out.find(std::string("(exercises/") + name + ".cpp)"),
        std::string::npos)
        << help.out;
  }
  const fs::path out = d2l_test::make_temp_dir();
  const auto r = d2l_test::run_program(
      starter("linreg_starter"), {"--epochs", "1", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  if (d2l::gnuplot_available()) {
    EXPECT_TRUE(fs::exists(out / "linreg_starter_loss.png")) << r.err;
  }
  fs::remove_all(out);
}

TEST(Starter, LinearRegressionRecoversTheTrueParameters) {
  const auto r =
      d2l_test::run_program(starter("linreg_starter"), {"--no-figures"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(r.out, m, std::regex("epoch 3, loss ([0-9.e-]+)\n")))
      << r.out;
  EXPECT_LT(std::stod(m[1]), 1e-3) << r.out;
  ASSERT_TRUE(std::regex_search(
      r.out,
      m,
      std::regex("error in w: tensor\\(\\[ *([-0-9.e]+), +([-0-9.e]+)\\]")))
      << r.out;
  EXPECT_LT(std::abs(std::stod(m[1])), 0.01) << r.out;
  EXPECT_LT(std::abs(std::stod(m[2])), 0.01) << r.out;
  // A rate that is too large stops with the message naming the epoch.
  const auto diverged = d2l_test::run_program(
      starter("linreg_starter"), {"--lr", "100", "--no-figures"});
  EXPECT_EQ(diverged.exit_code, 1);
  EXPECT_NE(diverged.err.find("diverged"), std::string::npos) << diverged.err;
}
