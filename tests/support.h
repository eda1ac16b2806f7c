// Shared helpers of the test suite: seeding fixture, tensor comparison,
// running section executables.
#pragma once

#include <d2l/d2l.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "d2l_test_paths.h"

namespace d2l_test {

/// Seeds torch's default generator with 0 before each test, as the book does.
class Seeded : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(0);
  }
};

/// True when `a` and `b` have equal shapes, dtypes and bit-identical values.
inline ::testing::AssertionResult TensorsIdentical(
    const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes() || a.scalar_type() != b.scalar_type()) {
    return ::testing::AssertionFailure()
           << "shape/dtype differ: " << a.sizes() << " " << a.scalar_type()
           << " vs " << b.sizes() << " " << b.scalar_type();
  }
  if (!torch::equal(a, b)) {
    return ::testing::AssertionFailure() << "values differ:\n"
                                         << a << "\nvs\n"
                                         << b;
  }
  return ::testing::AssertionSuccess();
}

/// Sets (or, for nullptr, unsets) an environment variable for one scope,
/// restoring the previous value afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) {
      old_ = old;
    }
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ScopedEnv(const char* name, const std::string& value)
      : ScopedEnv(name, value.c_str()) {}
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

/// What a finished child process left: exit code and captured output.
struct RunResult {
  /// Exit status (128 + signal number when killed by a signal).
  int exit_code = -1;
  /// Everything written to stdout.
  std::string out;
  /// Everything written to stderr.
  std::string err;
};

/// Runs `program` with `args` (no shell), capturing stdout and stderr.
RunResult run_program(
    const std::string& program, const std::vector<std::string>& args);

/// What section folder `name`'s executable printed for `--describe` when
/// it was built (kept beside it as <name>.describe.json), read without
/// running it; fails the test when there is none.
d2l::Description describe_section(const std::string& name);

/// Every section folder under chapters/ (one with a main.cpp), in order.
std::vector<std::string> section_folders();

/// Path of the executable of section folder `name`, e.g.
/// "3.2-linear-regression-scratch".
std::string section_exe(const std::string& name);

/// How a test compares numbers that pass through BLAS or ATen's vectorised
/// kernels. Exact (every digit) when this process runs the book's
/// arithmetic: OpenBLAS's SkylakeX kernels on 2 threads and ATen's own choice
/// of kernels (ATEN_CPU_CAPABILITY not set), with a LibTorch release the
/// goldens were made for (1.13, or 2.6 and 2.14 with the files of
/// tests/golden/torch-2.6 and torch-2.14). Otherwise tolerant: number by
/// number, within the spread measured across OpenBLAS kernels, thread counts
/// and ATen's CPU capabilities (tests/golden/TOLERANCES). Child processes
/// inherit the mode: they run the same start-up on the same CPU with the same
/// environment.
enum class NumericMode { kExact, kTolerant };

/// This process's mode (see NumericMode).
NumericMode numeric_mode();

/// The mode and the set-up behind it, e.g. "exact (OpenBLAS SkylakeX
/// kernels, 2 threads; LibTorch 1.13.0)".
std::string numeric_mode_description();

/// Says which mode the current test runs in: a `numeric_mode` property in
/// the test's XML record and a line on stdout.
void announce_numeric_mode();

/// tests/golden/torch-<major.minor>/<name> when it exists (a golden whose
/// text differs between LibTorch releases, as Python's own does), else
/// tests/golden/<name>.
std::string golden_path(const std::string& name);

/// `text` with each timing value ("0.05691 sec") replaced by "<t> sec":
/// the only legitimate run-to-run differences of a section's output.
std::string mask_timings(const std::string& text);

/// The line sections print on stderr when the arithmetic is not the book's
/// ("note: arithmetic differs ..."), found in `err`; empty when none.
std::string setup_note(const std::string& err);

/// `err` without the line sections print when the arithmetic is not the
/// book's ("note: arithmetic differs ..."); how many such lines it held go
/// to `*notes` when given.
std::string without_setup_note(const std::string& err, int* notes = nullptr);

/// Compares two printed outputs number by number. Timing values ("0.05 sec")
/// are ignored; the text between numbers must be equal up to whitespace
/// (column alignment follows the widths of the numbers); each number must
/// be within `atol` plus one unit of its last printed digit of the expected
/// one (rounding to the printed precision turns any difference, however
/// small, into up to one unit there). Integers without a decimal point must
/// be equal.
::testing::AssertionResult NumbersClose(
    const std::string& actual, const std::string& expected, double atol);

/// The absolute tolerance of golden file `file` in tolerant mode, from
/// tests/golden/TOLERANCES (scripts/golden/measure_spread.py); 0 when the
/// file is not listed there.
double golden_tolerance(const std::string& file);

/// Whether golden `file` holds a training chaotic at its settings, whose
/// numbers only the book's arithmetic reproduces ("exact only" in
/// tests/golden/TOLERANCES, scripts/golden/measure_spread.py's EXACT_ONLY):
/// in tolerant mode a test checks what it must show instead.
bool golden_exact_only(const std::string& file);

/// Contents of a file (empty string if missing).
std::string read_file(const std::string& path);

/// A fresh empty temporary folder, removed by the caller.
std::string make_temp_dir();

/// `words` as a gtest parameter name, the same in every run: letters and
/// digits kept, each run of other characters one '_', none at either end
/// (e.g. "3.2 --lr abc" is 3_2_lr_abc).
std::string test_name(const std::string& words);

}  // namespace d2l_test
