#include "d2l/app.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <system_error>

#include "d2l/error.h"
#include "d2l/numeric_setup.h"

namespace d2l {

const CLI::Validator PositiveFinite(
    [](std::string& input) -> std::string {
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
      if (!std::isfinite(value) || value <= 0) {
        return "must be a finite number > 0, got " + input;
      }
      return {};
    },
    "POSITIVE",
    "PositiveFinite");

namespace {

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
      "INT",
      what);
}

}  // namespace

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
      cli_(fmt::format("Section {}: {}", section_, title)) {
  cli_.add_option("--seed", seed_, "random seed (torch and Python random)")
      ->capture_default_str();
  cli_.add_option(
          "--threads",
          threads_,
          "LibTorch intra-op threads (1: the book's; 0: LibTorch's own choice)")
      ->check(ThreadCount)
      ->capture_default_str();
  cli_.add_option("--out", out_dir_, "folder for figures")
      ->capture_default_str();
  cli_.add_flag("--no-figures", no_figures_, "draw no figures");
  cli_.add_option("--device", device_name_, "cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
}

const std::string& App::add_data_dir_flag() {
  cli_.add_option(
      "--data-dir",
      data_dir_,
      "Fashion-MNIST folder (default: $D2L_DATA_DIR, ../data/FashionMNIST/raw, "
      "data/FashionMNIST/raw, /usr/share/datasets/fashion-mnist)");
  return data_dir_;
}

void App::add_training_flags(
    double& lr, int64_t& num_epochs, int64_t& batch_size) {
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

TrainReport App::train_report(const std::string& figure, double lr) const {
  TrainReport report;
  report.figure = this->figure(figure);
  report.lr = lr;
  if (!metrics_.empty()) {
    report.metrics_file = metrics_;
  }
  return report;
}

void App::add_metrics_flag() {
  cli_.add_option(
      "--metrics", metrics_, "write each epoch's metrics to FILE (JSON lines)");
  add_check([this] {
    if (!metrics_.empty()) {
      check_writable_file("--metrics", metrics_);
    }
  });
}

void check_writable_file(
    const std::string& flag, const std::filesystem::path& path) {
  const auto dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw UsageError(fmt::format(
        "{} {}: is a folder; give a file name", flag, path.string()));
  }
  if (!std::filesystem::is_directory(dir, ec) ||
      ::access(dir.c_str(), W_OK) != 0) {
    throw UsageError(fmt::format(
        "{} {}: cannot create a file in {} (missing or not writable); choose "
        "a writable folder",
        flag,
        path.string(),
        dir.string()));
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
  for (const auto& check : checks_) {
    check();
  }
  if (!no_figures_) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir_, ec);
    if (ec || !std::filesystem::is_directory(out_dir_) ||
        ::access(out_dir_.c_str(), W_OK) != 0) {
      throw UsageError(fmt::format(
          "--out {}: cannot write figures there ({}); choose a writable "
          "folder or pass --no-figures",
          out_dir_.string(),
          ec ? ec.message() : "not a writable folder"));
    }
  }
  if (threads_ > 0) {
    torch::set_num_threads(threads_);
  }
  torch::manual_seed(seed_);
  check_blas();
}

int App::run(int argc, char** argv, const std::function<void()>& body) {
  try {
    cli_.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli_.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli_.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    std::cerr << "error: " << what << " (see --help)\n";
    return 2;
  }
  try {
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
    std::cout.flush();
    return 0;
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << "error: " << e.what() << "\n";
    return e.exit_code();
  } catch (const c10::Error& e) {
    std::cout.flush();
    std::cerr << "error: " << e.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

void check_finite_loss(double loss, int64_t epoch, double lr) {
  if (!std::isfinite(loss)) {
    throw DivergenceError(fmt::format(
        "training diverged: loss is {} at epoch {} with lr {}; try a smaller "
        "learning rate (e.g. --lr {})",
        std::isnan(loss) ? "nan" : "inf",
        epoch,
        lr,
        lr / 10));
  }
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
