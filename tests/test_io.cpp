// d2l::TempFile / write_file_atomically: whole files or nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "support.h"

namespace fs = std::filesystem;

TEST(WriteFileAtomically, ReplacesWholeFileAndLeavesNoTemp) {
  const auto tmp = d2l_test::make_temp_dir();
  const auto path = fs::path(tmp) / "f.txt";
  d2l::write_file_atomically(path, "first\n");
  d2l::write_file_atomically(path, "second\n");
  EXPECT_EQ(d2l_test::read_file(path.string()), "second\n");
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp)) {
    ++files;
  }
  EXPECT_EQ(files, 1);
  EXPECT_THROW(
      d2l::write_file_atomically(fs::path(tmp) / "missing" / "f.txt", "x"),
      d2l::Error);
  fs::remove_all(tmp);
}

TEST(TempFile, IsRemovedUnlessCommitted) {
  const auto tmp = d2l_test::make_temp_dir();
  {
    d2l::TempFile file(tmp, "never.txt");
    file.write_all("partial", "never.txt");
    EXPECT_TRUE(fs::exists(file.path()));
  }
  EXPECT_TRUE(fs::is_empty(tmp));
  fs::remove_all(tmp);
}
