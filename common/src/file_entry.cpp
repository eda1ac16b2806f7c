#include "file_entry.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "d2l/io.h"

namespace d2l {

namespace fs = std::filesystem;

std::string permission_denied(const fs::path& path) {
  return "permission denied: cannot read " + path.string() +
         " (check its permissions / run as a user who can read it)";
}

std::string not_a_file(const fs::path& path, mode_t mode) {
  return path.string() + " is " + file_type_name(mode) + ", not a file";
}

Inspection inspect(const fs::path& path) {
  using Remedy = DataError::Remedy;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode)) {
      return {Entry::kFile, "", Remedy::kNone};
    }
    return {Entry::kOther, not_a_file(path, st.st_mode), Remedy::kReplaceEntry};
  }
  const int err = errno;
  struct stat link {};
  const bool is_link =
      ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      if (is_link) {
        std::error_code ec;
        return {
            Entry::kOther,
            path.string() + " is a symlink to " +
                fs::read_symlink(path, ec).string() + ", which does not exist",
            Remedy::kRelink};
      }
      return {Entry::kAbsent, "", Remedy::kNone};
    case ELOOP:
      return {
          Entry::kOther,
          path.string() +
              (is_link ? " is a symlink loop"
                       : ": a folder on the way to it is a symlink loop") +
              ", or too long a chain of symlinks",
          Remedy::kRelink};
    case EACCES:
    case EPERM:
      return {Entry::kOther, permission_denied(path), Remedy::kNone};
    default:
      return {
          Entry::kOther,
          path.string() + ": cannot access: " + std::strerror(err),
          Remedy::kNone};
  }
}

}  // namespace d2l
