// What a fresh clone holds: everything it cites is inside it, with a licence
// and the attribution of what comes from the book.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace fs = std::filesystem;

namespace {

// The source tree's files, without build folders and git's own.
std::vector<fs::path> source_files() {
  std::vector<fs::path> files;
  const fs::path root = d2l_test::kSourceDir;
  for (auto it = fs::recursive_directory_iterator(root);
       it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() &&
        (name == ".git" || name.rfind("build", 0) == 0 || name == "out")) {
      it.disable_recursion_pending();
    } else if (it->is_regular_file()) {
      files.push_back(it->path());
    }
  }
  return files;
}

}  // namespace

TEST(Repository, CitesNothingOutsideItself) {
  // The parity notes the project started from lived in a folder beside it;
  // a clone has only what it holds (docs/rng.md, tests/golden/book). The
  // names are put together here so that this file does not cite them.
  int read = 0;
  for (const auto& file : source_files()) {
    if (file.extension() == ".png" || file.extension() == ".gz") {
      continue;
    }
    const std::string text = d2l_test::read_file(file.string());
    const std::string shared = "shared";
    for (const std::string& outside : {"../" + shared, shared + "/parity"}) {
      EXPECT_EQ(text.find(outside), std::string::npos)
          << file << " cites " << outside;
    }
    ++read;
  }
  EXPECT_GT(read, 50);
}

TEST(Repository, HoldsItsLicenceTheBooksAttributionAndFigures) {
  const fs::path root = d2l_test::kSourceDir;
  EXPECT_NE(
      d2l_test::read_file((root / "LICENSE").string()).find("Apache License"),
      std::string::npos);
  const std::string notice = d2l_test::read_file((root / "NOTICE").string());
  EXPECT_NE(notice.find("d2l-zh"), std::string::npos);
  EXPECT_NE(notice.find("Apache License, Version 2.0"), std::string::npos);
  EXPECT_TRUE(fs::exists(root / "docs" / "rng.md"));
  for (const char* figure :
       {"3.1_cell07_fig1",
        "3.2_cell05_fig1",
        "3.5_cell07_fig1",
        "3.6_cell19_fig1",
        "3.6_cell20_fig1",
        "3.7_cell06_fig1"}) {
    const std::string png = d2l_test::read_file(
        (root / "tests" / "golden" / "book" / (std::string(figure) + ".png"))
            .string());
    EXPECT_EQ(png.rfind("\x89PNG", 0), 0u) << figure;
  }
}

// The book's library (common/include/d2l/*.h, common/src/*) speaks the
// book's terms: it includes nothing of the harness (d2l/harness/, the
// umbrella header, CLI11), and no string of its code names a command-line
// flag, an exit code or an apt-get command: the harness words those
// (docs/architecture.md).
TEST(Repository, TheBooksLibraryKnowsNothingOfTheHarness) {
  const fs::path common = fs::path(d2l_test::kSourceDir) / "common";
  std::vector<fs::path> files;
  for (const fs::path& dir : {common / "include" / "d2l", common / "src"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      // Not the library's: the precompiled header every target shares, and
      // the umbrella header the sections include (both halves).
      const auto name = entry.path().filename();
      if (entry.is_regular_file() && name != "pch.h" && name != "d2l.h") {
        files.push_back(entry.path());
      }
    }
  }
  ASSERT_GE(files.size(), 30u);
  const std::regex harness_include(
      R"(#include\s*[<"](d2l/harness/|d2l/d2l\.h|CLI/))");
  // A string literal holding "--" and a letter ("--data-dir"), "apt-get",
  // or a call that ends the process.
  const std::regex flag_literal(R"re("([^"\\\n]|\\.)*(--[A-Za-z]|apt-get))re");
  const std::regex ends_process(R"(\b(std::|::)?(_?exit|quick_exit|abort)\()");
  for (const auto& file : files) {
    std::string code;
    std::istringstream lines(d2l_test::read_file(file.string()));
    for (std::string line; std::getline(lines, line);) {
      const auto comment = line.find("//");
      const bool in_string =
          comment != std::string::npos &&
          std::count(line.begin(), line.begin() + comment, '"') % 2 == 1;
      code += (in_string ? line : line.substr(0, comment)) + "\n";
    }
    std::smatch m;
    EXPECT_FALSE(std::regex_search(code, m, harness_include))
        << file << " includes the harness: " << m.str();
    EXPECT_FALSE(std::regex_search(code, m, flag_literal))
        << file << " names a flag or a package command: " << m.str();
    EXPECT_FALSE(std::regex_search(code, m, ends_process))
        << file << " ends the process: " << m.str();
  }
}
