#include "d2l/app.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <system_error>

#include "d2l/error.h"

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

// A validator accepting base-10 integers >= `min`.
CLI::Validator integer_at_least(int64_t min, const char* what) {
  return CLI::Validator(
      [min, what](std::string& input) -> std::string {
        long long value = 0;
        std::size_t used = 0;
        try {
          value = std::stoll(input, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == 0 || used != input.size() || value < min) {
          return fmt::format("must be {}, got '{}'", what, input);
        }
        return {};
      },
      "INT",
      what);
}

}  // namespace

const CLI::Validator PositiveInt = integer_at_least(1, "an integer > 0");
const CLI::Validator NonNegativeInt = integer_at_least(0, "an integer >= 0");

App::App(std::string section, std::string title)
    : section_(std::move(section)),
      cli_(fmt::format("Section {}: {}", section_, title)) {
  cli_.add_option("--seed", seed_, "random seed (torch and Python random)")
      ->capture_default_str();
  cli_.add_option("--threads", threads_, "intra-op threads (0: torch default)")
      ->check(NonNegativeInt)
      ->capture_default_str();
  cli_.add_option("--out", out_dir_, "folder for figures")
      ->capture_default_str();
  cli_.add_flag("--no-figures", no_figures_, "draw no figures");
  cli_.add_option("--device", device_name_, "cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
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
    // libtorch calls sgemm_ through libblas.so.3; Debian's alternatives decide
    // which implementation that is. Optimized ones export their own API.
    for (const char* symbol :
         {"openblas_get_config", "mkl_get_version", "bli_info_get_version_str"}) {
      if (::dlsym(RTLD_DEFAULT, symbol) != nullptr) {
        return true;
      }
    }
    std::cerr << "warning: LibTorch is using the reference BLAS (slow); "
                 "install libopenblas0-pthread (scripts/setup.sh does)\n";
    return false;
  }();
  return optimized;
}

}  // namespace d2l
