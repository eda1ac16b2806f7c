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

class App;

/// One exercise being declared by App::exercise, in one chained call that
/// gives its `--exercises` line, its `--describe` entry (and so README's
/// table), the flag that selects it and the code that shows it:
///
///     app.exercise("3.2-2", "SGD learns R from noisy readings")
///         .flag("--ohm", "learn the resistance of Ohm's law by autograd")
///         .runs([&] { ohm_demo(cells); });
///
/// The command `--exercises` shows is made of the flags `flag`, `option`
/// and `with` name, in the order they are chained; with none, the exercise
/// is the default run's. The exercise is selected when its switch or its
/// option is on the command line or, with neither, one of the flags `with`
/// names; App::run runs the selected ones' code after the book's cells, in
/// the order they were declared.
class ExerciseDeclaration {
 public:
  /// Another part of the book's exercises that the same command answers
  /// ("3.1-1(b)"), with what it shows.
  ExerciseDeclaration& part(std::string id, std::string what);

  /// Adds the switch `flag` ("--ohm") that selects the exercise. Its help
  /// reads "exercise ID: `help`", ID the exercise's number(s).
  ExerciseDeclaration& flag(const std::string& flag, const std::string& help);

  /// Adds the option `flag` ("--init"), which fills `variable` (its value
  /// on entry the default --help shows, `check` the values it takes) and
  /// selects the exercise; the command shows it with `value` ("zeros").
  /// Its help reads "exercise ID: `help`".
  template <class T>
  ExerciseDeclaration& option(
      const std::string& flag,
      T& variable,
      const std::string& value,
      const std::string& help,
      const CLI::Validator& check = CLI::Validator());

  /// Other flags of the command that shows it ("--lr 1"), declared
  /// elsewhere (App's training flags, the section's own).
  ExerciseDeclaration& with(const std::string& flags);

  /// The code that shows the exercise, run after the book's cells when the
  /// exercise is selected.
  ExerciseDeclaration& runs(std::function<void()> code);

 private:
  friend class App;
  ExerciseDeclaration(App& app, size_t index) : app_(&app), index_(index) {}
  std::string help_prefix() const;
  void selected_by(CLI::Option* option, const std::string& command);

  App* app_;
  size_t index_;
};

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
  /// thread count and runs `body`, then the code of the exercises the
  /// command line selects (see exercise), in the order declared. Returns the
  /// process exit code: 0 on success, 2 for a bad flag (one line on stderr,
  /// nothing written), 1 for a failed run (one line on stderr).
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

  /// Declares exercise `id` of this section ("3.2-4", "3.1-2(d)") and
  /// `what` it shows; chain the flag that selects it and the code that shows
  /// it (see ExerciseDeclaration). `--exercises` lists the exercises in the
  /// order declared, `--describe` names them, and `--help` points there.
  ExerciseDeclaration exercise(std::string id, std::string what);

  /// Whether `flag` (a flag this program declared, "--stable") is on the
  /// command line; valid once `run` has parsed it.
  bool given(const std::string& flag) const;

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
  friend class ExerciseDeclaration;
  // One declared exercise: its parts (id and what, `flags` = `command`), the
  // command that shows it, the options that select it, the code.
  struct DeclaredExercise {
    std::vector<Description::Exercise> parts;
    std::string command;
    std::vector<CLI::Option*> selectors;
    std::vector<std::string> with_flags;
    std::function<void()> code;
  };
  bool selected(const DeclaredExercise& e) const;
  void print_exercises() const;
  void print_description() const;
  std::string unknown_flag_message(int argc, char** argv) const;

  std::string title_;
  uint64_t seed_ = 0;
  std::string seed_text_ = "0";
  uint64_t python_seed_ = 0;
  std::vector<DeclaredExercise> exercises_;
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

template <class T>
ExerciseDeclaration& ExerciseDeclaration::option(
    const std::string& flag,
    T& variable,
    const std::string& value,
    const std::string& help,
    const CLI::Validator& check) {
  auto* option = app_->cli().add_option(flag, variable, help_prefix() + help);
  option->check(check)->capture_default_str();
  selected_by(option, flag + " " + value);
  return *this;
}

}  // namespace d2l
