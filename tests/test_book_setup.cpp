// Tests of d2l/harness/book_setup.h and of the launcher: the policy that
// decides the book's BLAS set-up, the marker the launcher leaves, and what
// it gives the program it starts.
#include <d2l/harness/book_setup.h>
#include <d2l/harness/numeric_setup.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "support.h"

namespace fs = std::filesystem;

namespace {

// A machine that can run the book's set-up, and nothing chosen by the user.
d2l::SetupInputs able() {
  d2l::SetupInputs in;
  in.avx512 = true;
  in.usable_cpus = 2;
  return in;
}

// What `env` shows when the launcher starts it with `vars` set (NAME=value).
std::string launched_env(const std::vector<std::string>& vars) {
  std::vector<std::string> args = {
      "-u",
      "OPENBLAS_CORETYPE",
      "-u",
      "OPENBLAS_NUM_THREADS",
      "-u",
      "D2L_NATIVE_BLAS"};
  args.insert(args.end(), vars.begin(), vars.end());
  args.insert(args.end(), {d2l_test::kLaunchExe, "/usr/bin/env"});
  const auto r = d2l_test::run_program("/usr/bin/env", args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return "\n" + r.out;  // every line, the first too, after a newline
}

}  // namespace

TEST(BookSetup, AppliesOnlyWhereTheMachineCanAndTheUserChoseNothing) {
  EXPECT_EQ(d2l::decide_book_setup(able()), "applied");
  auto in = able();
  in.usable_cpus = 1;
  EXPECT_EQ(d2l::decide_book_setup(in), "fewer than 2 CPUs are usable");
  in = able();
  in.avx512 = false;
  EXPECT_EQ(d2l::decide_book_setup(in), "this CPU has no AVX-512");
  // The user's choices come first, whatever the machine.
  in.threads_set = true;
  EXPECT_EQ(d2l::decide_book_setup(in), "OPENBLAS_NUM_THREADS is set");
  in.core_set = true;
  EXPECT_EQ(d2l::decide_book_setup(in), "OPENBLAS_CORETYPE is set");
  in.native_blas = true;
  EXPECT_EQ(d2l::decide_book_setup(in), "D2L_NATIVE_BLAS=1 is set");
}

TEST(BookSetup, TheMarkerCountsOnlyForTheProcessItNames) {
  const std::string marker = d2l::setup_marker(4242, "applied");
  EXPECT_EQ(marker, "4242 applied");
  EXPECT_EQ(d2l::decision_for(marker.c_str(), 4242), "applied");
  EXPECT_EQ(d2l::decision_for(marker.c_str(), 424), "");  // a parent's
  EXPECT_EQ(d2l::decision_for(marker.c_str(), 42420), "");
  EXPECT_EQ(d2l::decision_for("4242 ", 4242), "");  // no decision
  EXPECT_EQ(d2l::decision_for("applied", 4242), "");
  EXPECT_EQ(d2l::decision_for(nullptr, 4242), "");
}

TEST(Launcher, GivesTheProgramTheDecisionAndTheVariables) {
  // What this machine gives once the user's choices are unset, as
  // launched_env does.
  auto machine = d2l::current_setup_inputs();
  machine.native_blas = machine.core_set = machine.threads_set = false;
  const std::string decision = d2l::decide_book_setup(machine);
  const auto env = launched_env({});
  // The marker names the process the launcher became (env, same pid).
  EXPECT_TRUE(std::regex_search(
      env, std::regex("\nD2L_NUMERIC_SETUP=[0-9]+ " + decision + "\n")))
      << env;
  const bool applied = decision == "applied";
  EXPECT_EQ(
      env.find("\nOPENBLAS_CORETYPE=SkylakeX\n") != std::string::npos, applied)
      << env;
  EXPECT_EQ(
      env.find("\nOPENBLAS_NUM_THREADS=2\n") != std::string::npos, applied)
      << env;
  // A choice of the user's is left as it is, and named.
  const auto chosen = launched_env({"OPENBLAS_CORETYPE=Haswell"});
  EXPECT_NE(chosen.find("\nOPENBLAS_CORETYPE=Haswell\n"), std::string::npos);
  EXPECT_NE(chosen.find(" OPENBLAS_CORETYPE is set\n"), std::string::npos)
      << chosen;
  EXPECT_EQ(chosen.find("OPENBLAS_NUM_THREADS="), std::string::npos) << chosen;
}

TEST(Launcher, WithoutItsProgramSaysSoInOneLine) {
  // A section's launcher copied alone: its .real is not beside it.
  const fs::path dir = d2l_test::make_temp_dir();
  const fs::path copy = dir / "3.1-linear-regression";
  fs::copy_file(d2l_test::section_exe("3.1-linear-regression"), copy);
  const auto r = d2l_test::run_program(copy.string(), {"--help"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_EQ(
      r.err,
      "error: cannot start " + copy.string() +
          ".real: No such file or directory (rebuild with scripts/setup.sh)\n");
  EXPECT_EQ(r.out, "");
  fs::remove_all(dir);
}

TEST(Launcher, TheProgramRemovesItsVariablesForItsChildren) {
  // This suite starts through its launcher (tests/CMakeLists.txt): where the
  // launcher applied the set-up, the variables it set are gone once the
  // libraries have loaded, from this process and from its children.
  const std::string decision = d2l::numeric_setup().decision;
  if (decision != "applied") {
    GTEST_SKIP() << "the launcher did not apply the book's set-up here: "
                 << decision;
  }
  EXPECT_EQ(std::getenv("OPENBLAS_CORETYPE"), nullptr);
  EXPECT_EQ(std::getenv("OPENBLAS_NUM_THREADS"), nullptr);
  const auto r = d2l_test::run_program("/usr/bin/env", {});
  EXPECT_EQ(r.out.find("OPENBLAS_"), std::string::npos) << r.out;
  EXPECT_TRUE(d2l::numeric_setup().is_book_blas())
      << d2l::numeric_setup().describe_blas();
}
