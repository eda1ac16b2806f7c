// The launcher: what a section's (or a learner's program's) name on disk
// is. It decides the book's BLAS set-up (d2l/harness/book_setup.h), gives it
// to OpenBLAS through the environment, leaves a marker naming the decision,
// and replaces itself with the real program: <its own path>.real, the same
// arguments. Not linked to LibTorch, so it costs about a millisecond; the
// variables are in place before the dynamic loader maps any of the real
// program's libraries, and the real program gives the environment back as
// the user had it once they have loaded (numeric_setup.cpp), so its child
// processes decide for themselves.
//
// Built a second time as d2l_launch (D2L_LAUNCH_ANY), which starts the
// program its first argument names (looked up on PATH): the Python twins
// run under it, in the same set-up. The test suite is a program like a
// section (build/tests/d2l_tests starts d2l_tests.real).
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "d2l/harness/book_setup.h"

namespace {

// `s` for a one-line message: bytes outside printable ASCII as \xNN.
std::string printable(const std::string& s) {
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string decision =
      d2l::decide_book_setup(d2l::current_setup_inputs());
  if (decision == "applied") {
    ::setenv("OPENBLAS_CORETYPE", d2l::kBookBlasCore, 1);
    ::setenv(
        "OPENBLAS_NUM_THREADS",
        std::to_string(d2l::kBookBlasThreads).c_str(),
        1);
  }
  ::setenv(
      d2l::kSetupMarker,
      d2l::setup_marker(static_cast<long>(::getpid()), decision).c_str(),
      1);
#ifdef D2L_LAUNCH_ANY
  if (argc < 2) {
    std::fprintf(
        stderr,
        "usage: d2l_launch PROGRAM [ARGS...]: runs PROGRAM in the book's "
        "BLAS set-up where this machine allows it\n");
    return 2;
  }
  ::execvp(argv[1], argv + 1);
  const std::string program = argv[1];
#else
  (void)argc;
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) {
    std::fprintf(
        stderr,
        "error: cannot find this program's own file (/proc/self/exe: %s)\n",
        std::strerror(errno));
    return 127;
  }
  self[n] = '\0';
  const std::string program = std::string(self) + ".real";
  ::execv(program.c_str(), argv);
#endif
  std::fprintf(
      stderr,
      "error: cannot start %s: %s (rebuild with scripts/setup.sh)\n",
      printable(program).c_str(),
      std::strerror(errno));
  return 127;
}
