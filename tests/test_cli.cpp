// Bad input gets one line on stderr, a non-zero exit and nothing written;
// a diverging run stops with a message naming the epoch.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "support.h"

namespace fs = std::filesystem;

namespace {

struct BadFlag {
  std::string section;
  std::vector<std::string> args;
  std::string mentions;  // the stderr line names this
};

// How a failure names a case: the section and its flags, not its bytes.
void PrintTo(const BadFlag& b, std::ostream* os) {
  *os << b.section;
  for (const auto& a : b.args) {
    *os << ' ' << a;
  }
}

// A case's test name, the same in every run (ctest -R and --rerun-failed
// find it): the section's number and its flags as d2l_test::test_name
// writes them, e.g. 3_2_lr_abc. A '-' that starts
// a value (not a flag) is "minus": --lr -1 is lr_minus1.
std::string bad_flag_name(const ::testing::TestParamInfo<BadFlag>& info) {
  const auto& b = info.param;
  std::string words = b.section.substr(0, b.section.find('-'));
  for (const auto& a : b.args) {
    const bool value = a.rfind("--", 0) != 0;
    words += ' ';
    words += value && !a.empty() && a[0] == '-' ? "minus" + a.substr(1) : a;
  }
  return d2l_test::test_name(words);
}

class BadFlags : public ::testing::TestWithParam<BadFlag> {};

int count_lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

TEST_P(BadFlags, ExitTwoWithOneLineAndWriteNothing) {
  const auto& param = GetParam();
  const auto tmp = d2l_test::make_temp_dir();
  const auto out = tmp + "/figures";
  auto args = param.args;
  if (std::find(args.begin(), args.end(), "--out") == args.end()) {
    args.insert(args.end(), {"--out", out});
  }
  const auto r =
      d2l_test::run_program(d2l_test::section_exe(param.section), args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(param.mentions), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(out)) << "bad flags must not create --out";
  fs::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(
    Sections,
    BadFlags,
    ::testing::Values(
        BadFlag{"3.2-linear-regression-scratch", {"--lr", "abc"}, "--lr"},
        // A flag that would be silently ignored is refused.
        BadFlag{
            "3.3-linear-regression-concise",
            {"--huber-sigma", "0.5"},
            "add --loss huber"},
        BadFlag{"3.2-linear-regression-scratch", {"--lr", "-1"}, "--lr"},
        BadFlag{"3.2-linear-regression-scratch", {"--lr", "0"}, "--lr"},
        BadFlag{"3.2-linear-regression-scratch", {"--lr", "nan"}, "--lr"},
        BadFlag{"3.2-linear-regression-scratch", {"--lr", "inf"}, "--lr"},
        BadFlag{
            "3.2-linear-regression-scratch",
            {"--batch-size", "0"},
            "--batch-size"},
        BadFlag{
            "3.2-linear-regression-scratch",
            {"--batch-size", "-3"},
            "--batch-size"},
        BadFlag{"3.2-linear-regression-scratch", {"--epochs", "x"}, "--epochs"},
        BadFlag{
            "3.2-linear-regression-scratch",
            {"--num-examples", "1.5"},
            "--num-examples"},
        BadFlag{"3.2-linear-regression-scratch", {"--init", "ones"}, "--init"},
        BadFlag{"3.2-linear-regression-scratch", {"--seed", "minus"}, "--seed"},
        BadFlag{
            "3.2-linear-regression-scratch", {"--threads", "-2"}, "--threads"},
        BadFlag{
            "3.2-linear-regression-scratch", {"--device", "tpu"}, "--device"},
        BadFlag{
            "3.2-linear-regression-scratch",
            {"--no-such-flag"},
            "--no-such-flag"},
        BadFlag{
            "3.2-linear-regression-scratch",
            {"--out", "/proc/d2l-cannot-write"},
            "--out"},
        BadFlag{
            "3.3-linear-regression-concise",
            {"--huber-sigma", "-0.5"},
            "--huber-sigma"},
        BadFlag{"3.3-linear-regression-concise", {"--loss", "l1"}, "--loss"},
        BadFlag{
            "3.3-linear-regression-concise",
            {"--reduction", "max"},
            "--reduction"},
        BadFlag{"3.1-linear-regression", {"--out", "/dev/null"}, "--out"},
        // Sizes whose product overflows, or that need more memory than the
        // machine has, are refused before anything is allocated.
        BadFlag{
            "3.4-softmax-regression",
            {"--d", "4294967296", "--q", "4294967296"},
            "more than 2^63"},
        BadFlag{
            "3.4-softmax-regression",
            {"--d", "100000", "--q", "100000"},
            "GB of memory"},
        BadFlag{
            "3.4-softmax-regression",
            {"--d", "1", "--q", "1", "--phm-n", "2"},
            "--phm-n 2"},
        BadFlag{
            "3.2-linear-regression-scratch",
            {"--num-examples", "9223372036854775807"},
            "GB of memory"},
        BadFlag{
            "3.3-linear-regression-concise",
            {"--num-examples", "9223372036854775807"},
            "GB of memory"},
        BadFlag{
            "3.2-linear-regression-scratch",
            {"--threads", "100000"},
            "--threads"}),
    bad_flag_name);

// Every numeric flag of every section against values no parser should let
// through: one line on stderr, exit 2, nothing on stdout, before anything is
// written.
TEST(Cli, ExtremeValuesOfEveryNumericFlagAreRefused) {
  const std::vector<std::string> bad_ints = {
      "0", "-1", "9223372036854775808", "1e3", "abc", ""};
  const std::vector<std::string> bad_numbers = {
      "0", "-1", "nan", "inf", "1e999", "abc", ""};
  const std::vector<std::pair<std::string, std::vector<std::string>>> flags = {
      {"3.1-linear-regression", {"--threads"}},
      {"3.2-linear-regression-scratch",
       {"--epochs", "--batch-size", "--num-examples", "--lr"}},
      {"3.3-linear-regression-concise",
       {"--epochs", "--batch-size", "--num-examples", "--lr", "--huber-sigma"}},
      {"3.4-softmax-regression", {"--d", "--q", "--phm-n"}},
      {"3.5-image-classification-dataset", {"--batch-size"}},
      {"3.6-softmax-regression-scratch", {"--epochs", "--batch-size", "--lr"}},
      {"3.7-softmax-regression-concise", {"--epochs", "--batch-size", "--lr"}},
  };
  const auto tmp = d2l_test::make_temp_dir();
  const auto out = tmp + "/figures";
  for (const auto& [section, names] : flags) {
    for (const auto& flag : names) {
      const bool real = flag == "--lr" || flag == "--huber-sigma";
      for (const auto& value : real ? bad_numbers : bad_ints) {
        if (flag == "--threads" && value == "0") {
          continue;  // 0: LibTorch's own choice
        }
        SCOPED_TRACE(section + " " + flag + " '" + value + "'");
        const auto r = d2l_test::run_program(
            d2l_test::section_exe(section), {flag, value, "--out", out});
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_EQ(count_lines(r.err), 1) << r.err;
        EXPECT_NE(r.err.find(flag), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_FALSE(fs::exists(out));
      }
    }
  }
  fs::remove_all(tmp);
}

// A batch larger than the data set is one batch, as in PyTorch: 3.3 trains
// on all 1000 examples each epoch (it trained on none, printing the same
// loss three times).
TEST(Cli, HugeBatchTrainsOnOneFullBatch) {
  const auto r = d2l_test::run_program(
      d2l_test::section_exe("3.3-linear-regression-concise"),
      {"--batch-size", "9223372036854775807", "--no-figures"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<double> losses;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    const auto at = line.find(", loss ");
    if (line.rfind("epoch ", 0) == 0 && at != std::string::npos) {
      losses.push_back(std::stod(line.substr(at + 7)));
    }
  }
  ASSERT_EQ(losses.size(), 3u) << r.out;
  EXPECT_LT(losses[2], losses[0]) << r.out;
}

// 3.4's default --phm-n (1 2 4) adapts to sizes they do not divide.
TEST(Cli, DefaultPhmSizesFitASmallLayer) {
  const auto r = d2l_test::run_program(
      d2l_test::section_exe("3.4-softmax-regression"),
      {"--d", "1", "--q", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find("fully connected: d*q + q = 2 parameters"), std::string::npos)
      << r.out;
}

TEST(Cli, CudaOnACpuOnlyLibTorchIsAUsageError) {
  if (torch::cuda::is_available()) {
    GTEST_SKIP() << "a CUDA device is present";
  }
  const auto r = d2l_test::run_program(
      d2l_test::section_exe("3.2-linear-regression-scratch"),
      {"--device", "cuda", "--no-figures"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("CUDA"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(Cli, HelpListsTheSectionFlagsAndExitsZero) {
  const auto r = d2l_test::run_program(
      d2l_test::section_exe("3.3-linear-regression-concise"), {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag :
       {"--seed",
        "--threads",
        "--device",
        "--exercises",
        "--lr",
        "--loss",
        "--huber-sigma"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
  // Type labels read as words, not validator names.
  for (const char* noise : {"INT:INT", "FLOAT:POSITIVE", ":POSITIVE"}) {
    EXPECT_EQ(r.out.find(noise), std::string::npos) << noise << "\n" << r.out;
  }
}

// The learning rate a divergence message suggests, or "" when none.
std::string suggested_lr(const std::string& err) {
  std::smatch m;
  return std::regex_search(err, m, std::regex("--lr ([0-9.e+-]+)")) ? m.str(1)
                                                                    : "";
}

TEST(Cli, DivergenceMessageSuggestsALearningRateThatConverges) {
  for (const char* section :
       {"3.2-linear-regression-scratch", "3.3-linear-regression-concise"}) {
    for (const char* lr : {"100", "10"}) {
      const auto exe = d2l_test::section_exe(section);
      const auto r = d2l_test::run_program(exe, {"--lr", lr, "--no-figures"});
      ASSERT_EQ(r.exit_code, 1) << section << " --lr " << lr;
      const auto suggestion = suggested_lr(r.err);
      ASSERT_FALSE(suggestion.empty()) << r.err;
      const auto rerun =
          d2l_test::run_program(exe, {"--lr", suggestion, "--no-figures"});
      EXPECT_EQ(rerun.exit_code, 0)
          << section << " --lr " << suggestion << ": " << rerun.err;
    }
  }
}

TEST(Cli, NaiveSoftmaxDivergenceNamesTheOverflowAndStableTrains) {
  const auto exe = d2l_test::section_exe("3.6-softmax-regression-scratch");
  const auto r = d2l_test::run_program(
      exe, {"--lr", "1", "--epochs", "1", "--no-figures"});
  ASSERT_EQ(r.exit_code, 1);
  const auto err = d2l_test::without_setup_note(r.err);
  EXPECT_NE(err.find("naive softmax overflowed"), std::string::npos) << err;
  EXPECT_NE(err.find("rerun with --stable"), std::string::npos) << err;
  EXPECT_EQ(count_lines(err), 1) << err;
  // Both fixes it names work: --stable at the same rate, or the default rate.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--stable", "--lr", "1"}, {"--lr", suggested_lr(err)}}) {
    auto with = args;
    with.insert(with.end(), {"--epochs", "1", "--no-figures"});
    const auto rerun = d2l_test::run_program(exe, with);
    EXPECT_EQ(rerun.exit_code, 0) << args[0] << ": " << rerun.err;
  }
}

TEST(Cli, SectionsWithoutFiguresHideOutAndCreateNoFolder) {
  const fs::path dir = d2l_test::make_temp_dir();
  for (const char* section :
       {"3.3-linear-regression-concise", "3.4-softmax-regression"}) {
    const auto help =
        d2l_test::run_program(d2l_test::section_exe(section), {"--help"});
    EXPECT_EQ(help.out.find("--out"), std::string::npos) << section;
    EXPECT_EQ(help.out.find("--no-figures"), std::string::npos) << section;
    const auto out = dir / section;
    const auto r = d2l_test::run_program(
        d2l_test::section_exe(section), {"--out", out.string()});
    EXPECT_FALSE(fs::exists(out)) << section;
    EXPECT_NE(r.err.find("draws no figures"), std::string::npos) << r.err;
  }
  fs::remove_all(dir);
}

TEST(Cli, UnknownFlagNamesItAndSuggestsTheCloseOne) {
  const auto exe = d2l_test::section_exe("3.3-linear-regression-concise");
  const auto typo = d2l_test::run_program(exe, {"--epoch", "5"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_EQ(
      typo.err,
      "error: unknown flag --epoch; did you mean --epochs? (see --help)\n");
  const auto prefix = d2l_test::run_program(exe, {"--batch=3"});
  EXPECT_NE(prefix.err.find("did you mean --batch-size?"), std::string::npos)
      << prefix.err;
  const auto far = d2l_test::run_program(exe, {"--colour"});
  EXPECT_EQ(far.err, "error: unknown flag --colour (see --help)\n");
}

TEST(Cli, SeedTakesExactlyTorchManualSeedsRange) {
  // torch.manual_seed takes [-2^63, 2^64 - 1]; a negative seed draws as
  // 2^64 + seed (test_sections: the same draws as Python's).
  const auto exe = d2l_test::section_exe("3.2-linear-regression-scratch");
  const auto first_line = [&](const std::string& seed) {
    const auto r = d2l_test::run_program(
        exe, {"--seed", seed, "--epochs", "1", "--no-figures"});
    EXPECT_EQ(r.exit_code, 0) << seed << ": " << r.err;
    return r.out.substr(0, r.out.find('\n'));
  };
  EXPECT_EQ(first_line("-1"), first_line("18446744073709551615"));
  EXPECT_EQ(
      first_line("-9223372036854775808"), first_line("9223372036854775808"));
  EXPECT_NE(first_line("-1"), first_line("1"));
  for (const char* bad :
       {"18446744073709551616", "-9223372036854775809", "1.5", "", "0x10"}) {
    const auto r = d2l_test::run_program(exe, {"--seed", bad});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("-2^63 to 2^64 - 1"), std::string::npos) << r.err;
  }
}

TEST(Cli, DivergingRunStopsNamingTheEpoch) {
  for (const char* section :
       {"3.2-linear-regression-scratch", "3.3-linear-regression-concise"}) {
    const auto r = d2l_test::run_program(
        d2l_test::section_exe(section), {"--lr", "100", "--no-figures"});
    EXPECT_EQ(r.exit_code, 1) << section;
    EXPECT_NE(r.err.find("diverged"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("epoch 1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("smaller learning rate"), std::string::npos) << r.err;
    // Besides the note a run prints when its arithmetic is not the book's.
    EXPECT_EQ(count_lines(d2l_test::without_setup_note(r.err)), 1) << r.err;
  }
}

TEST(Cli, WarnsOnceWhenLibTorchRunsOnTheReferenceBlas) {
  const std::string reference_dir = "/usr/lib/x86_64-linux-gnu/blas";
  if (!fs::exists(reference_dir + "/libblas.so.3")) {
    GTEST_SKIP() << "Debian's reference BLAS (libblas3) is not installed";
  }
  const auto exe = d2l_test::section_exe("3.1-linear-regression");
  {
    d2l_test::ScopedEnv env("LD_LIBRARY_PATH", reference_dir);
    const auto r = d2l_test::run_program(exe, {"--no-figures"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("reference BLAS"), std::string::npos) << r.err;
  }
  const auto r = d2l_test::run_program(exe, {"--no-figures"});
  EXPECT_EQ(r.err.find("reference BLAS"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// Odd paths, files that are not files, full disks, signals, closed streams.

namespace {

// A section started with stdout on descriptor `stdout_fd` (-1: closed) and
// stderr into the file `err`, `env` added to the environment.
pid_t start_section(
    const std::string& section,
    const std::vector<std::string>& args,
    int stdout_fd,
    const std::string& err,
    const std::vector<std::string>& env = {}) {
  const std::string exe = d2l_test::section_exe(section);
  std::vector<std::string> env_text(env);
  for (char** e = environ; *e != nullptr; ++e) {
    env_text.emplace_back(*e);
  }
  std::vector<char*> argv = {const_cast<char*>(exe.c_str())};
  for (const auto& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : env_text) {
    envp.push_back(const_cast<char*>(e.c_str()));
  }
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(err_fd, 2);
    if (stdout_fd >= 0) {
      dup2(stdout_fd, 1);
    } else {
      close(1);
    }
    signal(SIGPIPE, SIG_DFL);
    execve(exe.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

// The exit status of `pid` (128 + signal when a signal ended it).
int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The names in `dir` that are temporaries ("...tmp-..."), sorted.
std::vector<std::string> temporaries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST(Cli, AnOutFolderWithANewlineRunsNoCommand) {
  // `--out $'d/x\nsystem("id > PWNED")\n#'` once ran the command.
  const fs::path tmp = d2l_test::make_temp_dir();
  const fs::path pwned = tmp / "PWNED";
  const fs::path odd = tmp / fmt::format(
                                 "x\nsystem(\"touch {}\")\n#`touch {}`'",
                                 pwned.string(),
                                 pwned.string());
  const auto r = d2l_test::run_program(
      d2l_test::section_exe("3.1-linear-regression"), {"--out", odd.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(pwned));
  EXPECT_TRUE(fs::exists(odd / "3.1_cell07_fig1.png"));
  EXPECT_TRUE(fs::exists(odd / "3.1_cell07_fig1.svg"));
  // Messages name the folder on one line: the newline is written as \x0a.
  EXPECT_NE(
      r.err.find("figure: " + tmp.string() + "/x\\x0asystem("),
      std::string::npos)
      << r.err;
  fs::remove_all(tmp);
}

TEST(Cli, MetricsWritesOnlyARegularFile) {
  const fs::path tmp = d2l_test::make_temp_dir();
  const auto exe = d2l_test::section_exe("3.7-softmax-regression-concise");
  ASSERT_EQ(mkfifo((tmp / "fifo").c_str(), 0600), 0);
  fs::create_directory(tmp / "folder");
  fs::create_symlink("missing.jsonl", tmp / "dangling");
  const fs::path out = tmp / "out";
  const std::pair<std::string, std::string> refused[] = {
      {"", "is an empty name"},
      {(tmp / "fifo").string(), "is a FIFO"},
      {(tmp / "folder").string(), "is a folder"},
      {(tmp / "dangling").string(), "symbolic link to a missing file"},
      {(tmp / "no-such-folder" / "m.jsonl").string(), "cannot create a file"},
      {(out / "3.7_cell06_fig1.png").string(), "the figures of this run"},
  };
  for (const auto& [metrics, why] : refused) {
    const auto r = d2l_test::run_program(
        exe, {"--epochs", "1", "--out", out.string(), "--metrics", metrics});
    EXPECT_EQ(r.exit_code, 2) << metrics << ": " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << "refused before anything is written";
  }
  EXPECT_TRUE(fs::is_fifo(tmp / "fifo"));
  EXPECT_TRUE(fs::is_symlink(tmp / "dangling"));
  // Inside the --out folder the run creates; through a symbolic link, whose
  // file keeps its mode.
  const auto inside = d2l_test::run_program(
      exe,
      {"--epochs",
       "1",
       "--out",
       out.string(),
       "--metrics",
       (out / "m.jsonl").string()});
  EXPECT_EQ(inside.exit_code, 0) << inside.err;
  EXPECT_EQ(count_lines(d2l_test::read_file((out / "m.jsonl").string())), 1);
  std::ofstream(tmp / "real.jsonl") << "old\n";
  chmod((tmp / "real.jsonl").c_str(), 0600);
  fs::create_symlink("real.jsonl", tmp / "link.jsonl");
  const auto linked = d2l_test::run_program(
      exe,
      {"--epochs",
       "1",
       "--no-figures",
       "--metrics",
       (tmp / "link.jsonl").string()});
  EXPECT_EQ(linked.exit_code, 0) << linked.err;
  EXPECT_TRUE(fs::is_symlink(tmp / "link.jsonl"));
  const std::string metrics =
      d2l_test::read_file((tmp / "real.jsonl").string());
  EXPECT_EQ(metrics.rfind("{\"epoch\": 1", 0), 0u) << metrics;
  EXPECT_EQ(
      fs::status(tmp / "real.jsonl").permissions() & fs::perms::mask,
      fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_TRUE(temporaries(tmp).empty());
  fs::remove_all(tmp);
}

TEST(Cli, AFullDiskFailsWithOneLineAndLeavesNoPartialFile) {
  const fs::path tmp = d2l_test::make_temp_dir();
  const fs::path disk = tmp / "disk";
  fs::create_directory(disk);
  // 28 KiB: the metrics fit, the first figure does not.
  if (mount("d2l-test", disk.c_str(), "tmpfs", 0, "size=28k") != 0) {
    const int err = errno;
    fs::remove_all(tmp);
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << std::strerror(err)
                 << "; needs root and CAP_SYS_ADMIN)";
  }
  const auto r = d2l_test::run_program(
      d2l_test::section_exe("3.7-softmax-regression-concise"),
      {"--epochs",
       "1",
       "--out",
       (disk / "o").string(),
       "--metrics",
       (disk / "m.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("error: "), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err.substr(r.err.find("error: "))), 1) << r.err;
  EXPECT_TRUE(temporaries(disk).empty());
  for (const auto& e : fs::recursive_directory_iterator(disk)) {
    const std::string text = d2l_test::read_file(e.path().string());
    if (e.path().extension() == ".svg") {
      EXPECT_NE(text.find("</svg>"), std::string::npos) << e.path();
    } else if (e.path().extension() == ".png") {
      EXPECT_NE(text.find("IEND"), std::string::npos) << e.path();
    }
  }
  umount(disk.c_str());
  fs::remove_all(tmp);
}

TEST(Cli, ASignalRemovesTheTemporariesAndEndsTheRunWithItsStatus) {
  for (const int sig : {SIGINT, SIGTERM}) {
    const fs::path tmp = d2l_test::make_temp_dir();
    // A gnuplot that says it started, then hangs: the run is signalled
    // while the figure's temporaries exist and gnuplot runs.
    const fs::path started = tmp / "gnuplot-started";
    const fs::path fake = tmp / "gnuplot";
    std::ofstream(fake) << "#!/bin/sh\necho $$ > " << started.string()
                        << ".new && mv " << started.string() << ".new "
                        << started.string() << "\nexec sleep 60\n";
    chmod(fake.c_str(), 0755);
    const int out_fd =
        open((tmp / "out.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const pid_t pid = start_section(
        "3.1-linear-regression",
        {"--out", (tmp / "o").string()},
        out_fd,
        (tmp / "err.txt").string(),
        {"D2L_GNUPLOT=" + fake.string()});
    close(out_fd);
    for (int i = 0; i < 600 && !fs::exists(started); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(fs::exists(started)) << "the fake gnuplot never started";
    const pid_t gnuplot = std::stoi(d2l_test::read_file(started.string()));
    kill(pid, sig);
    EXPECT_EQ(wait_for(pid), 128 + sig);
    const std::string err = d2l_test::read_file((tmp / "err.txt").string());
    const std::string last = err.substr(err.rfind('\n', err.size() - 2) + 1);
    EXPECT_EQ(
        last.rfind(
            sig == SIGINT ? "error: interrupted (SIGINT)"
                          : "error: terminated (SIGTERM)",
            0),
        0u)
        << err;
    EXPECT_TRUE(temporaries(tmp).empty());
    // gnuplot was stopped too (a zombie until init reaps it counts).
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string state =
        d2l_test::read_file(fmt::format("/proc/{}/stat", gnuplot));
    EXPECT_TRUE(state.empty() || state.find(") Z") != std::string::npos)
        << state;
    // What the cells before the figure printed reached stdout, whole lines.
    const std::string out = d2l_test::read_file((tmp / "out.txt").string());
    EXPECT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
    fs::remove_all(tmp);
  }
}

TEST(Cli, AClosedPipeEndsTheRunWithOneLineAndSigpipesStatus) {
  const fs::path tmp = d2l_test::make_temp_dir();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);  // nobody reads: the first line written raises SIGPIPE
  const pid_t pid = start_section(
      "3.4-softmax-regression", {}, fds[1], (tmp / "err.txt").string());
  close(fds[1]);
  EXPECT_EQ(wait_for(pid), 128 + SIGPIPE);
  const std::string err = d2l_test::read_file((tmp / "err.txt").string());
  EXPECT_NE(
      err.find("error: the program reading the output stopped (SIGPIPE"),
      std::string::npos)
      << err;
  fs::remove_all(tmp);
}

TEST(Cli, AnOutputThatTakesNothingIsAnError) {
  const fs::path tmp = d2l_test::make_temp_dir();
  const int full = open("/dev/full", O_WRONLY);
  ASSERT_GE(full, 0);
  const pid_t to_full = start_section(
      "3.4-softmax-regression", {}, full, (tmp / "full.txt").string());
  close(full);
  EXPECT_EQ(wait_for(to_full), 1);
  const std::string full_err = d2l_test::read_file((tmp / "full.txt").string());
  EXPECT_NE(full_err.find("error: writing to stdout failed"), std::string::npos)
      << full_err;
  EXPECT_EQ(count_lines(d2l_test::without_setup_note(full_err)), 1) << full_err;
  const pid_t closed = start_section(
      "3.4-softmax-regression", {}, -1, (tmp / "closed.txt").string());
  EXPECT_EQ(wait_for(closed), 1);
  EXPECT_EQ(
      d2l_test::read_file((tmp / "closed.txt").string()),
      "error: stdout is closed (>&-), so the output would be lost; run "
      "with stdout open (>/dev/null discards it)\n");
  fs::remove_all(tmp);
}

TEST(Cli, ATorchErrorSaysHowToSeeWhereItWasRaised) {
  const auto raise = [] {
    try {
      torch::mm(torch::zeros({2, 3}), torch::zeros({2, 3}));
    } catch (const c10::Error& e) {
      return d2l::torch_error_message(e);
    }
    return std::string();
  };
  {
    d2l_test::ScopedEnv env("D2L_BACKTRACE", nullptr);
    const std::string line = raise();
    EXPECT_NE(line.find("cannot be multiplied"), std::string::npos) << line;
    EXPECT_NE(line.find("D2L_BACKTRACE=1 shows where"), std::string::npos);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  }
  d2l_test::ScopedEnv env("D2L_BACKTRACE", "1");
  d2l_test::ScopedEnv frames("TORCH_SHOW_CPP_STACKTRACES", "1");
  const std::string text = raise();
  EXPECT_NE(text.find("cannot be multiplied"), std::string::npos) << text;
  EXPECT_NE(text.find('\n'), std::string::npos) << "the frames: " << text;
}
