#include "d2l/harness/numeric_setup.h"

#include <ATen/Version.h>
#include <dlfcn.h>
#include <fmt/format.h>
#include <sched.h>
#include <torch/version.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "d2l/harness/resource_limits.h"

namespace d2l {

namespace {

// What the start-up decided (a string literal: set before any constructor).
const char* g_decision = "not run (no .preinit_array support)";

// The variables the start-up gives OpenBLAS, "NAME=value".
constexpr const char* kBookCore = "OPENBLAS_CORETYPE=SkylakeX";
constexpr const char* kBookThreads = "OPENBLAS_NUM_THREADS=2";

// glibc runs the .preinit_array before libc's own initializer, which then
// sets `environ` to the process's initial environment array (the one the
// preinit functions get as `envp`). So setenv() at preinit time would be
// undone; instead the start-up lends two entries of that array to the
// variables above while the libraries initialize, and gives them back in
// restore_environment(). Lent entries are ones no library reads while it
// loads (shell bookkeeping such as `_` and SHLVL first).
struct Lent {
  char** slot = nullptr;
  char* original = nullptr;
};
Lent g_lent[2];
// Whether the start-up used setenv instead (see apply_book_setup).
bool g_used_setenv = false;

constexpr const char* kLendFirst[] = {
    "_",
    "SHLVL",
    "OLDPWD",
    "PWD",
    "COLORTERM",
    "TERM",
    "LOGNAME",
    "USER",
    "HOSTNAME",
    "MAIL",
    "SHELL",
    "LS_COLORS",
    "HOME"};

bool has_name(const char* entry, const char* name) {
  const std::size_t n = std::strlen(name);
  return std::strncmp(entry, name, n) == 0 && entry[n] == '=';
}

// The value of `name` in `envp`, or nullptr.
const char* lookup(char** envp, const char* name) {
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    if (has_name(*e, name)) {
      return *e + std::strlen(name) + 1;
    }
  }
  return nullptr;
}

bool set_in(char** envp, const char* name) {
  const char* value = lookup(envp, name);
  return value != nullptr && value[0] != '\0';
}

bool cpu_runs_book_kernels() {
  __builtin_cpu_init();
  // __builtin_cpu_supports also checks that the OS saves the AVX-512 state.
  return __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512cd") &&
         __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl");
}

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) != 0) {
    return 1;
  }
  return CPU_COUNT(&set);
}

// Points two entries of `envp` at the book's variables; false when it has
// no two entries to lend.
bool lend_entries(char** envp) {
  const char* values[] = {kBookCore, kBookThreads};
  int found = 0;
  for (const char* name : kLendFirst) {
    for (char** e = envp; *e != nullptr && found < 2; ++e) {
      if (has_name(*e, name)) {
        g_lent[found++] = Lent{e, *e};
        break;
      }
    }
  }
  if (found < 2) {
    return false;
  }
  for (int i = 0; i < 2; ++i) {
    *g_lent[i].slot = const_cast<char*>(values[i]);
  }
  return true;
}

// Marks the copy of the program reexec_with_book_setup() starts.
constexpr const char* kReexecMarker = "D2L_BOOK_SETUP_REEXEC";

// The fallback for an environment with too few entries to lend (env -i):
// starts the program again with the book's variables added, before any
// library has initialized. Returns only when that fails.
void reexec_with_book_setup(char** argv, char** envp) {
  constexpr int kMaxEntries = 64;
  static char* env[kMaxEntries + 4];
  int n = 0;
  for (char** e = envp; *e != nullptr; ++e) {
    if (n == kMaxEntries) {
      return;
    }
    env[n++] = *e;
  }
  env[n++] = const_cast<char*>(kBookCore);
  env[n++] = const_cast<char*>(kBookThreads);
  env[n++] = const_cast<char*>("D2L_BOOK_SETUP_REEXEC=1");
  env[n] = nullptr;
  ::execve("/proc/self/exe", argv, env);
}

// Runs before any shared library's initializer, so before OpenBLAS reads
// its environment: no C++ runtime, no getenv (environ is not set yet).
void apply_book_setup(int /*argc*/, char** argv, char** envp) {
  if (envp == nullptr) {
    return;
  }
  if (lookup(envp, kReexecMarker) != nullptr) {
    g_decision = "applied";
    g_used_setenv = true;  // restore_environment() removes the variables
    return;
  }
  const char* native = lookup(envp, "D2L_NATIVE_BLAS");
  if (native != nullptr && std::strcmp(native, "1") == 0) {
    g_decision = "D2L_NATIVE_BLAS=1 is set";
  } else if (set_in(envp, "OPENBLAS_CORETYPE")) {
    g_decision = "OPENBLAS_CORETYPE is set";
  } else if (set_in(envp, "OPENBLAS_NUM_THREADS")) {
    g_decision = "OPENBLAS_NUM_THREADS is set";
  } else if (!cpu_runs_book_kernels()) {
    g_decision = "this CPU has no AVX-512";
  } else if (usable_cpus() < kBookBlasThreads) {
    g_decision = "fewer than 2 CPUs are usable";
  } else if (environ != nullptr) {
    // A C library that sets environ before .preinit_array: plain setenv.
    ::setenv("OPENBLAS_CORETYPE", kBookBlasCore, 1);
    ::setenv("OPENBLAS_NUM_THREADS", "2", 1);
    g_used_setenv = true;
    g_decision = "applied";
  } else if (lend_entries(envp)) {
    g_decision = "applied";
  } else {
    reexec_with_book_setup(argv, envp);  // returns only if it failed
    g_decision = "re-executing under the book's set-up failed";
  }
}

// The .preinit_array function: the book's set-up, then the checks of the
// stack and memory limits against what OpenBLAS will be given.
void start_up(int argc, char** argv, char** envp) {
  apply_book_setup(argc, argv, envp);
  check_resource_limits_at_start(envp);
}

// After every shared library has initialized (the executable's own
// initializers run last): the environment is again the one the process
// started with, for its own getenv and for child processes.
__attribute__((constructor)) void restore_environment() {
  // The optimizer may evaluate a constructor at compile time, from the
  // globals' initial values; apply_book_setup() changed them before this
  // runs, so forbid that (an opaque statement stops the evaluation).
  asm volatile("" ::: "memory");
  for (auto& lent : g_lent) {
    if (lent.slot != nullptr) {
      *lent.slot = lent.original;
      lent.slot = nullptr;
    }
  }
  if (g_used_setenv) {
    ::unsetenv("OPENBLAS_CORETYPE");
    ::unsetenv("OPENBLAS_NUM_THREADS");
    ::unsetenv(kReexecMarker);
    g_used_setenv = false;
  }
}

}  // namespace

// The executable's .preinit_array runs before the initializers of the shared
// libraries it needs (ELF gABI; glibc's _dl_init), LibTorch's BLAS included.
// Linked into every program that uses numeric_setup(), App::run does.
__attribute__((
    section(".preinit_array"),
    used)) static void (*const d2l_preinit_book_setup)(int, char**, char**) =
    &start_up;

bool NumericSetup::is_book_blas() const {
  return blas == "OpenBLAS" && blas_core == kBookBlasCore &&
         blas_threads == kBookBlasThreads;
}

bool NumericSetup::is_book() const {
  return is_book_blas() && aten_forced.empty();
}

std::string NumericSetup::describe_aten() const {
  return aten_capability.empty()
             ? std::string()
             : fmt::format("ATen {} kernels", aten_capability);
}

std::string NumericSetup::describe_blas() const {
  if (blas == "OpenBLAS") {
    return fmt::format(
        "OpenBLAS {} kernels, {} thread{}",
        blas_core,
        blas_threads,
        blas_threads == 1 ? "" : "s");
  }
  return fmt::format("BLAS {}", blas);
}

std::string aten_capability() {
  // "  - CPU capability usage: AVX2" in LibTorch 1.13 and 2.x alike; the
  // unvectorised kernels print as "NO AVX", ATEN_CPU_CAPABILITY's "default".
  static const std::string capability = [] {
    const std::string config = at::show_config();
    const std::string key = "CPU capability usage: ";
    const auto at = config.find(key);
    if (at == std::string::npos) {
      return std::string();
    }
    const auto begin = at + key.size();
    std::string value = config.substr(begin, config.find('\n', begin) - begin);
    while (!value.empty() &&
           std::isspace(static_cast<unsigned char>(value.back()))) {
      value.pop_back();
    }
    return value == "NO AVX" ? std::string("DEFAULT") : value;
  }();
  return capability;
}

std::string blas_library() {
  void* sgemm = ::dlsym(RTLD_DEFAULT, "sgemm_");
  Dl_info info{};
  if (sgemm == nullptr || ::dladdr(sgemm, &info) == 0 ||
      info.dli_fname == nullptr) {
    return {};
  }
  std::error_code ec;
  const auto path = std::filesystem::canonical(info.dli_fname, ec);
  return ec ? info.dli_fname : path.string();
}

NumericSetup numeric_setup() {
  NumericSetup setup;
  setup.torch_version = TORCH_VERSION;
  setup.decision = g_decision;
  setup.aten_capability = aten_capability();
  if (const char* forced = std::getenv("ATEN_CPU_CAPABILITY");
      forced != nullptr && forced[0] != '\0') {
    setup.aten_forced = forced;
  }
  using CoreName = char* (*)();
  using NumThreads = int (*)();
  const auto core_name = reinterpret_cast<CoreName>(
      ::dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  const auto num_threads = reinterpret_cast<NumThreads>(
      ::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  if (core_name != nullptr && num_threads != nullptr) {
    setup.blas = "OpenBLAS";
    const char* core = core_name();
    setup.blas_core = core != nullptr ? core : "";
    setup.blas_threads = num_threads();
    return setup;
  }
  setup.blas = blas_library();
  if (setup.blas.empty()) {
    setup.blas = "unknown";
  }
  return setup;
}

std::string numeric_setup_note(const NumericSetup& setup) {
  if (setup.is_book()) {
    return {};
  }
  // One short line: what runs and why, against the book's; the README's
  // "Same numbers" says the rest. ATen is named only when chosen by hand.
  std::string what = setup.describe_blas();
  std::string why;
  if (!setup.is_book_blas()) {
    why = setup.decision == "applied" ? "though the book's was asked for"
                                      : setup.decision;
  }
  std::string book =
      fmt::format("{} kernels, {} threads", kBookBlasCore, kBookBlasThreads);
  if (!setup.aten_forced.empty()) {
    what += ", " + (setup.aten_capability.empty()
                        ? fmt::format("ATen {} kernels", setup.aten_forced)
                        : setup.describe_aten());
    why += std::string(why.empty() ? "" : ", ") + "ATEN_CPU_CAPABILITY is set";
    book += ", ATen's own";
  }
  return fmt::format(
      "note: arithmetic differs from the book's: {} ({}; book: {}); last "
      "printed digits may differ (see scripts/compare.sh)",
      what,
      why,
      book);
}

std::string torch_major_minor() {
  return fmt::format("{}.{}", TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR);
}

}  // namespace d2l
