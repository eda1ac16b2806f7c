// Child processes, started without a shell: gnuplot and fontconfig for the
// figures, the programs the tests run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace d2l {

/// How run_process starts a program and what it keeps of its output.
struct ProcessOptions {
  /// Collect what it writes to stdout (else stdout is /dev/null).
  bool capture_out = true;
  /// Collect what it writes to stderr (else stderr is /dev/null).
  bool capture_err = true;
  /// Keep at most this many bytes of each stream; the rest is read and
  /// dropped, so the program never blocks on a full pipe.
  std::size_t max_bytes = SIZE_MAX;
  /// Kill the program once it has run this many seconds (0: no limit).
  double limit_s = 0;
};

/// What run_process saw.
struct ProcessResult {
  /// False when the program could not be started; `spawn_error` says why.
  bool started = false;
  /// The errno of a failed start (ENOENT: no such program).
  int spawn_error = 0;
  /// Exit status (128 + signal number when a signal ended it).
  int exit_code = -1;
  /// True when it ran past `limit_s` and was killed.
  bool timed_out = false;
  /// What it wrote to stdout (when captured).
  std::string out;
  /// What it wrote to stderr (when captured).
  std::string err;
};

/// Runs `program` with `args` and waits for it: no shell, so no byte of an
/// argument is interpreted; looked up on PATH unless it contains '/'. Its
/// stdin is /dev/null; it starts with default signal dispositions and no
/// signal blocked, whatever this process's handlers are; while it runs, a
/// signal that ends this process kills it too (set_running_child).
ProcessResult run_process(
    const std::string& program,
    const std::vector<std::string>& args,
    const ProcessOptions& options = {});

/// The runnable regular file `program` names: `program` itself when it
/// contains '/', else the first folder of $PATH (/usr/bin:/bin when unset)
/// holding it; empty when there is none.
std::string find_program(const std::string& program);

}  // namespace d2l
