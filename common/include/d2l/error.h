#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace d2l {

/// Base of every error the book's library throws. `what()` is one line
/// saying what went wrong in the library's own terms (its functions and
/// their parameters, files, values); it names no command-line flag and
/// carries no exit code. The harness (d2l/harness/errors.h) words the fix in
/// its flags' terms from the data each subclass carries, and picks the exit
/// code.
class Error : public std::runtime_error {
 public:
  /// `message`: what went wrong, one line.
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// A book function was given a value it cannot work with (a batch size of
/// 0): `parameter` names the function's parameter ("batch_size").
class ArgumentError : public Error {
 public:
  /// `message` names the value and what would be accepted.
  ArgumentError(std::string parameter, const std::string& message)
      : Error(message), parameter_(std::move(parameter)) {}
  /// The parameter, as the function's declaration names it.
  const std::string& parameter() const {
    return parameter_;
  }

 private:
  std::string parameter_;
};

/// What a divergence message advises (see check_finite_loss): the run's
/// learning rate, the one known to converge, and a known cause.
struct DivergenceAdvice {
  /// The run's learning rate.
  double lr = 0;
  /// The section's default learning rate (one that converges), suggested
  /// when `lr` is above it; 0: suggest lr / 10.
  double default_lr = 0;
  /// When set, the known cause and its fix ("the naive softmax overflowed
  /// ...: rerun stably"), said before the learning-rate advice.
  std::string cause;
};

/// Training diverged: a loss became NaN or infinite. `what()` names the loss,
/// the epoch and the learning rate; the advice is data for the harness.
class DivergenceError : public Error {
 public:
  /// `nan`: the loss was NaN (else infinite) at `epoch` (from 1).
  DivergenceError(bool nan, int64_t epoch, DivergenceAdvice advice);
  /// Whether the loss was NaN (else infinite).
  bool nan() const {
    return nan_;
  }
  /// The epoch (from 1) whose loss was not finite.
  int64_t epoch() const {
    return epoch_;
  }
  /// The run's learning rates and the known cause.
  const DivergenceAdvice& advice() const {
    return advice_;
  }

 private:
  bool nan_;
  int64_t epoch_;
  DivergenceAdvice advice_;
};

/// A data file is missing, unreadable or corrupt. `what()` names the file or
/// folder and what is wrong; `remedy()` says what kind of fix applies, which
/// the harness words (the package to install, the flag naming a folder).
class DataError : public Error {
 public:
  /// The kind of fix that applies.
  enum class Remedy {
    kNone,          ///< the message is complete (permissions, say)
    kInstall,       ///< the data is not there: install it or name its folder
    kDamaged,       ///< what a file holds is wrong: the file is damaged
    kReinstall,     ///< an installed data file is damaged: reinstall it
    kReplaceEntry,  ///< something stands where a file should: replace it
    kRelink,        ///< a symlink points nowhere: point it at the file
  };
  /// Who named the folder an error is about.
  enum class NamedBy {
    kNobody,       ///< the library's own search
    kCaller,       ///< the `data_dir` argument
    kEnvironment,  ///< $D2L_DATA_DIR
  };
  /// `message`: what is wrong, naming the file.
  explicit DataError(const std::string& message, Remedy remedy = Remedy::kNone)
      : Error(message), remedy_(remedy) {}
  /// About a folder someone named: `what()` is "data_dir FOLDER" (kCaller)
  /// or "$D2L_DATA_DIR FOLDER" (kEnvironment) followed by `detail` (": ..."
  /// or " does not hold ...").
  DataError(
      NamedBy named_by,
      const std::string& folder,
      const std::string& detail,
      Remedy remedy)
      : Error(
            (named_by == NamedBy::kEnvironment ? "$D2L_DATA_DIR "
                                               : "data_dir ") +
            folder + detail),
        remedy_(remedy),
        named_by_(named_by),
        folder_(folder),
        detail_(detail) {}
  /// The kind of fix that applies.
  Remedy remedy() const {
    return remedy_;
  }
  /// Who named the folder the message begins with.
  NamedBy named_by() const {
    return named_by_;
  }
  /// The folder someone named (empty for kNobody).
  const std::string& folder() const {
    return folder_;
  }
  /// What the message says after the named folder.
  const std::string& detail() const {
    return detail_;
  }

 private:
  Remedy remedy_;
  NamedBy named_by_ = NamedBy::kNobody;
  std::string folder_;
  std::string detail_;
};

/// Memory ran out for an allocation of `bytes` the library asked for itself
/// (a data file's contents): the harness adds which limit to raise.
class OutOfMemoryError : public Error {
 public:
  /// `message` names what needed the memory and how much.
  explicit OutOfMemoryError(const std::string& message) : Error(message) {}
};

/// A figure could not be drawn or written. `remedy()` says what kind of fix
/// applies, which the harness words in its flags' terms.
class FigureError : public Error {
 public:
  /// The kind of fix that applies.
  enum class Remedy {
    kNone,         ///< the message is complete
    kOtherFolder,  ///< something is in the figure's place: another folder
    kNoFigures,    ///< drawing does not finish: draw no figures
  };
  /// `message`: what went wrong, naming the figure.
  explicit FigureError(
      const std::string& message, Remedy remedy = Remedy::kNone)
      : Error(message), remedy_(remedy) {}
  /// The kind of fix that applies.
  Remedy remedy() const {
    return remedy_;
  }

 private:
  Remedy remedy_;
};

}  // namespace d2l
