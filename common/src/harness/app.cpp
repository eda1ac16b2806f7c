#include "d2l/harness/app.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include "d2l/error.h"
#include "d2l/harness/errors.h"
#include "d2l/harness/numeric_setup.h"
#include "d2l/harness/resource_limits.h"
#include "d2l/io.h"

namespace d2l {

namespace {

// A validator accepting finite numbers in [min, max] (max_open: [min, max)).
CLI::Validator number_in(
    double min, double max, bool max_open, const char* what) {
  return CLI::Validator(
      [=](std::string& input) -> std::string {
        double value = 0;
        try {
          std::size_t used = 0;
          value = std::stod(input, &used);
          if (used != input.size()) {
            return "must be a number, got '" + input + "'";
          }
        } catch (const std::exception&) {
          return "must be a number, got '" + input + "'";
        }
        if (!std::isfinite(value) || value < min || value > max ||
            (max_open && value == max)) {
          return fmt::format("must be {}, got {}", what, input);
        }
        return {};
      },
      "",
      what);
}

// A validator accepting base-10 integers in [min, max].
CLI::Validator integer_in(
    int64_t min, const char* what, int64_t max = INT64_MAX) {
  return CLI::Validator(
      [min, max, what](std::string& input) -> std::string {
        long long value = 0;
        std::size_t used = 0;
        try {
          value = std::stoll(input, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != input.size() || value < min || value > max) {
          return fmt::format("must be {}, got '{}'", what, input);
        }
        return {};
      },
      "",
      what);
}

// `--seed`: what torch.manual_seed accepts, [-2^63, 2^64 - 1]; sets the
// magnitude (Python's random.seed uses |seed|) and the sign.
bool parse_seed(const std::string& text, uint64_t& magnitude, bool& negative) {
  std::size_t i = 0;
  negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  if (i == text.size()) {
    return false;
  }
  magnitude = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9' ||
        __builtin_mul_overflow(magnitude, uint64_t{10}, &magnitude) ||
        __builtin_add_overflow(
            magnitude, static_cast<uint64_t>(text[i] - '0'), &magnitude)) {
      return false;
    }
  }
  return !negative || magnitude <= (uint64_t{1} << 63);
}

const CLI::Validator SeedValue(
    [](std::string& input) -> std::string {
      uint64_t magnitude = 0;
      bool negative = false;
      if (!parse_seed(input, magnitude, negative)) {
        return fmt::format(
            "must be an integer from -2^63 to 2^64 - 1 (what "
            "torch.manual_seed takes), got '{}'",
            input);
      }
      return {};
    },
    "",
    "SeedValue");

// Edit distance, for suggesting the flag a typo meant.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

const CLI::Validator PositiveFinite =
    number_in(std::nextafter(0.0, 1.0), HUGE_VAL, false, "a finite number > 0");
const CLI::Validator NonNegativeFinite =
    number_in(0, HUGE_VAL, false, "a finite number >= 0");
const CLI::Validator UnitFraction =
    number_in(0, 1, /*max_open=*/true, "a number in [0, 1)");
const CLI::Validator PositiveInt = integer_in(1, "an integer > 0");
const CLI::Validator NonNegativeInt = integer_in(0, "an integer >= 0");

namespace {
// More intra-op threads than this only slow LibTorch down, and a huge count
// would make OpenMP try to start that many.
constexpr int kMaxThreads = 1024;
const CLI::Validator ThreadCount =
    integer_in(0, "an integer from 0 to 1024", kMaxThreads);
}  // namespace

int64_t checked_product(
    std::initializer_list<int64_t> factors, const std::string& flags) {
  int64_t product = 1;
  for (const int64_t f : factors) {
    if (f < 0 || __builtin_mul_overflow(product, f, &product)) {
      throw UsageError(fmt::format(
          "{}: the sizes multiply to more than 2^63 elements; choose smaller "
          "values",
          flags));
    }
  }
  return product;
}

void check_memory(const std::string& flags, double bytes) {
  const double available = static_cast<double>(::sysconf(_SC_PHYS_PAGES)) *
                           static_cast<double>(::sysconf(_SC_PAGESIZE));
  if (available > 0 && bytes > available) {
    throw UsageError(fmt::format(
        "{}: the run would need about {:.3g} GB of memory and this machine "
        "has {:.3g} GB; choose smaller values",
        flags,
        bytes / 1e9,
        available / 1e9));
  }
}

App::App(std::string section, std::string title)
    : section_(std::move(section)),
      cli_(
          section_.empty() ? title
                           : fmt::format("Section {}: {}", section_, title)),
      title_(std::move(title)) {
  cli_.add_option(
          "--seed",
          seed_text_,
          "random seed: torch.manual_seed and random.seed (-2^63 to 2^64-1)")
      ->type_name("INT")
      ->check(SeedValue)
      ->capture_default_str();
  cli_.add_option(
          "--threads",
          threads_,
          "LibTorch intra-op threads (1: the book's; 0: LibTorch's own choice)")
      ->check(ThreadCount)
      ->capture_default_str();
  cli_.add_option("--out", out_dir_, "folder for figures")
      ->type_name("DIR")
      ->capture_default_str();
  cli_.add_flag("--no-figures", no_figures_, "draw no figures");
  cli_.add_option("--device", device_name_, "cpu or cuda")
      ->type_name("NAME")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
}

PyRandom App::python_random() const {
  PyRandom random;
  random.seed_magnitude(python_seed_);
  return random;
}

ExerciseDeclaration App::exercise(std::string id, std::string what) {
  DeclaredExercise e;
  e.parts.push_back({std::move(id), "", std::move(what)});
  exercises_.push_back(std::move(e));
  return ExerciseDeclaration(*this, exercises_.size() - 1);
}

bool App::given(const std::string& flag) const {
  return cli_.get_option(flag)->count() > 0;
}

bool App::selected(const DeclaredExercise& e) const {
  if (!e.selectors.empty()) {
    return std::any_of(e.selectors.begin(), e.selectors.end(), [](auto* o) {
      return o->count() > 0;
    });
  }
  return std::any_of(e.with_flags.begin(), e.with_flags.end(), [&](auto& f) {
    return given(f);
  });
}

ExerciseDeclaration& ExerciseDeclaration::part(
    std::string id, std::string what) {
  app_->exercises_[index_].parts.push_back(
      {std::move(id), "", std::move(what)});
  return *this;
}

std::string ExerciseDeclaration::help_prefix() const {
  // The exercises' numbers without their parts: "3.1-2(a)", "3.1-2(b)"
  // -> "3.1-2".
  std::vector<std::string> ids;
  for (const auto& part : app_->exercises_[index_].parts) {
    const auto id = part.id.substr(0, part.id.find('('));
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      ids.push_back(id);
    }
  }
  return fmt::format("exercise {}: ", fmt::join(ids, ", "));
}

void ExerciseDeclaration::selected_by(
    CLI::Option* option, const std::string& command) {
  auto& e = app_->exercises_[index_];
  e.selectors.push_back(option);
  e.command += (e.command.empty() ? "" : " ") + command;
}

ExerciseDeclaration& ExerciseDeclaration::flag(
    const std::string& flag, const std::string& help) {
  selected_by(
      app_->cli().add_flag(flag)->description(help_prefix() + help), flag);
  return *this;
}

ExerciseDeclaration& ExerciseDeclaration::with(const std::string& flags) {
  auto& e = app_->exercises_[index_];
  e.command += (e.command.empty() ? "" : " ") + flags;
  std::istringstream words(flags);
  std::string word;
  while (words >> word) {
    if (word.rfind("--", 0) == 0) {
      e.with_flags.push_back(word);
    }
  }
  return *this;
}

ExerciseDeclaration& ExerciseDeclaration::runs(std::function<void()> code) {
  app_->exercises_[index_].code = std::move(code);
  return *this;
}

void App::draws_no_figures() {
  draws_figures_ = false;
  cli_.get_option("--out")->group("");
  cli_.get_option("--no-figures")->group("");
}

void App::print_description() const {
  Description d;
  d.id = section_;
  d.title = title_;
  d.book_code = book_code_;
  d.figures = draws_figures_;
  d.metrics = takes_metrics_;
  d.book_blas = book_blas_;
  for (const auto& e : exercises_) {
    for (const auto& part : e.parts) {
      d.exercises.push_back({part.id, e.command, part.what});
    }
  }
  fmt::print("{}\n", describe_json(d));
}

void App::print_exercises() const {
  fmt::print(
      "Exercises of section {} ({}), each with the flags that explore it\n"
      "(scripts/run.sh {} FLAGS, or the executable with FLAGS):\n",
      section_,
      title_,
      section_);
  for (const auto& e : exercises_) {
    for (const auto& part : e.parts) {
      fmt::print(
          "  exercise {:<9} {}\n      {}\n",
          part.id,
          e.command.empty() ? "(the default run)" : e.command,
          part.what);
    }
  }
}

std::string App::unknown_flag_message(int argc, char** argv) const {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {
      break;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      continue;
    }
    const std::string name = arg.substr(0, arg.find('='));
    if (cli_.get_option_no_throw(name) != nullptr) {
      continue;
    }
    // The closest listed flag within 2 edits, or one the name starts or
    // is the start of ("--batch" for "--batch-size").
    std::string best;
    std::size_t best_score = SIZE_MAX;
    for (const auto* opt : cli_.get_options()) {
      if (opt->get_group().empty()) {
        continue;  // hidden
      }
      for (const auto& long_name : opt->get_lnames()) {
        const std::string candidate = "--" + long_name;
        const std::size_t d = edit_distance(name, candidate);
        const bool prefix =
            candidate.rfind(name, 0) == 0 || name.rfind(candidate, 0) == 0;
        if ((d <= 2 || prefix) && d < best_score) {
          best = candidate;
          best_score = d;
        }
      }
    }
    return best.empty()
               ? fmt::format("unknown flag {}", name)
               : fmt::format("unknown flag {}; did you mean {}?", name, best);
  }
  return {};
}

const std::string& App::add_data_dir_flag() {
  cli_.add_option(
          "--data-dir",
          data_dir_,
          "Fashion-MNIST folder (default: $D2L_DATA_DIR, "
          "../data/FashionMNIST/raw, "
          "data/FashionMNIST/raw, /usr/share/datasets/fashion-mnist)")
      ->type_name("DIR");
  return data_dir_;
}

void App::add_training_flags(
    double& lr, int64_t& num_epochs, int64_t& batch_size) {
  lr_ = &lr;
  default_lr_ = lr;
  cli_.add_option("--lr", lr, "learning rate")
      ->check(PositiveFinite)
      ->capture_default_str();
  cli_.add_option("--epochs", num_epochs, "number of epochs")
      ->check(PositiveInt)
      ->capture_default_str();
  cli_.add_option("--batch-size", batch_size, "minibatch size")
      ->check(PositiveInt)
      ->capture_default_str();
}

void App::add_num_examples_flag(int64_t& num_examples) {
  cli_.add_option("--num-examples", num_examples, "dataset size")
      ->check(PositiveInt)
      ->capture_default_str();
  add_check([&num_examples] {
    // Features, labels, their temporaries and the shuffled index lists:
    // under 64 bytes per example.
    check_memory(
        fmt::format("--num-examples {}", num_examples),
        64.0 * static_cast<double>(num_examples));
  });
}

DivergenceAdvice App::divergence_advice() const {
  DivergenceAdvice advice;
  if (lr_ != nullptr) {
    advice.lr = *lr_;
    advice.default_lr = default_lr_;
  }
  return advice;
}

TrainReport App::train_report(const std::string& figure) const {
  TrainReport report;
  report.figure = this->figure(figure);
  report.divergence = divergence_advice();
  if (!metrics_.empty()) {
    report.metrics_file = metrics_;
  }
  return report;
}

void App::add_metrics_flag() {
  takes_metrics_ = true;
  cli_.add_option(
          "--metrics",
          metrics_,
          "write each epoch's metrics to FILE (JSON lines; a symbolic link "
          "is followed)")
      ->type_name("FILE");
}

void App::check_metrics_file() const {
  const std::filesystem::path path = metrics_;
  std::string problem;
  if (!output_target(path, &problem)) {
    throw UsageError(fmt::format(
        "--metrics {}: {}; --metrics writes a regular file: give a file name",
        metrics_.empty() ? "''" : printable(metrics_),
        problem));
  }
  // A file in the --out folder that this run creates: that folder's check
  // covers it; and there, .png/.svg/.gp names are the figures'.
  const auto dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  const bool in_out = draws_figures_ && !no_figures_ &&
                      std::filesystem::weakly_canonical(dir, ec) ==
                          std::filesystem::weakly_canonical(out_dir_, ec) &&
                      !ec;
  if (in_out) {
    const auto ext = path.extension().string();
    if (ext == ".png" || ext == ".svg" || ext == ".gp") {
      throw UsageError(fmt::format(
          "--metrics {}: the figures of this run are the {} files of --out "
          "{}; give the metrics another name (e.g. metrics.jsonl)",
          printable(metrics_),
          ext,
          printable(out_dir_.string())));
    }
    return;
  }
  check_writable_file("--metrics", path);
}

void check_writable_file(
    const std::string& flag, const std::filesystem::path& path) {
  const auto dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::string problem;
  if (!output_target(path, &problem)) {
    throw UsageError(fmt::format(
        "{} {}: {}; give a file name",
        flag,
        printable(path.string()),
        problem));
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec) ||
      ::access(dir.c_str(), W_OK) != 0) {
    throw UsageError(fmt::format(
        "{} {}: cannot create a file in {} (missing or not writable); choose "
        "a writable folder",
        flag,
        printable(path.string()),
        printable(dir.string())));
  }
}

FigureTarget App::figure(const std::string& name) const {
  return FigureTarget{out_dir_, name, !no_figures_};
}

void App::validate_and_prepare() {
  if (device_name_ == "cuda") {
    if (!torch::cuda::is_available()) {
      throw UsageError(
          "--device cuda: this LibTorch has no usable CUDA device; use "
          "--device cpu or build against a CUDA LibTorch "
          "(-DCMAKE_PREFIX_PATH=/path/to/libtorch)");
    }
    device_ = torch::Device(torch::kCUDA);
  }
  uint64_t magnitude = 0;
  bool negative = false;
  parse_seed(seed_text_, magnitude, negative);  // validated by SeedValue
  seed_ = negative ? 0 - magnitude : magnitude;
  python_seed_ = magnitude;
  for (const auto& check : checks_) {
    check();
  }
  if (cli_.get_option_no_throw("--metrics") != nullptr &&
      cli_.count("--metrics") > 0) {
    check_metrics_file();
  }
  if (!draws_figures_ && cli_.count("--out") > 0) {
    std::cerr << fmt::format(
        "note: section {} draws no figures; --out is not used\n", section_);
  }
  if (draws_figures_ && !no_figures_) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir_, ec);
    if (ec || !std::filesystem::is_directory(out_dir_) ||
        ::access(out_dir_.c_str(), W_OK) != 0) {
      throw UsageError(fmt::format(
          "--out {}: cannot write figures there ({}); choose a writable "
          "folder or pass --no-figures",
          printable(out_dir_.string()),
          ec ? ec.message() : "not a writable folder"));
    }
  }
  if (threads_ > 0) {
    torch::set_num_threads(threads_);
  }
  torch::manual_seed(seed_);
  check_blas();
}

namespace {

// The one line a signal that ends the run gets, by signal.
const char* signal_message(int sig) {
  switch (sig) {
    case SIGINT:
      return "error: interrupted (SIGINT); stopped, leaving no partial file "
             "(figures and metrics written so far are whole)\n";
    case SIGTERM:
      return "error: terminated (SIGTERM); stopped, leaving no partial file "
             "(figures and metrics written so far are whole)\n";
    case SIGHUP:
      return "error: the terminal went away (SIGHUP); stopped, leaving no "
             "partial file\n";
    default:
      return "error: the program reading the output stopped (SIGPIPE: a "
             "closed pipe); stopped, leaving no partial file\n";
  }
}

constexpr int kCleanUpSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

// Removes the temporaries (and gnuplot), says why in one line, then ends
// the process by the same signal, so that its status is the conventional
// 128 + signal. Only async-signal-safe calls.
extern "C" void end_on_signal(int sig) {
  remove_temporaries_now();
  const char* message = signal_message(sig);
  [[maybe_unused]] const ssize_t n = ::write(2, message, std::strlen(message));
  // SA_RESETHAND restored the default action, SA_NODEFER lets it act now.
  ::raise(sig);
}

// Installs end_on_signal for the signals that end a run, except those the
// caller chose to ignore (nohup's SIGHUP, a background job's SIGINT).
void clean_up_on_signals() {
  for (const int sig : kCleanUpSignals) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) {
      continue;
    }
    struct sigaction action {};
    action.sa_handler = end_on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    ::sigaction(sig, &action, nullptr);
  }
}

// Puts /dev/null on whichever of descriptors 0, 1, 2 are closed, so that no
// file this process opens becomes its stdout by accident; true when stdout
// was closed.
bool stdout_was_closed() {
  bool closed_stdout = false;
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      // open() takes the lowest free descriptor: this one.
      ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
      closed_stdout = closed_stdout || fd == 1;
    }
  }
  return closed_stdout;
}

// Flushes stdout; false when some write to it failed (a full disk, a
// closed file), so that the output is incomplete.
bool stdout_complete() {
  std::cout.flush();
  const bool flushed = std::fflush(stdout) == 0;
  return flushed && !std::ferror(stdout) && std::cout.good();
}

constexpr const char* kLostOutput =
    "error: writing to stdout failed (a full disk, or a file or device that "
    "takes no more): the output is incomplete; write it somewhere with room\n";

}  // namespace

namespace {

// Whether the user asked for LibTorch's C++ frames (D2L_BACKTRACE=1).
bool backtrace_requested() {
  const char* value = std::getenv("D2L_BACKTRACE");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace

std::string torch_error_message(const c10::Error& e) {
  if (backtrace_requested()) {
    return e.what();  // LibTorch's message with the C++ frames, as it is
  }
  return printable(e.what_without_backtrace()) +
         " (D2L_BACKTRACE=1 shows where it was raised)";
}

int App::run(int argc, char** argv, const std::function<void()>& body) {
  if (backtrace_requested()) {
    // LibTorch 2.x records an error's frames only when asked to.
    ::setenv("TORCH_SHOW_CPP_STACKTRACES", "1", /*overwrite=*/0);
  }
  if (stdout_was_closed()) {
    std::cerr << "error: stdout is closed (>&-), so the output would be lost; "
                 "run with stdout open (>/dev/null discards it)\n";
    return 1;
  }
  // Whole lines reach stdout as they are printed, so a signal loses none.
  std::setvbuf(stdout, nullptr, _IOLBF, BUFSIZ);
  clean_up_on_signals();
  if (!exercises_.empty()) {
    cli_.add_flag(
        "--exercises",
        list_exercises_,
        "list this section's exercises, each with the flags that explore it");
    cli_.footer(fmt::format(
        "The book's exercises of section {}: --exercises lists them, each "
        "with its command.\n",
        section_));
  }
  cli_.add_flag(
      "--describe",
      describe_,
      "print what this program is (section, figures, metrics, BLAS, "
      "exercises) as one line of JSON, for scripts");
  // What a run that printed its output ends with: `code`, or 1 with one
  // line when the output did not all reach stdout.
  const auto finish = [](int code) {
    if (!stdout_complete()) {
      std::cerr << kLostOutput;
      return 1;
    }
    return code;
  };
  try {
    cli_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return finish(cli_.exit(e));
  } catch (const CLI::CallForAllHelp& e) {
    return finish(cli_.exit(e));
  } catch (const CLI::ParseError& e) {
    // An unknown flag is named with the close one; CLI11's text otherwise.
    std::string what = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr
                           ? unknown_flag_message(argc, argv)
                           : "";
    if (what.empty()) {
      what = e.what();
    }
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::cerr << "error: " << printable(what) << " (see --help)\n";
    return 2;
  }
  if (list_exercises_) {
    print_exercises();
    return finish(0);
  }
  if (describe_) {
    print_description();
    return finish(0);
  }
  try {
    reserve_start_memory();
    validate_and_prepare();
    // After validation, so that a bad value still gets exactly one line; not
    // on the reference BLAS, whose warning (check_blas) says enough.
    if (book_blas_ && check_blas()) {
      const auto note = numeric_setup_note(numeric_setup());
      if (!note.empty()) {
        std::cerr << note << "\n";
      }
    }
    body();
    // The selected exercises, in the order declared, after the cells.
    for (const auto& e : exercises_) {
      if (e.code && selected(e)) {
        e.code();
      }
    }
    return finish(0);
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << "error: " << printable(error_message(e)) << "\n";
    return exit_code(e);
  } catch (const c10::Error& e) {
    std::cout.flush();
    // DefaultCPUAllocator's "can't allocate memory: you tried to allocate N
    // bytes. Error code 12 (Cannot allocate memory)": say which limit.
    const bool memory =
        std::string(e.what_without_backtrace()).find("can't allocate memory") !=
        std::string::npos;
    std::cerr << "error: " << torch_error_message(e)
              << (memory ? memory_limit_hint() : "") << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cout.flush();
    std::cerr << "error: out of memory" << memory_limit_hint() << "\n";
    return 1;
  } catch (const std::exception& e) {
    // fmt::print throws when stdout takes no more: say that.
    std::cerr
        << (stdout_complete() ? "error: " + printable(e.what()) + "\n"
                              : std::string(kLostOutput));
    return 1;
  }
}

namespace {

// `s` as a JSON string: quotes, backslashes and control characters escaped.
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string describe_json(const Description& d) {
  std::string exercises;
  for (const auto& e : d.exercises) {
    exercises += fmt::format(
        "{}{{\"id\": {}, \"flags\": {}, \"what\": {}}}",
        exercises.empty() ? "" : ", ",
        json_string(e.id),
        json_string(e.flags),
        json_string(e.what));
  }
  const auto flag = [](bool b) { return b ? "true" : "false"; };
  return fmt::format(
      "{{\"id\": {}, \"title\": {}, \"book_code\": {}, \"figures\": {}, "
      "\"metrics\": {}, \"book_blas\": {}, \"exercises\": [{}]}}",
      json_string(d.id),
      json_string(d.title),
      flag(d.book_code),
      flag(d.figures),
      flag(d.metrics),
      flag(d.book_blas),
      exercises);
}

bool check_blas() {
  static const bool optimized = [] {
    // libtorch calls sgemm_ through libblas.so.3, which Debian's alternatives
    // point at the reference BLAS or an optimized one.
    const auto path = blas_library();
    if (path.empty()) {
      return true;  // no BLAS symbol: nothing to say
    }
    const bool reference = path.find("/blas/libblas.so") != std::string::npos;
    if (reference) {
      std::cerr << "warning: LibTorch is using the reference BLAS (" << path
                << ", 4-13x slower, and the last printed digits may differ "
                   "from the book's); install libopenblas0-pthread "
                   "(scripts/setup.sh does)\n";
    }
    return !reference;
  }();
  return optimized;
}

}  // namespace d2l
