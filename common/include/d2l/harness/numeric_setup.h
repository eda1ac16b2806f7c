#pragma once

#include <string>

#include "d2l/harness/book_setup.h"

namespace d2l {

/// The arithmetic this process runs with: what decides the last digits of
/// every number that passes through a matrix product. Floating-point sums in
/// another order (another OpenBLAS kernel set, another thread count, another
/// BLAS) round differently, so the same draws give slightly other numbers.
///
/// Every program starts through its launcher (its name on disk; the real
/// program is the `.real` file beside it), which decides the book's set-up
/// (d2l/harness/book_setup.h) and, where it applies, sets
/// OPENBLAS_CORETYPE=SkylakeX and OPENBLAS_NUM_THREADS=2 before executing
/// the program: OpenBLAS reads them once while it loads. Once the libraries
/// have loaded the program removes them again, so child processes decide for
/// themselves. The set-up applies only on a CPU with AVX-512 (F, CD, BW, DQ,
/// VL, enabled by the OS) and at least 2 usable cores, and only when neither
/// D2L_NATIVE_BLAS=1 nor OPENBLAS_CORETYPE nor OPENBLAS_NUM_THREADS is set.
/// The Python reference scripts start through the same launcher (d2l_launch;
/// scripts/reference/numeric_setup.py).
///
/// LibTorch's own vectorised kernels (ATen's CPU capability: DEFAULT, AVX2,
/// AVX512) decide digits too, of random draws (torch.normal) as of sums. The
/// goldens of each LibTorch release were made with ATen's own choice on a CPU
/// with AVX-512, so a process whose ATEN_CPU_CAPABILITY forces another choice
/// does not run the book's arithmetic either.
struct NumericSetup {
  /// "OpenBLAS", or the file that provides sgemm_ for another BLAS, or
  /// "unknown" when no BLAS symbol is found.
  std::string blas;
  /// OpenBLAS's kernel set ("SkylakeX", "Haswell", "Prescott", ...); empty
  /// for another BLAS.
  std::string blas_core;
  /// OpenBLAS's thread count; 0 for another BLAS.
  int blas_threads = 0;
  /// LibTorch's version, e.g. "1.13.1".
  std::string torch_version;
  /// What the launcher decided, as one clause: "applied", or why not
  /// ("D2L_NATIVE_BLAS=1 is set", "this CPU has no AVX-512", ...; "not
  /// started by its launcher" when the `.real` file was run directly).
  std::string decision;
  /// ATen's CPU capability as LibTorch reports it ("AVX2", "AVX512",
  /// "DEFAULT", ...); empty when it does not say.
  std::string aten_capability;
  /// ATEN_CPU_CAPABILITY's value when the user set it (ATen's kernels
  /// chosen by hand), else empty.
  std::string aten_forced;

  /// True for OpenBLAS's SkylakeX kernels on 2 threads: the book's BLAS.
  bool is_book_blas() const;
  /// True for the book's arithmetic: the book's BLAS and ATen's own choice
  /// of kernels (ATEN_CPU_CAPABILITY not set).
  bool is_book() const;
  /// One clause naming ATen's kernels: "ATen AVX2 kernels" (empty when
  /// LibTorch does not say).
  std::string describe_aten() const;
  /// One clause naming the set-up: "OpenBLAS Haswell kernels, 2 threads".
  std::string describe_blas() const;
};

/// The file that provides `sgemm_` to LibTorch (through Debian's
/// alternatives: OpenBLAS, the reference BLAS, ...), resolved through
/// symlinks; empty when no BLAS symbol is loaded.
std::string blas_library();

/// ATen's CPU capability as LibTorch reports it (at::show_config(): "AVX2",
/// "AVX512", "DEFAULT", ...); empty when it does not say.
std::string aten_capability();

/// The set-up of this process, read from the loaded BLAS and LibTorch.
NumericSetup numeric_setup();

/// The one line a section whose numbers pass through BLAS prints on stderr
/// when `setup` is not the book's (empty when it is; is_book()): what ran
/// instead (ATen's kernels too when ATEN_CPU_CAPABILITY chose them), why,
/// that the last printed digits may differ from the book, and how to compare
/// with PyTorch on this machine exactly.
std::string numeric_setup_note(const NumericSetup& setup);

/// LibTorch's "major.minor" ("1.13", "2.6"): the version golden files that
/// differ between LibTorch releases are keyed by.
std::string torch_major_minor();

}  // namespace d2l
