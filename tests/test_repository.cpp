// What a fresh clone holds: everything it cites is inside it, with a licence
// and the attribution of what comes from the book.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

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
