#pragma once

#include <filesystem>
#include <string>

namespace d2l {

/// A file created beside its final place (`<dir>/.<name>.tmp-XXXXXX`), so
/// that renaming it there is atomic: readers see the old file or the whole
/// new one, never a partial one. Removed on destruction unless committed.
class TempFile {
 public:
  /// Creates the temporary file in `dir` for the final name `final_name`;
  /// throws Error when the folder is missing or not writable.
  TempFile(const std::filesystem::path& dir, const std::string& final_name);
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  /// Removes the file unless it was committed.
  ~TempFile();

  /// Where the temporary file is (for programs that write it themselves).
  const std::filesystem::path& path() const {
    return path_;
  }

  /// Writes `content` and closes the file; throws Error naming `what`.
  void write_all(const std::string& content, const std::filesystem::path& what);

  /// Renames the file to `dest` (atomic within the folder); throws Error.
  void commit(const std::filesystem::path& dest);

 private:
  int close_fd();

  std::filesystem::path path_;
  int fd_ = -1;
  bool committed_ = false;
};

/// Writes `contents` to `path` atomically (a TempFile in the same folder,
/// then rename). Throws Error naming the file on failure.
void write_file_atomically(
    const std::filesystem::path& path, const std::string& contents);

}  // namespace d2l
