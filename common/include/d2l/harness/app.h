#pragma once

#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "d2l/harness/errors.h"
#include "d2l/plot.h"
#include "d2l/pyrandom.h"
#include "d2l/train.h"

namespace d2l {

/// The command line and run-time set-up every section shares.
///
/// Common flags: `--seed` (default 0: `torch.manual_seed` and `random.seed`),
/// `--threads` (LibTorch intra-op threads; default 1, the book's set-up: more
/// change no number here, and on few cores OpenMP's spinning workers starve
/// OpenBLAS's threads; 0: LibTorch's own choice),
/// `--out DIR` (figures), `--no-figures`, `--device cpu|cuda`, `--help`,
/// `--describe` (what the program is, as JSON, for scripts: see
/// describe_json).
/// A section adds its own flags through `cli()` before calling `run`.
class App {
 public:
  /// `section` is the book's number ("3.2"), `title` its heading; a
  /// learner's own program (exercises/) passes "" and its own title.
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

  /// Adds a check run after parsing and before anything is written (the
  /// `--out` folder included); it throws UsageError for a bad value.
  void add_check(std::function<void()> check) {
    checks_.push_back(std::move(check));
  }

  /// Adds `--data-dir DIR` (where Fashion-MNIST is looked for first) and
  /// returns the variable it fills (empty: search the usual places).
  const std::string& add_data_dir_flag();

  /// Adds the training hyperparameters' flags `--lr` (finite, > 0),
  /// `--epochs` and `--batch-size` (integers > 0), which fill the given
  /// variables; their values on entry are the defaults shown by --help (the
  /// learning rate's is remembered for divergence messages). The variables
  /// must outlive `run`.
  void add_training_flags(double& lr, int64_t& num_epochs, int64_t& batch_size);

  /// Adds `--num-examples` (the synthetic dataset's size, an integer > 0,
  /// its value on entry the default), refused before anything is allocated
  /// when the run would need more memory than the machine has.
  void add_num_examples_flag(int64_t& num_examples);

  /// What train_ch3 reports to: figure `figure`, the `--metrics` file when
  /// given (see add_metrics_flag), progress on stderr, and the divergence
  /// advice (`divergence_advice`).
  TrainReport train_report(const std::string& figure) const;

  /// The advice a divergence message gives for this run: its `--lr` and the
  /// section's default (both from add_training_flags).
  DivergenceAdvice divergence_advice() const;

  /// Adds `--metrics FILE` (one JSON object per epoch, written by
  /// train_ch3 through `train_report`). Before anything is written, `run`
  /// refuses (exit 2) an empty name, anything but a regular file or a new
  /// one (a folder, a device, a FIFO; a symbolic link is followed to its
  /// file, a dangling one refused), a folder that is missing or not writable
  /// (the `--out` folder this run creates counts as there), and a figure
  /// file of this run (a .png, .svg or .gp name in `--out`).
  void add_metrics_flag();

  /// Declares that this section's printed numbers pass through BLAS (matrix
  /// products): `run` then prints one line on stderr when the process does
  /// not run the book's arithmetic (see numeric_setup.h).
  void use_book_blas() {
    book_blas_ = true;
  }

  /// The seed of this run as `torch.manual_seed(seed)` uses it: `--seed`
  /// takes exactly what torch.manual_seed takes, [-2^63, 2^64 - 1], and a
  /// negative seed wraps to 2^64 + seed, as torch's does.
  uint64_t seed() const {
    return seed_;
  }
  /// Python's `random.seed(seed)` for this run (it seeds from |seed|).
  PyRandom python_random() const;

  /// Registers exercise `id` of this section ("3.2-4", "3.1-2(d)"): the
  /// `flags` that explore it ("--second-derivatives"; "" when the default
  /// run does) and `what` it shows. `--exercises` lists them in order, and
  /// `--help` points there.
  void add_exercise(std::string id, std::string flags, std::string what);

  /// Declares that the book's section has no code to mirror (3.4: its
  /// text and exercises only): `--describe` says so, and the tests then
  /// expect no cell of the book's output from the default run.
  void book_has_no_code() {
    book_code_ = false;
  }

  /// Declares that this section draws no figures: `--out` and
  /// `--no-figures` are still accepted (scripts pass them to every section)
  /// but hidden from --help, and no folder is created.
  void draws_no_figures();
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
  void check_metrics_file() const;

  std::string section_;
  CLI::App cli_;
  struct Exercise {
    std::string id, flags, what;
  };
  void print_exercises() const;
  void print_description() const;
  std::string unknown_flag_message(int argc, char** argv) const;

  std::string title_;
  uint64_t seed_ = 0;
  std::string seed_text_ = "0";
  uint64_t python_seed_ = 0;
  std::vector<Exercise> exercises_;
  bool list_exercises_ = false;
  bool describe_ = false;
  bool book_code_ = true;
  bool takes_metrics_ = false;
  bool draws_figures_ = true;
  int threads_ = 1;
  std::string device_name_ = "cpu";
  torch::Device device_ = torch::kCPU;
  std::filesystem::path out_dir_ = "out";
  bool no_figures_ = false;
  std::string data_dir_;
  std::string metrics_;
  std::vector<std::function<void()>> checks_;
  const double* lr_ = nullptr;
  double default_lr_ = 0;
  bool book_blas_ = false;
};

/// Throws UsageError naming `flag` unless a file can be written at `path`:
/// its folder exists and is writable, and `path` is new, a regular file or
/// a symbolic link to one (see output_target).
void check_writable_file(
    const std::string& flag, const std::filesystem::path& path);

/// What `--describe` prints about a program, one JSON object on one line:
/// `{"id": "3.6", "title": "...", "book_code": true, "figures": true,
/// "metrics": true, "book_blas": true, "exercises": [{"id": "3.6-1",
/// "flags": "--x", "what": "..."}, ...]}`: the book's section number ("" for
/// a learner's program) and heading, whether the book's section has code
/// whose output the default run prints, whether it draws figures, takes
/// `--metrics`, prints numbers that pass through BLAS (use_book_blas), and
/// its exercises with their flags, as `--exercises` lists them.
struct Description {
  /// The book's section number ("3.6"), "" for a learner's program.
  std::string id;
  /// The section's heading.
  std::string title;
  /// The book's section has code whose output the default run prints.
  bool book_code = true;
  /// The program draws figures.
  bool figures = true;
  /// The program takes `--metrics FILE`.
  bool metrics = false;
  /// Its printed numbers pass through BLAS.
  bool book_blas = false;
  /// One exercise: its id, the flags that explore it, what it shows.
  struct Exercise {
    /// "3.2-4", "3.1-2(d)".
    std::string id;
    /// The flags; "" for the default run.
    std::string flags;
    /// What it shows.
    std::string what;
  };
  /// Its exercises, in the order `--exercises` lists them.
  std::vector<Exercise> exercises;
};

/// `d` as `--describe` prints it (see Description), without a newline.
std::string describe_json(const Description& d);

/// CLI11 validator: a finite number > 0 (learning rates, sigmas).
extern const CLI::Validator PositiveFinite;
/// CLI11 validator: a finite number >= 0 (weight decay, noise levels).
extern const CLI::Validator NonNegativeFinite;
/// CLI11 validator: a number in [0, 1) (momentum, fractions).
extern const CLI::Validator UnitFraction;
/// CLI11 validator: an integer > 0 (sizes, counts, epochs).
extern const CLI::Validator PositiveInt;
/// CLI11 validator: an integer >= 0.
extern const CLI::Validator NonNegativeInt;

/// The product of `factors` (sizes >= 0), or a UsageError naming `flags`
/// (e.g. "--d 4294967296 --q 4294967296") when it would overflow int64.
int64_t checked_product(
    std::initializer_list<int64_t> factors, const std::string& flags);

/// Throws UsageError naming `flags` when a run would need more than this
/// machine's physical memory (`bytes`, an estimate of its peak), before
/// anything is allocated: one line with both amounts.
void check_memory(const std::string& flags, double bytes);

/// The one line `App::run` prints for a LibTorch error (a shape mismatch in
/// a learner's program, say): its message, and how to see where it was
/// raised; with D2L_BACKTRACE=1 in the environment, LibTorch's whole text
/// with the C++ frames (several lines), which `App::run` also asks LibTorch
/// 2.x to record (TORCH_SHOW_CPP_STACKTRACES).
std::string torch_error_message(const c10::Error& e);

/// Warns once on stderr when LibTorch runs on the reference BLAS rather than
/// an optimized one (OpenBLAS, MKL, BLIS). Returns true when optimized.
bool check_blas();

}  // namespace d2l
