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

/// Path of the executable of section folder `name`, e.g.
/// "3.2-linear-regression-scratch".
std::string section_exe(const std::string& name);

/// Contents of a file (empty string if missing).
std::string read_file(const std::string& path);

/// A fresh empty temporary folder, removed by the caller.
std::string make_temp_dir();

}  // namespace d2l_test
