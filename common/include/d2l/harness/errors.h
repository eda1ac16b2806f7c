// How the harness ends a run on an error: the one line it prints and the
// exit code, from what the book's library's errors carry (d2l/error.h).
#pragma once

#include <string>

#include "d2l/error.h"

namespace d2l {

/// The flag naming the Fashion-MNIST folder, which messages suggest.
inline constexpr const char* kDataDirFlag = "--data-dir";

/// A bad command-line value or unusable environment: exit code 2. Thrown by
/// the harness and the sections' own checks, never by the book's library.
class UsageError : public Error {
 public:
  /// `message` names the flag, the bad value and what would be accepted.
  explicit UsageError(const std::string& message) : Error(message) {}
};

/// The line (without "error: ") that ends a run on `e`: the library's
/// message with its fix worded in the command line's terms (the flag to
/// pass, the package to install, the limit to raise). For a DivergenceError,
/// "training diverged: loss is nan at epoch 3 with lr 100; try a smaller
/// learning rate: the default, --lr 0.03, converges".
std::string error_message(const Error& e);

/// The exit code of a run that `e` ends: 2 for a bad value (UsageError, or
/// an ArgumentError, a value a section passed on from its flags), 1 for a
/// run that failed.
int exit_code(const Error& e);

}  // namespace d2l
