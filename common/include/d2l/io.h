#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace d2l {

/// What a file of type `mode` (from stat) is, for messages: "a folder", "a
/// device (character special file)", "a FIFO (named pipe)", "a socket", ...
std::string file_type_name(mode_t mode);

/// What a write to `path` would replace, or why it must not: the program
/// writes only regular files. Returns the file a write lands in (`path`
/// itself when it is missing or a regular file; the file a symbolic link
/// points to, which is followed as `cp` and shell redirections follow it),
/// or sets `*problem` to one phrase ("is a folder", "is a FIFO (named
/// pipe)", "is a symbolic link to a missing file", "is a loop of symbolic
/// links", "is an empty name", ...: "is " and file_type_name) and returns
/// nothing.
std::optional<std::filesystem::path> output_target(
    const std::filesystem::path& path, std::string* problem);

/// A file created beside its final place (`<dir>/.<name>.tmp-<pid>-XXXXXX`),
/// so that renaming it there is atomic: readers see the old file or the whole
/// new one, never a partial one. Removed on destruction unless committed,
/// and by `remove_temporaries_now` when a signal ends the run. The first
/// TempFile of a process in a folder removes the temporaries of this naming
/// that processes no longer running left there.
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

  /// Writes `content` and closes the file, checking every write and the
  /// close (a full disk is an Error naming `what`).
  void write_all(const std::string& content, const std::filesystem::path& what);

  /// Renames the file to `dest` (atomic within the folder); throws Error.
  /// `dest` must be a regular file or missing (see output_target); an
  /// existing file's permission bits (and, for root, owner) carry over. A
  /// file with other hard links is replaced at this name only: the rename
  /// that makes the replacement atomic gives the name a new file.
  void commit(const std::filesystem::path& dest);

 private:
  int close_fd();

  std::filesystem::path path_;
  int fd_ = -1;
  int slot_ = -1;
  bool committed_ = false;
};

/// Writes `contents` to `path` atomically (a TempFile in the same folder,
/// then rename); a symbolic link is followed (see output_target). Throws
/// Error naming the file on failure.
void write_file_atomically(
    const std::filesystem::path& path, const std::string& contents);

/// The whole contents of the file `path`; throws Error naming `what`.
std::string read_whole_file(
    const std::filesystem::path& path, const std::filesystem::path& what);

/// `s` as text for a one-line message: valid UTF-8 and printable ASCII as
/// they are, a tab as a space, every other byte (a newline in a path, a
/// control character, a byte of no character) as `\xNN`.
std::string printable(const std::string& s);

/// Marks `pid` as a child that `remove_temporaries_now` kills (0 clears it).
void set_running_child(pid_t pid);

/// For a signal handler (async-signal-safe): kills the running child (see
/// set_running_child) and removes every temporary file of this process that
/// is not committed.
void remove_temporaries_now() noexcept;

}  // namespace d2l
