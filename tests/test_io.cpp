// d2l::TempFile / write_file_atomically: whole files or nothing.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <fstream>

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

TEST(OutputTarget, RefusesWhatIsNotARegularFileAndFollowsLinks) {
  const fs::path tmp = d2l_test::make_temp_dir();
  std::string problem;
  EXPECT_EQ(d2l::output_target(tmp / "new.txt", &problem), tmp / "new.txt");
  d2l::write_file_atomically(tmp / "real.txt", "x");
  fs::create_symlink("real.txt", tmp / "link.txt");
  EXPECT_EQ(
      d2l::output_target(tmp / "link.txt", &problem),
      fs::canonical(tmp / "real.txt"));
  ASSERT_EQ(mkfifo((tmp / "fifo").c_str(), 0600), 0);
  fs::create_symlink("missing.txt", tmp / "dangling");
  fs::create_symlink("loop", tmp / "loop");
  const std::pair<fs::path, std::string> refused[] = {
      {"", "is an empty name"},
      {tmp, "is a folder"},
      {"/dev/null", "is a device (character special file)"},
      {tmp / "fifo", "is a FIFO (named pipe)"},
      {tmp / "dangling", "is a symbolic link to a missing file"},
      {tmp / "loop", "is a loop of symbolic links"},
  };
  for (const auto& [path, what] : refused) {
    problem.clear();
    EXPECT_FALSE(d2l::output_target(path, &problem)) << path;
    EXPECT_EQ(problem, what) << path;
    if (!path.empty() && path != "/dev/null") {
      EXPECT_THROW(d2l::write_file_atomically(path, "x"), d2l::Error) << path;
    }
  }
  EXPECT_TRUE(fs::is_fifo(tmp / "fifo"));
  EXPECT_TRUE(fs::is_symlink(tmp / "dangling"));
  fs::remove_all(tmp);
}

TEST(WriteFileAtomically, WritesThroughASymlinkAndKeepsTheMode) {
  const fs::path tmp = d2l_test::make_temp_dir();
  d2l::write_file_atomically(tmp / "real.txt", "old\n");
  ASSERT_EQ(chmod((tmp / "real.txt").c_str(), 0600), 0);
  fs::create_symlink("real.txt", tmp / "link.txt");
  d2l::write_file_atomically(tmp / "link.txt", "new\n");
  EXPECT_TRUE(fs::is_symlink(tmp / "link.txt"));
  EXPECT_EQ(d2l_test::read_file((tmp / "real.txt").string()), "new\n");
  struct stat st {};
  ASSERT_EQ(stat((tmp / "real.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(tmp)) {
    ++files;
  }
  EXPECT_EQ(files, 2);  // no temporary left
  fs::remove_all(tmp);
}

TEST(WriteFileAtomically, AFullDiskThrowsAndLeavesNothing) {
  // A file-size limit fails writes as a full disk does (EFBIG for ENOSPC),
  // without mounting anything; in a child, to keep the limit out of the
  // test process.
  const fs::path tmp = d2l_test::make_temp_dir();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &limit);
    int code = 3;
    try {
      d2l::write_file_atomically(tmp / "big.txt", std::string(10000, 'x'));
      code = 0;
    } catch (const d2l::Error& e) {
      code = std::string(e.what()).find("big.txt") != std::string::npos ? 1 : 2;
    }
    _exit(code);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << "1: an Error naming the file";
  EXPECT_TRUE(fs::is_empty(tmp));
  fs::remove_all(tmp);
}

TEST(TempFile, RemovesStaleTemporariesOfEndedProcessesOnly) {
  const fs::path tmp = d2l_test::make_temp_dir();
  // A pid that no process has now: a child that ended.
  const pid_t ended = fork();
  ASSERT_GE(ended, 0);
  if (ended == 0) {
    _exit(0);
  }
  waitpid(ended, nullptr, 0);
  const auto make = [&](const std::string& name, int age_s) {
    std::ofstream(tmp / name) << "partial";
    const timespec times[2] = {
        {time(nullptr) - age_s, 0}, {time(nullptr) - age_s, 0}};
    utimensat(AT_FDCWD, (tmp / name).c_str(), times, 0);
  };
  const std::string stale = fmt::format(".fig.png.tmp-{}-abc123", ended);
  const std::string young = fmt::format(".fig.svg.tmp-{}-abc123", ended);
  const std::string live = fmt::format(".fig.gp.tmp-{}-abc123", getppid());
  const std::string other = ".fig.png.tmp-abc123";  // not this naming
  make(stale, 3600);
  make(young, 0);
  make(live, 3600);
  make(other, 3600);
  d2l::write_file_atomically(tmp / "fig.png", "x");
  EXPECT_FALSE(fs::exists(tmp / stale));
  EXPECT_TRUE(fs::exists(tmp / young)) << "younger than a minute: kept";
  EXPECT_TRUE(fs::exists(tmp / live)) << "its process runs: kept";
  EXPECT_TRUE(fs::exists(tmp / other));
  fs::remove_all(tmp);
}

TEST(Printable, EscapesEveryByteThatIsNoCharacter) {
  EXPECT_EQ(d2l::printable("plain ASCII ~"), "plain ASCII ~");
  EXPECT_EQ(d2l::printable("训练 µ"), "训练 µ");
  EXPECT_EQ(d2l::printable("a\nb\tc\x1b[31m"), "a\\x0ab c\\x1b[31m");
  EXPECT_EQ(d2l::printable("\xff\xc3"), "\\xff\\xc3");
  EXPECT_EQ(d2l::printable("\xc2\x85"), "\\xc2\\x85");  // C1 control NEL
  EXPECT_EQ(d2l::printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
  EXPECT_EQ(d2l::printable(std::string("a\0b", 3)), "a\\x00b");
}
