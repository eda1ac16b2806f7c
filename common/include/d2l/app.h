#pragma once

#include <CLI/CLI.hpp>
#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "d2l/plot.h"

namespace d2l {

/// The command line and run-time set-up every section shares.
///
/// Common flags: `--seed` (default 0: `torch.manual_seed` and `random.seed`),
/// `--threads` (intra-op threads; default torch's own choice, as in Python),
/// `--out DIR` (figures), `--no-figures`, `--device cpu|cuda`, `--help`.
/// A section adds its own flags through `cli()` before calling `run`.
class App {
 public:
  /// `section` is the book's number ("3.2"), `title` its heading.
  App(std::string section, std::string title);

  /// The CLI11 parser, to add section flags to.
  CLI::App& cli() {
    return cli_;
  }

  /// Parses the command line, validates it, seeds the generators, sets the
  /// thread count and runs `body`. Returns the process exit code: 0 on
  /// success, 2 for a bad flag (one line on stderr, nothing written), 1 for a
  /// failed run (one line on stderr).
  int run(int argc, char** argv, const std::function<void()>& body);

  /// The seed of this run (`--seed`).
  uint64_t seed() const {
    return seed_;
  }
  /// The device tensors should live on (`--device`).
  torch::Device device() const {
    return device_;
  }
  /// Where figure `name` (e.g. "3.1_cell07_fig1") is written, or a disabled
  /// target under `--no-figures`.
  FigureTarget figure(const std::string& name) const;
  /// The output folder (`--out`).
  const std::filesystem::path& out_dir() const {
    return out_dir_;
  }

 private:
  void validate_and_prepare();

  std::string section_;
  CLI::App cli_;
  uint64_t seed_ = 0;
  int threads_ = 0;
  std::string device_name_ = "cpu";
  torch::Device device_ = torch::kCPU;
  std::filesystem::path out_dir_ = "out";
  bool no_figures_ = false;
};

/// CLI11 validator: a finite number > 0 (learning rates, sigmas).
extern const CLI::Validator PositiveFinite;
/// CLI11 validator: an integer > 0 (sizes, counts, epochs).
extern const CLI::Validator PositiveInt;
/// CLI11 validator: an integer >= 0.
extern const CLI::Validator NonNegativeInt;

/// Throws DivergenceError when `loss` is NaN or infinite; the message names
/// `epoch` and suggests a smaller learning rate than `lr`.
void check_finite_loss(double loss, int64_t epoch, double lr);

/// Warns once on stderr when LibTorch runs on the reference BLAS rather than
/// an optimized one (OpenBLAS, MKL, BLIS). Returns true when optimized.
bool check_blas();

}  // namespace d2l
