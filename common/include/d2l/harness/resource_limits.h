#pragma once

#include <string>

namespace d2l {

/// The smallest `ulimit -s` the programs accept: LibTorch 1.13's CPU kernels
/// reserve up to 130 KiB of stack in one frame (the unary float kernels'
/// 128 KiB buffer), and glibc gives every thread a stack of this limit.
inline constexpr unsigned long kMinStackKiB = 256;

/// What OpenBLAS maps for each thread that runs its routines: BUFFER_SIZE,
/// 32 << 22 bytes on x86_64 (OpenBLAS's common_x86_64.h). Its
/// blas_memory_alloc() retries that mapping forever when the address-space
/// limit leaves no room for it, so the programs make sure it fits.
inline constexpr unsigned long kOpenBlasBufferBytes = 32ul << 22;

/// Part of the start-up (numeric_setup.cpp's .preinit_array function, which
/// runs after the dynamic loader has mapped the libraries and before any of
/// them initializes; the launcher has set OpenBLAS's variables by then):
/// refuses with one line
/// on stderr and exit code 2 a stack limit below kMinStackKiB, or an
/// address-space or data limit (ulimit -v, ulimit -d) that leaves too little
/// room for LibTorch's initialization plus OpenBLAS's thread buffers; and
/// installs a terminate handler that turns a std::bad_alloc nobody catches
/// (LibTorch's static initializers) into one line and exit code 1. `envp` is
/// the environment OpenBLAS will read.
void check_resource_limits_at_start(char** envp);

/// Under an address-space or data limit, makes sure of what would otherwise
/// hang: that LibTorch's thread pool (created by at::set_num_threads, whose
/// pthreadpool waits forever for a thread it failed to create) fits, and that
/// OpenBLAS's buffer for the calling thread does: OpenBLAS maps it now, while
/// there is room, instead of at the first matrix product. One line and exit
/// code 1 when they do not fit. Without a limit it does nothing. App::run
/// calls it first.
void reserve_start_memory();

/// "; the address-space limit (ulimit -v) is 800 MB: raise it" when such a
/// limit is set, else "": what an out-of-memory message ends with.
std::string memory_limit_hint();

}  // namespace d2l
