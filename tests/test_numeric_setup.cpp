// The book's arithmetic at start-up (d2l/harness/numeric_setup.h): applied
// before OpenBLAS loads where the CPU can run it, with the user's opt-outs,
// said in one line when not the book's, and invisible to child processes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "support.h"

namespace {

const char* const kSection = "3.2-linear-regression-scratch";
// A short run of 3.2: its numbers pass through BLAS, so it reports.
const std::vector<std::string> kShortRun = {
    "--no-figures", "--epochs", "1", "--num-examples", "20"};

// The set-up note of a short run of kSection with the variables the
// start-up reads set to these values (nullptr: unset).
std::string short_run_note(
    const char* native, const char* core, const char* threads) {
  d2l_test::ScopedEnv native_env("D2L_NATIVE_BLAS", native);
  d2l_test::ScopedEnv core_env("OPENBLAS_CORETYPE", core);
  d2l_test::ScopedEnv threads_env("OPENBLAS_NUM_THREADS", threads);
  const auto r =
      d2l_test::run_program(d2l_test::section_exe(kSection), kShortRun);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return d2l_test::setup_note(r.err);
}

// A set-up running OpenBLAS's `core` kernels on `threads` threads.
d2l::NumericSetup openblas(
    const char* core, int threads, const char* decision = "applied") {
  d2l::NumericSetup setup;
  setup.blas = "OpenBLAS";
  setup.blas_core = core;
  setup.blas_threads = threads;
  setup.decision = decision;
  return setup;
}

}  // namespace

TEST(NumericSetup, DescribesOpenBlasAndOtherLibraries) {
  auto setup = openblas("SkylakeX", 2);
  EXPECT_TRUE(setup.is_book_blas());
  EXPECT_EQ(setup.describe_blas(), "OpenBLAS SkylakeX kernels, 2 threads");
  EXPECT_EQ(d2l::numeric_setup_note(setup), "");
  setup.blas_threads = 1;
  EXPECT_FALSE(setup.is_book_blas());
  EXPECT_EQ(setup.describe_blas(), "OpenBLAS SkylakeX kernels, 1 thread");
  setup.blas = "/usr/lib/libblis.so.4";
  setup.blas_core.clear();
  EXPECT_FALSE(setup.is_book_blas());
  EXPECT_EQ(setup.describe_blas(), "BLAS /usr/lib/libblis.so.4");
}

TEST(NumericSetup, NoteSaysWhatRanWhyAndHowToCompare) {
  const auto setup = openblas("Haswell", 8, "this CPU has no AVX-512");
  const auto note = d2l::numeric_setup_note(setup);
  EXPECT_EQ(note.find('\n'), std::string::npos) << note;
  for (const char* part :
       {"OpenBLAS Haswell kernels, 8 threads",
        "this CPU has no AVX-512",
        "SkylakeX kernels, 2 threads",
        "last printed digits may differ",
        "scripts/compare.sh"}) {
    EXPECT_NE(note.find(part), std::string::npos) << part << " in " << note;
  }
}

TEST(NumericSetup, ThisProcessRunsTheBookSetupWhereTheCpuCan) {
  const auto setup = d2l::numeric_setup();
  d2l_test::announce_numeric_mode();
  EXPECT_EQ(setup.blas, "OpenBLAS") << "scripts/setup.sh installs OpenBLAS";
  EXPECT_FALSE(setup.torch_version.empty());
  if (setup.decision == "applied") {
    EXPECT_TRUE(setup.is_book_blas()) << setup.describe_blas();
  } else {
    EXPECT_FALSE(setup.decision.empty());
  }
}

TEST(NumericSetup, ChildProcessesGetTheEnvironmentThisOneStartedWith) {
  // The launcher sets OPENBLAS_CORETYPE and OPENBLAS_NUM_THREADS for the
  // libraries to read; the program removes them once they have loaded
  // (Launcher.TheProgramRemovesItsVariablesForItsChildren checks that case).
  // /proc/self/environ holds the strings the process started with.
  const auto initial = d2l_test::read_file("/proc/self/environ");
  ASSERT_FALSE(initial.empty());
  const std::string env(initial.begin(), initial.end());
  if (env.find("OPENBLAS_CORETYPE=") == std::string::npos) {
    EXPECT_EQ(std::getenv("OPENBLAS_CORETYPE"), nullptr);
    const auto r = d2l_test::run_program("/usr/bin/env", {});
    EXPECT_EQ(r.out.find("OPENBLAS_CORETYPE="), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("D2L_BOOK_SETUP_REEXEC"), std::string::npos);
  }
  // Every variable it started with is back, the lent ones included.
  for (std::size_t pos = 0; pos < env.size();) {
    const auto end = env.find('\0', pos);
    const auto entry = env.substr(pos, end - pos);
    pos = end == std::string::npos ? env.size() : end + 1;
    const auto eq = entry.find('=');
    if (eq == std::string::npos || entry.rfind("OPENBLAS_", 0) == 0) {
      continue;
    }
    const char* value = std::getenv(entry.substr(0, eq).c_str());
    ASSERT_NE(value, nullptr) << entry;
    EXPECT_EQ(std::string(value), entry.substr(eq + 1));
  }
}

TEST(NumericSetup, SectionSaysSoWhenTheUserPicksAnotherKernel) {
  const auto note = short_run_note(
      /*native=*/nullptr, /*core=*/"Haswell", /*threads=*/nullptr);
  EXPECT_NE(note.find("OpenBLAS Haswell kernels"), std::string::npos) << note;
  EXPECT_NE(note.find("OPENBLAS_CORETYPE is set"), std::string::npos) << note;
}

TEST(NumericSetup, NoteNamesATensKernelsWhenChosenByHand) {
  auto setup = openblas("SkylakeX", 2);
  setup.aten_capability = "DEFAULT";
  EXPECT_TRUE(setup.is_book());
  EXPECT_EQ(d2l::numeric_setup_note(setup), "");
  setup.aten_forced = "default";
  EXPECT_TRUE(setup.is_book_blas());
  EXPECT_FALSE(setup.is_book());
  EXPECT_EQ(
      d2l::numeric_setup_note(setup),
      "note: arithmetic differs from the book's: OpenBLAS SkylakeX kernels, 2 "
      "threads, ATen DEFAULT kernels (ATEN_CPU_CAPABILITY is set; book: "
      "SkylakeX kernels, 2 threads, ATen's own); last printed digits may "
      "differ (see scripts/compare.sh)");
  setup.blas_core = "Haswell";
  setup.decision = "OPENBLAS_CORETYPE is set";
  EXPECT_NE(
      d2l::numeric_setup_note(setup).find(
          "(OPENBLAS_CORETYPE is set, ATEN_CPU_CAPABILITY is set; book:"),
      std::string::npos)
      << d2l::numeric_setup_note(setup);
}

TEST(NumericSetup, SectionSaysSoWhenTheUserPicksATensKernels) {
  d2l_test::ScopedEnv aten("ATEN_CPU_CAPABILITY", "default");
  const auto note = short_run_note(
      std::getenv("D2L_NATIVE_BLAS"),
      std::getenv("OPENBLAS_CORETYPE"),
      std::getenv("OPENBLAS_NUM_THREADS"));
  EXPECT_NE(note.find("ATen DEFAULT kernels"), std::string::npos) << note;
  EXPECT_NE(note.find("ATEN_CPU_CAPABILITY is set"), std::string::npos) << note;
}

TEST(NumericSetup, SectionSaysSoForAnotherThreadCount) {
  const auto note =
      short_run_note(/*native=*/nullptr, /*core=*/nullptr, /*threads=*/"1");
  EXPECT_NE(note.find("1 thread"), std::string::npos) << note;
  EXPECT_NE(note.find("OPENBLAS_NUM_THREADS is set"), std::string::npos)
      << note;
}

TEST(NumericSetup, NativeBlasOptOutIsHonoured) {
  const auto note =
      short_run_note(/*native=*/"1", /*core=*/nullptr, /*threads=*/nullptr);
  // Silent (or naming ATen's kernels only, when ATEN_CPU_CAPABILITY chose
  // them) where OpenBLAS picks the book's kernels by itself.
  if (!note.empty() &&
      note.find("OpenBLAS SkylakeX kernels, 2 threads") == std::string::npos) {
    EXPECT_NE(note.find("D2L_NATIVE_BLAS=1 is set"), std::string::npos) << note;
  }
}

TEST(NumericSetup, SectionIsSilentInTheBookSetup) {
  // The user's own choices, as this process got them.
  const auto note = short_run_note(
      std::getenv("D2L_NATIVE_BLAS"),
      std::getenv("OPENBLAS_CORETYPE"),
      std::getenv("OPENBLAS_NUM_THREADS"));
  const auto setup = d2l::numeric_setup();
  if (setup.is_book()) {
    EXPECT_EQ(note, "");
  } else if (setup.is_book_blas()) {
    EXPECT_NE(note.find("ATEN_CPU_CAPABILITY is set"), std::string::npos)
        << note;
  } else {
    EXPECT_NE(note.find(setup.decision), std::string::npos) << note;
  }
}

TEST(NumericSetup, AnAlmostEmptyEnvironmentStillGetsTheBookSetup) {
  // An environment of nothing but the user's choices: the launcher adds
  // the variables all the same.
  std::vector<std::string> args = {"-i"};
  for (const char* name :
       {"D2L_NATIVE_BLAS",
        "OPENBLAS_CORETYPE",
        "OPENBLAS_NUM_THREADS",
        "ATEN_CPU_CAPABILITY"}) {
    if (const char* value = std::getenv(name)) {  // the user's choices
      args.push_back(std::string(name) + "=" + value);
    }
  }
  args.push_back(d2l_test::section_exe(kSection));
  args.insert(args.end(), {"--no-figures", "--epochs", "1"});
  const auto with = d2l_test::run_program("/usr/bin/env", args);
  ASSERT_EQ(with.exit_code, 0) << with.err;
  EXPECT_EQ(
      d2l_test::setup_note(with.err),
      d2l_test::setup_note(d2l_test::run_program(
                               d2l_test::section_exe(kSection),
                               {"--no-figures", "--epochs", "1"})
                               .err));
}
