// What is at the path of a file the library is to read, told without
// opening it: shared by the IDX decoder (idx.cpp) and the search for the
// Fashion-MNIST folder (fashion_mnist.cpp). Private to the library.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "d2l/error.h"

namespace d2l {

/// What is at a path where a data file should be.
enum class Entry {
  kFile,    ///< a regular file (or a symlink to one)
  kAbsent,  ///< nothing
  kOther,   ///< something that cannot be read as a file; see `problem`
};

/// What `inspect` found.
struct Inspection {
  /// What is there.
  Entry entry;
  /// For kOther: one line naming the path and what is there.
  std::string problem;
  /// For kOther: the kind of fix (kReplaceEntry, kRelink, or kNone when the
  /// problem says it, as for permissions).
  DataError::Remedy remedy = DataError::Remedy::kNone;
};

/// Looks at `path` without opening it (opening a FIFO for reading blocks
/// until a writer comes; opening a device can have effects).
Inspection inspect(const std::filesystem::path& path);

/// "permission denied: cannot read PATH (check its permissions / ...)".
std::string permission_denied(const std::filesystem::path& path);

/// "PATH is a FIFO (named pipe), not a file" for an entry of type `mode`
/// (from stat) that is not a regular file.
std::string not_a_file(const std::filesystem::path& path, mode_t mode);

}  // namespace d2l
