// libFuzzer target: the command line every section parses (d2l::App with
// the shared flags, the training flags, --data-dir and --metrics FILE),
// from arguments made of the input split at NUL bytes. Whatever the
// arguments, App::run must return 0 (the body ran), 2 (a bad flag) or 1
// (a failed run), without undefined behaviour; "--no-figures" is always
// added, so nothing is written.
//
// Run: scripts/fuzz.sh (seed corpus: tests/fuzz/corpus/cli).
#include <d2l/harness/app.h>

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr size_t kMaxArgs = 24;

}  // namespace

// App prints one line per rejected value on std::cerr: silence it (the
// fuzzer's and the sanitizers' reports do not go through std::cerr).
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  std::cerr.rdbuf(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> words = {"section"};
  std::string word;
  for (size_t i = 0; i < size && words.size() < kMaxArgs; ++i) {
    if (data[i] == 0) {
      words.push_back(word);
      word.clear();
    } else {
      word += static_cast<char>(data[i]);
    }
  }
  if (!word.empty() && words.size() < kMaxArgs) {
    words.push_back(word);
  }
  words.push_back("--no-figures");
  std::vector<char*> argv;
  for (auto& w : words) {
    argv.push_back(w.data());
  }
  argv.push_back(nullptr);

  d2l::App app("3.x", "fuzz");
  double lr = 0.03;
  int64_t epochs = 3;
  int64_t batch_size = 10;
  app.add_training_flags(lr, epochs, batch_size);
  app.add_data_dir_flag();
  app.add_metrics_flag();
  bool ran = false;
  const int code = app.run(
      static_cast<int>(argv.size() - 1), argv.data(), [&] { ran = true; });
  if (code != 0 && code != 1 && code != 2) {
    std::abort();
  }
  if (ran && (code != 0 || !(lr > 0) || epochs <= 0 || batch_size <= 0)) {
    std::abort();  // the body ran with a value validation should reject
  }
  return 0;
}
