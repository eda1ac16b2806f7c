#pragma once

#include <stdexcept>
#include <string>

namespace d2l {

/// Base of every error `common/` throws: the message is one line saying what
/// went wrong and how to fix it; `App::run` prints it and exits non-zero.
class Error : public std::runtime_error {
 public:
  /// `exit_code` is what the program exits with when this error ends it.
  explicit Error(const std::string& message, int exit_code = 1)
      : std::runtime_error(message), exit_code_(exit_code) {}
  /// The process exit code for this error.
  int exit_code() const {
    return exit_code_;
  }

 private:
  int exit_code_;
};

/// A bad command-line value or unusable environment (exit code 2).
class UsageError : public Error {
 public:
  /// `message` names the flag, the bad value and what would be accepted.
  explicit UsageError(const std::string& message) : Error(message, 2) {}
};

/// Training diverged: a loss became NaN or infinite (exit code 1).
class DivergenceError : public Error {
 public:
  /// `message` names the epoch and suggests a smaller learning rate.
  explicit DivergenceError(const std::string& message) : Error(message, 1) {}
};

/// A data file is missing, unreadable or corrupt (exit code 1).
class DataError : public Error {
 public:
  /// `message` names the file and what is wrong with it.
  explicit DataError(const std::string& message) : Error(message, 1) {}
};

}  // namespace d2l
