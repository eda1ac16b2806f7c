// Tests of d2l/process.h: child processes without a shell, what they print,
// time limits, and finding a program on PATH.
#include <d2l/process.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <string>

#include "support.h"

namespace fs = std::filesystem;

TEST(Process, CapturesStdoutAndStderrApartAndTheExitStatus) {
  const auto r =
      d2l::run_process("/bin/sh", {"-c", "echo out; echo err >&2; exit 3"});
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.timed_out);
}

TEST(Process, ArgumentsReachTheProgramAsTheyAreWithNoShell) {
  const fs::path dir = d2l_test::make_temp_dir();
  const std::string sneaky = "$(touch " + (dir / "ran").string() + "); `id`";
  const auto r = d2l::run_process("echo", {sneaky, "a b"});  // found on PATH
  EXPECT_EQ(r.out, sneaky + " a b\n");
  EXPECT_FALSE(fs::exists(dir / "ran"));
  fs::remove_all(dir);
}

TEST(Process, StdinIsEmptyAndUncapturedStreamsGoNowhere) {
  d2l::ProcessOptions options;
  options.capture_err = false;
  const auto r = d2l::run_process(
      "/bin/sh", {"-c", "cat; echo done; echo lost >&2"}, options);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "done\n");
  EXPECT_EQ(r.err, "");
}

TEST(Process, AMissingProgramIsNotStarted) {
  const auto r = d2l::run_process("/nonexistent/program", {});
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.spawn_error, ENOENT);
}

TEST(Process, KeepsAtMostMaxBytesWithoutBlockingTheProgram) {
  d2l::ProcessOptions options;
  options.max_bytes = 1000;
  // 4 MiB: far more than a pipe holds, so a reader that stopped reading
  // would leave the program blocked.
  const auto r = d2l::run_process(
      "/bin/sh", {"-c", "head -c 4194304 /dev/zero; echo end >&2"}, options);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.size(), 1000u);
  EXPECT_EQ(r.err, "end\n");
}

TEST(Process, AProgramPastItsTimeLimitIsKilled) {
  d2l::ProcessOptions options;
  options.limit_s = 0.2;
  const auto r = d2l::run_process("/bin/sleep", {"30"}, options);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + 9);  // SIGKILL
}

TEST(Process, FindProgramSearchesPathUnlessTheNameHasASlash) {
  EXPECT_EQ(fs::path(d2l::find_program("sh")).filename(), "sh");
  EXPECT_EQ(d2l::find_program("/bin/sh"), "/bin/sh");
  EXPECT_EQ(d2l::find_program("no-such-program-d2l"), "");
  EXPECT_EQ(d2l::find_program("/etc/passwd"), "");  // not executable
  d2l_test::ScopedEnv path("PATH", "/nonexistent");
  EXPECT_EQ(d2l::find_program("sh"), "");
}
