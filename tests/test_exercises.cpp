// The book's exercises: each section lists its own (`--exercises`), each with
// a command that runs; README.md's tables and --help say the same.
#include <fmt/format.h>
#include <gtest/gtest.h>

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
