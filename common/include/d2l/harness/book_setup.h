// The book's BLAS set-up as a policy: whether a program gets OpenBLAS's
// SkylakeX kernels on 2 threads, decided by the launcher (common/src/
// launcher/launcher.cpp) before the program and LibTorch load. No LibTorch
// here: the launcher links this alone.
#pragma once

#include <string>

namespace d2l {

/// The OpenBLAS kernel set the Python book's numbers were made with.
inline constexpr const char* kBookBlasCore = "SkylakeX";
/// The OpenBLAS thread count the Python book's numbers were made with.
inline constexpr int kBookBlasThreads = 2;

/// The variable the launcher leaves for the program it starts: its pid, a
/// space and the decision ("4242 applied"), so that a copy inherited by
/// another process is not taken for its own.
inline constexpr const char* kSetupMarker = "D2L_NUMERIC_SETUP";

/// What decides whether the book's set-up can be had.
struct SetupInputs {
  /// D2L_NATIVE_BLAS=1: the user wants OpenBLAS's own choice.
  bool native_blas = false;
  /// OPENBLAS_CORETYPE is set (not empty): the user chose a kernel set.
  bool core_set = false;
  /// OPENBLAS_NUM_THREADS is set (not empty): the user chose a thread count.
  bool threads_set = false;
  /// The CPU has AVX-512 F, CD, BW, DQ and VL, enabled by the OS: it can run
  /// the SkylakeX kernels.
  bool avx512 = false;
  /// CPUs this process may run on (its affinity mask).
  int usable_cpus = 1;
};

/// The policy: "applied" when the book's set-up is to be given, else why
/// not, as one clause ("D2L_NATIVE_BLAS=1 is set", "OPENBLAS_CORETYPE is
/// set", "OPENBLAS_NUM_THREADS is set", "this CPU has no AVX-512", "fewer
/// than 2 CPUs are usable"), the user's choices first.
std::string decide_book_setup(const SetupInputs& in);

/// This process's inputs: its environment, its CPU and affinity mask.
SetupInputs current_setup_inputs();

/// The marker's value for process `pid` and `decision`: "4242 applied".
std::string setup_marker(long pid, const std::string& decision);

/// The decision `marker` (kSetupMarker's value, or nullptr) holds when it
/// was left for process `pid`; empty when it was not (no marker, another
/// process's, malformed).
std::string decision_for(const char* marker, long pid);

}  // namespace d2l
