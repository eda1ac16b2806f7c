#include "d2l/harness/book_setup.h"

#include <sched.h>

#include <cstdlib>
#include <cstring>

namespace d2l {

std::string decide_book_setup(const SetupInputs& in) {
  if (in.native_blas) {
    return "D2L_NATIVE_BLAS=1 is set";
  }
  if (in.core_set) {
    return "OPENBLAS_CORETYPE is set";
  }
  if (in.threads_set) {
    return "OPENBLAS_NUM_THREADS is set";
  }
  if (!in.avx512) {
    return "this CPU has no AVX-512";
  }
  if (in.usable_cpus < kBookBlasThreads) {
    return "fewer than 2 CPUs are usable";
  }
  return "applied";
}

SetupInputs current_setup_inputs() {
  const auto set = [](const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && value[0] != '\0';
  };
  SetupInputs in;
  const char* native = std::getenv("D2L_NATIVE_BLAS");
  in.native_blas = native != nullptr && std::strcmp(native, "1") == 0;
  in.core_set = set("OPENBLAS_CORETYPE");
  in.threads_set = set("OPENBLAS_NUM_THREADS");
  __builtin_cpu_init();
  // __builtin_cpu_supports also checks that the OS saves the AVX-512 state.
  in.avx512 =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
      __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  in.usable_cpus =
      ::sched_getaffinity(0, sizeof(cpus), &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
  return in;
}

std::string setup_marker(long pid, const std::string& decision) {
  return std::to_string(pid) + " " + decision;
}

std::string decision_for(const char* marker, long pid) {
  if (marker == nullptr) {
    return "";
  }
  const std::string value = marker;
  const std::string prefix = std::to_string(pid) + " ";
  if (value.compare(0, prefix.size(), prefix) != 0 ||
      value.size() == prefix.size()) {
    return "";
  }
  return value.substr(prefix.size());
}

}  // namespace d2l
