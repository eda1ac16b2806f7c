// The book's exercises: each section lists its own (`--exercises`), each with
// a command that runs; README.md's tables and --help say the same.
#include <d2l/d2l.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support.h"

namespace {

struct ListedExercise {
  std::string id;     // "3.1-2(d)"
  std::string flags;  // "--collinear", "" for the default run
};

// A section's `--exercises` list.
std::vector<ListedExercise> listed_exercises(const std::string& folder) {
  const auto r =
      d2l_test::run_program(d2l_test::section_exe(folder), {"--exercises"});
  EXPECT_EQ(r.exit_code, 0) << folder << ": " << r.err;
  std::vector<ListedExercise> out;
  const std::regex entry("\n  exercise (\\S+) +([^\n]*)\n      \\S");
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), entry), end;
       it != end;
       ++it) {
    std::string flags = (*it)[2];
    out.push_back({(*it)[1], flags == "(the default run)" ? "" : flags});
  }
  return out;
}

const std::vector<std::pair<std::string, int>> kBookExercises = {
    {"3.1-linear-regression", 3},
    {"3.2-linear-regression-scratch", 7},
    {"3.3-linear-regression-concise", 3},
    {"3.4-softmax-regression", 3},
    {"3.5-image-classification-dataset", 3},
    {"3.6-softmax-regression-scratch", 5},
    {"3.7-softmax-regression-concise", 2}};

}  // namespace

TEST(Exercises, EveryBookExerciseHasACommandThatRuns) {
  // The book's 26 exercises, each listed by its section with a command;
  // every listed command runs (its output is checked by the golden tests).
  int total = 0;
  for (const auto& [folder, count] : kBookExercises) {
    const auto section = folder.substr(0, folder.find('-'));
    std::set<std::string> numbers;
    std::vector<std::pair<std::string, std::string>> listed;
    for (const auto& e : listed_exercises(folder)) {
      EXPECT_EQ(e.id.rfind(section + "-", 0), 0u) << e.id;
      numbers.insert(e.id.substr(0, e.id.find('(')));
      listed.emplace_back(e.id, e.flags);
    }
    // --describe (kept by the build) lists the same, in the same order.
    std::vector<std::pair<std::string, std::string>> described;
    for (const auto& e : d2l_test::describe_section(folder).exercises) {
      described.emplace_back(e.id, e.flags);
    }
    EXPECT_EQ(described, listed) << folder;
    EXPECT_EQ(static_cast<int>(numbers.size()), count) << folder;
    total += static_cast<int>(numbers.size());
  }
  EXPECT_EQ(total, 26);
}

TEST(Exercises, ReadmeListsEachWithItsCommand) {
  // README.md's tables (scripts/exercise_table.sh --update) match the
  // executables' lists.
  const auto readme =
      d2l_test::read_file(std::string(d2l_test::kSourceDir) + "/README.md");
  for (const auto& [folder, count] : kBookExercises) {
    const auto section = folder.substr(0, folder.find('-'));
    for (const auto& e : listed_exercises(folder)) {
      const auto row = fmt::format(
          "| {} | `scripts/run.sh {}{}{}` |",
          e.id,
          section,
          e.flags.empty() ? "" : " ",
          e.flags);
      EXPECT_NE(readme.find(row), std::string::npos)
          << row << "\nrerun scripts/exercise_table.sh --update";
    }
  }
}

TEST(Exercises, HelpNamesTheExerciseOfEachExerciseFlag) {
  for (const auto& [folder, count] : kBookExercises) {
    const auto help =
        d2l_test::run_program(d2l_test::section_exe(folder), {"--help"});
    for (const auto& e : listed_exercises(folder)) {
      // One of the command's flags has a --help line naming an exercise.
      const std::regex flag_re("--[a-z-]+");
      bool named = e.flags.empty();
      for (std::sregex_iterator it(e.flags.begin(), e.flags.end(), flag_re),
           end;
           it != end && !named;
           ++it) {
        const auto at = help.out.find("  " + it->str() + " ");
        if (at == std::string::npos) {
          ADD_FAILURE() << folder << ": --help lacks " << it->str();
          continue;
        }
        // The option's own entry: up to the next line starting an option.
        const auto next = help.out.find("\n  --", at + 3);
        named = help.out.substr(at, next - at).find("exercise 3.") !=
                std::string::npos;
      }
      EXPECT_TRUE(named) << folder << " " << e.id << ": " << e.flags;
    }
  }
}

namespace {

// A program declaring four exercises the ways a section does, run in a
// child process (EXPECT_EXIT) whose stdout goes to stderr, where the test
// reads it: a switch with two parts, an option that changes a cell, one of
// the default run, and one selected by another flag.
[[noreturn]] void run_declared(std::vector<std::string> args) {
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  d2l::App app("9.9", "Declared exercises");
  static std::string mode = "plain";
  app.exercise("9.9-1(a)", "alpha shows a")
      .part("9.9-1(b)", "and b")
      .flag("--alpha", "the alpha demo")
      .runs([] { std::cout << "ran alpha\n"; });
  app.exercise("9.9-2", "the fancy cell")
      .option(
          "--mode",
          mode,
          "fancy",
          "plain or fancy",
          CLI::IsMember({"plain", "fancy"}))
      .with("--seed 1")
      .runs([] { std::cout << "ran mode " << mode << "\n"; });
  app.exercise("9.9-3", "the default run shows it");
  app.exercise("9.9-4", "another flag selects it").with("--seed 7").runs([] {
    std::cout << "ran seed\n";
  });
  args.insert(args.begin(), "declared");
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  std::exit(app.run(static_cast<int>(args.size()), argv.data(), [] {
    std::cout << "the cells\n";
  }));
}

}  // namespace

TEST(Exercises, OneDeclarationGivesTheListingAndTheDescription) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      run_declared({"--exercises"}),
      testing::ExitedWithCode(0),
      "exercise 9.9-1\\(a\\) +--alpha\n +alpha shows a\n"
      "  exercise 9.9-1\\(b\\) +--alpha\n +and b\n"
      "  exercise 9.9-2 +--mode fancy --seed 1\n +the fancy cell\n"
      "  exercise 9.9-3 +\\(the default run\\)\n +the default run shows it\n"
      "  exercise 9.9-4 +--seed 7\n +another flag selects it\n$");
  EXPECT_EXIT(
      run_declared({"--describe"}),
      testing::ExitedWithCode(0),
      "\"exercises\": \\[\\{\"id\": \"9.9-1\\(a\\)\", \"flags\": \"--alpha\", "
      "\"what\": \"alpha shows a\"\\}, \\{\"id\": \"9.9-1\\(b\\)\"");
  // The flag's help names the exercise, its parts once.
  EXPECT_EXIT(
      run_declared({"--help"}),
      testing::ExitedWithCode(0),
      "--alpha +exercise 9.9-1: the alpha demo\n.*"
      "--mode TEXT:\\{plain,fancy\\}=plain[[:space:]]+exercise 9.9-2: plain or "
      "fancy");
}

TEST(Exercises, TheSelectedOnesRunAfterTheCellsInTheirOrder) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(run_declared({}), testing::ExitedWithCode(0), "the cells\n$");
  EXPECT_EXIT(
      run_declared({"--seed", "7", "--alpha"}),
      testing::ExitedWithCode(0),
      "the cells\nran alpha\nran seed\n$");
  // An option selects its exercise, whatever value it is given; `with`'s
  // flags select only an exercise without a switch or option of its own.
  EXPECT_EXIT(
      run_declared({"--mode", "plain"}),
      testing::ExitedWithCode(0),
      "the cells\nran mode plain\n$");
}
