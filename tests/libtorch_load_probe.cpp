// An empty program linked to LibTorch, for scripts/bench.sh: its wall time
// is what loading and initialising LibTorch (and the libraries it pulls in)
// costs by itself, before any of the project's code runs, so that a
// section's start-up can be told apart from the LibTorch release under it.
#include <ATen/Context.h>

int main() {
  // One reference, which nothing calls, keeps the linker from dropping
  // libtorch_cpu as unneeded.
  at::Context& (*volatile reference)() = &at::globalContext;
  return reference == nullptr ? 1 : 0;
}
