#include "d2l/harness/resource_limits.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string>

namespace d2l {

namespace {

// Much of this runs in the .preinit_array, before libstdc++ and the other
// libraries initialize: only the C library, no allocation.

constexpr unsigned long long kKiB = 1024;
constexpr unsigned long long kMiB = 1024 * kKiB;

// What LibTorch's static initializers map between the .preinit_array and
// main: 43 MiB measured for 1.13 (operator registrations), with room to spare.
constexpr unsigned long long kStartReserve = 64 * kMiB;
// Suggested on top of the start: the sections' data and tensors (Fashion-MNIST
// as floats, 3.5-3.7) peak at about 200 MiB above the start.
constexpr unsigned long long kRunAllowance = 256 * kMiB;
// Debian's OpenBLAS is built with NUM_THREADS=64 (MAX_THREADS): it never
// runs more threads than that.
constexpr long kOpenBlasMaxThreads = 64;

struct MemoryLimit {
  int resource;
  const char* status_field;  // /proc/self/status: what the limit counts
  const char* what;
  const char* ulimit;
};
constexpr MemoryLimit kMemoryLimits[] = {
    {RLIMIT_AS, "VmSize:", "address-space", "ulimit -v"},
    {RLIMIT_DATA, "VmData:", "data-size", "ulimit -d"},
};

// Set when App::run starts: LibTorch's and OpenBLAS's initialization is over.
bool g_started = false;
std::terminate_handler g_previous_terminate = nullptr;

void write_stderr(const char* text) {
  std::size_t left = std::strlen(text);
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, text, left);
    if (n <= 0) {
      return;
    }
    text += n;
    left -= static_cast<std::size_t>(n);
  }
}

// The soft limit in bytes, or 0 when there is none.
unsigned long long soft_limit(int resource) {
  struct rlimit limit {};
  if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return 0;
  }
  return limit.rlim_cur;
}

// A "Field:   N kB" line of /proc/self/status in bytes; 0 when unreadable.
unsigned long long status_bytes(const char* field) {
  char text[4096];
  const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return 0;
  }
  std::size_t used = 0;
  ssize_t n = 0;
  while (used < sizeof(text) - 1 &&
         (n = ::read(fd, text + used, sizeof(text) - 1 - used)) > 0) {
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text[used] = '\0';
  const char* line = std::strstr(text, field);
  if (line == nullptr) {
    return 0;
  }
  return std::strtoull(line + std::strlen(field), nullptr, 10) * kKiB;
}

const char* env_value(char** envp, const char* name) {
  if (environ != nullptr) {
    return std::getenv(name);  // a C library that set environ already
  }
  const std::size_t n = std::strlen(name);
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
      return *e + n + 1;
    }
  }
  return nullptr;
}

// How many threads OpenBLAS (pthreads build) will run, as its
// blas_get_cpu_number() decides (driver/others/memory.c): OPENBLAS_NUM_THREADS,
// else GOTO_NUM_THREADS, else OMP_NUM_THREADS (each read with atoi, used when
// > 0), else every CPU; at most the CPUs it can use and MAX_THREADS.
long openblas_threads(char** envp) {
  long threads = 0;
  for (const char* name :
       {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}) {
    const char* value = env_value(envp, name);
    if (value != nullptr && std::atoi(value) > 0) {
      threads = std::atoi(value);
      break;
    }
  }
  long cpus = ::sysconf(_SC_NPROCESSORS_CONF);
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0 &&
      CPU_COUNT(&set) < cpus) {
    cpus = CPU_COUNT(&set);
  }
  if (cpus <= 0) {
    cpus = 2;  // OpenBLAS's own fallback
  }
  if (threads == 0 || threads > cpus) {
    threads = cpus;
  }
  return threads < kOpenBlasMaxThreads ? threads : kOpenBlasMaxThreads;
}

// The stack glibc gives a new thread (RLIMIT_STACK at start, at least
// PTHREAD_STACK_MIN, 2 MiB when unlimited) plus its guard page.
unsigned long long thread_stack_bytes() {
  pthread_attr_t attr;
  std::size_t size = 8 * kMiB;
  std::size_t guard = 4 * kKiB;
  if (::pthread_getattr_default_np(&attr) == 0) {
    ::pthread_attr_getstacksize(&attr, &size);
    ::pthread_attr_getguardsize(&attr, &guard);
    ::pthread_attr_destroy(&attr);
  }
  return size + guard;
}

// How many threads LibTorch's pthreadpool starts when at::set_num_threads
// first creates it (caffe2's getDefaultNumThreads: cpuinfo's processor
// count), one of them the caller.
long torch_pool_threads() {
  const long cpus = ::sysconf(_SC_NPROCESSORS_CONF);
  return cpus > 1 ? cpus : 1;
}

bool have_openblas() {
  return ::dlsym(RTLD_DEFAULT, "openblas_get_parallel") != nullptr;
}

unsigned long long round_up(unsigned long long bytes, unsigned long long to) {
  return (bytes + to - 1) / to * to;
}

[[noreturn]] void refuse(const char* line, int code) {
  write_stderr(line);
  ::_exit(code);
}

// The memory limit with the least room left: "; the address-space limit
// (ulimit -v) is N KiB: raise it", or "" when none is set.
void format_hint(char* out, std::size_t size) {
  out[0] = '\0';
  const MemoryLimit* tightest = nullptr;
  unsigned long long tightest_bytes = 0;
  unsigned long long least_room = ~0ull;
  for (const auto& limit : kMemoryLimits) {
    const unsigned long long bytes = soft_limit(limit.resource);
    if (bytes == 0) {
      continue;
    }
    const unsigned long long used = status_bytes(limit.status_field);
    const unsigned long long room = bytes > used ? bytes - used : 0;
    if (tightest == nullptr || room < least_room) {
      tightest = &limit;
      tightest_bytes = bytes;
      least_room = room;
    }
  }
  if (tightest != nullptr) {
    std::snprintf(
        out,
        size,
        "; the %s limit (%s) is %llu KiB: raise it",
        tightest->what,
        tightest->ulimit,
        tightest_bytes / kKiB);
  }
}

[[noreturn]] void on_terminate() {
  if (const std::exception_ptr current = std::current_exception()) {
    try {
      std::rethrow_exception(current);
    } catch (const std::bad_alloc&) {
      char hint[160];
      format_hint(hint, sizeof(hint));
      char line[256];
      std::snprintf(
          line,
          sizeof(line),
          "error: out of memory%s%s\n",
          g_started ? "" : " while starting",
          hint);
      refuse(line, 1);
    } catch (...) {
    }
  }
  if (g_previous_terminate != nullptr) {
    g_previous_terminate();
  }
  std::abort();
}

void check_stack() {
  const unsigned long long stack = soft_limit(RLIMIT_STACK);
  if (stack != 0 && stack < kMinStackKiB * kKiB) {
    char line[256];
    std::snprintf(
        line,
        sizeof(line),
        "error: the stack-size limit (ulimit -s) is %llu KiB and LibTorch's "
        "CPU kernels need at least %lu KiB: raise it (ulimit -s 8192, the "
        "usual default)\n",
        stack / kKiB,
        kMinStackKiB);
    refuse(line, 2);
  }
}

void check_memory(char** envp) {
  long threads = 0;
  unsigned long long blas = 0;
  bool checked_blas = false;
  for (const auto& limit : kMemoryLimits) {
    const unsigned long long bytes = soft_limit(limit.resource);
    const unsigned long long used =
        bytes != 0 ? status_bytes(limit.status_field) : 0;
    if (bytes == 0 || used == 0) {
      continue;  // no limit, or no /proc to measure against
    }
    if (!checked_blas) {
      checked_blas = true;
      if (have_openblas()) {
        // One buffer per thread (the calling thread's too) and a stack for
        // each of its threads but the caller.
        threads = openblas_threads(envp);
        blas =
            static_cast<unsigned long long>(threads) * kOpenBlasBufferBytes +
            static_cast<unsigned long long>(threads - 1) * thread_stack_bytes();
      }
    }
    const unsigned long long need =
        used + kStartReserve + blas +
        static_cast<unsigned long long>(torch_pool_threads() - 1) *
            thread_stack_bytes();
    if (bytes < need) {
      char line[512];
      char blas_part[96] = "";
      if (threads > 0) {
        std::snprintf(
            blas_part,
            sizeof(blas_part),
            " and OpenBLAS's buffers for %ld thread%s",
            threads,
            threads == 1 ? "" : "s");
      }
      std::snprintf(
          line,
          sizeof(line),
          "error: the %s limit (%s) is %llu KiB and LibTorch%s need%s "
          "about %llu KiB just to start: raise it (%s %llu or more, or %s "
          "unlimited)\n",
          limit.what,
          limit.ulimit,
          bytes / kKiB,
          blas_part,
          threads > 0 ? "" : "s",
          round_up(need, 1000 * kKiB) / kKiB,
          limit.ulimit,
          round_up(need + kRunAllowance, 100000 * kKiB) / kKiB,
          limit.ulimit);
      refuse(line, 2);
    }
  }
}

}  // namespace

void check_resource_limits_at_start(char** envp) {
  g_previous_terminate = std::set_terminate(&on_terminate);
  check_stack();
  check_memory(envp);
}

void reserve_start_memory() {
  g_started = true;
  bool limited = false;
  for (const auto& limit : kMemoryLimits) {
    limited = limited || soft_limit(limit.resource) != 0;
  }
  if (!limited) {
    return;
  }
  using Alloc = void* (*)(int);
  using Free = void (*)(void*);
  const auto alloc =
      reinterpret_cast<Alloc>(::dlsym(RTLD_DEFAULT, "blas_memory_alloc"));
  const auto release =
      reinterpret_cast<Free>(::dlsym(RTLD_DEFAULT, "blas_memory_free"));
  const bool blas = alloc != nullptr && release != nullptr && have_openblas();
  // Neither pthreadpool_create() nor blas_memory_alloc() gives up when the
  // memory is not there: map what they will first, so that a full address
  // space ends here, with one line (and with _exit: exit()'s OpenBLAS
  // destructor could wait for a thread of its stuck the same way).
  const std::size_t size =
      (blas ? kOpenBlasBufferBytes : 0) +
      static_cast<std::size_t>(torch_pool_threads() - 1) * thread_stack_bytes();
  if (size == 0) {
    return;
  }
  void* probe = ::mmap(
      nullptr,
      size,
      PROT_READ | PROT_WRITE,
      MAP_PRIVATE | MAP_ANONYMOUS,
      -1,
      0);
  if (probe == MAP_FAILED) {
    char hint[160];
    format_hint(hint, sizeof(hint));
    char line[320];
    std::snprintf(
        line,
        sizeof(line),
        "error: out of memory: no room for %s (%llu MiB)%s\n",
        blas ? "OpenBLAS's work buffer and LibTorch's threads"
             : "LibTorch's threads",
        static_cast<unsigned long long>(size) / kMiB,
        hint);
    std::cout.flush();
    refuse(line, 1);
  }
  ::munmap(probe, size);
  if (blas) {
    // The buffer stays mapped for this thread's later calls.
    release(alloc(0));
  }
}

std::string memory_limit_hint() {
  char hint[160];
  format_hint(hint, sizeof(hint));
  return hint;
}

}  // namespace d2l
