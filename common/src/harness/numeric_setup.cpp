#include "d2l/harness/numeric_setup.h"

#include <ATen/Version.h>
#include <dlfcn.h>
#include <fmt/format.h>
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

// What the launcher decided for this process, read once the libraries have
// loaded (take_launch_decision).
std::string& launch_decision() {
  static std::string decision =
      "not started by its launcher (run the program's own name, not its "
      ".real file, or under d2l_launch)";
  return decision;
}

// After every shared library has initialized (the executable's own
// initializers run last), so after OpenBLAS has read its variables: takes
// the launcher's decision and gives the environment back as the user had
// it, for this program's getenv and its child processes. The marker stays:
// it names this pid, so a child does not take it for its own.
__attribute__((constructor)) void take_launch_decision() {
  const std::string decision =
      decision_for(std::getenv(kSetupMarker), static_cast<long>(::getpid()));
  if (decision.empty()) {
    return;
  }
  launch_decision() = decision;
  if (decision == "applied") {
    ::unsetenv("OPENBLAS_CORETYPE");
    ::unsetenv("OPENBLAS_NUM_THREADS");
  }
}

// The executable's .preinit_array runs before the initializers of the shared
// libraries it needs (ELF gABI; glibc's _dl_init), LibTorch's and OpenBLAS's
// included: the checks of the stack and memory limits against what OpenBLAS
// was given (the environment is not changed here). Linked into every program
// that uses numeric_setup(), as App::run does.
void check_limits_at_start(int /*argc*/, char** /*argv*/, char** envp) {
  if (envp != nullptr) {
    check_resource_limits_at_start(envp);
  }
}

}  // namespace

__attribute__((
    section(".preinit_array"),
    used)) static void (*const d2l_preinit_limits)(int, char**, char**) =
    &check_limits_at_start;

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
  setup.decision = launch_decision();
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
