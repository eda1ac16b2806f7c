// Section 3.5 The image classification dataset: the exercises (d2l-zh
// 2nd ed., 3.5 exercises 1-3), each declared once in add_exercises: its
// flag, what it shows (`--exercises` lists them) and its demo, which
// App::run prints after the book's cells. Which of 3.5-2's readers was
// faster is computed from the printed times (stderr).
#include "exercises.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace image_classification_dataset {
namespace {

// Exercise 3.5-1: the batch size compared with a given --batch-size of the
// book's size
constexpr int64_t kSmallBatchSize = 1;

// Python's str(bool), for the checks' True/False.
std::string py_bool(bool value) {
  return value ? "True" : "False";
}

// A time as the demos print it ("{:.3f} sec"), read back: the verdicts are
// computed from the numbers the reader sees.
double as_printed(double seconds) {
  return std::stod(fmt::format("{:.3f}", seconds));
}

// How `a` compared with `b` in time, from their printed times: "a was 4.0x
// slower than b here" (the ratio of the longer time to the shorter), "... as
// long as ..." when that ratio rounds to 1.0. On stderr: the goldens compare
// stdout, where the times are masked, and this verdict varies from run to
// run.
std::string speed_verdict(
    const std::string& a,
    double a_seconds,
    const std::string& b,
    double b_seconds) {
  const double ta = as_printed(a_seconds);
  const double tb = as_printed(b_seconds);
  if (ta <= 0 || tb <= 0) {
    return fmt::format(
        "{} ({:.3f} sec) and {} ({:.3f} sec) were too quick to compare",
        a,
        ta,
        b,
        tb);
  }
  const auto ratio = fmt::format("{:.1f}", ta < tb ? tb / ta : ta / tb);
  if (ratio == "1.0") {
    return fmt::format("{} took as long as {} here (ratio 1.0)", a, b);
  }
  return fmt::format(
      "{} was {}x {} than {} here", a, ratio, ta < tb ? "faster" : "slower", b);
}

// Exercise 3.5-1: the cell-9 pass at the given batch size against one at the
// book's (or, when the book's was given, at batch size 1).
void batch_size_demo(
    const d2l::FashionMnist& mnist_train,
    int64_t batch_size,
    int64_t book_batch_size,
    double seconds) {
  const int64_t other =
      batch_size == book_batch_size ? kSmallBatchSize : book_batch_size;
  fmt::print(
      "\n# exercise 3.5-1: does a smaller batch_size slow reading down?\n");
  const auto line = [](int64_t size, int64_t batches, double sec) {
    fmt::print(
        "batch_size {}: {} minibatches read in {:.3f} sec\n",
        size,
        batches,
        sec);
  };
  const auto num_batches = [&](int64_t size) {
    return (mnist_train.size() + size - 1) / size;  // the last one short
  };
  line(batch_size, num_batches(batch_size), seconds);  // cell 9's pass
  const auto loader =
      d2l::fashion_mnist_loader(mnist_train, other, /*shuffle=*/true);
  d2l::Timer timer;
  for (const auto& batch : loader) {
    (void)batch;
  }
  const double other_seconds = timer.stop();
  line(other, num_batches(other), other_seconds);
  fmt::print(
      "every minibatch costs a fixed overhead (gather, convert, hand over) "
      "on top of its images: minibatches of {} pay it {} times, minibatches "
      "of {} {} times (which read faster here: stderr, from these times)\n",
      batch_size,
      num_batches(batch_size),
      other,
      num_batches(other));
  std::cerr << "3.5-1: "
            << speed_verdict(
                   fmt::format("reading in minibatches of {}", batch_size),
                   seconds,
                   fmt::format("in minibatches of {}", other),
                   other_seconds)
            << "\n";
}

// An order-sensitive checksum of minibatches: sum over k of (k + 1) times the
// sum of minibatch k's values, accumulated in double.
double batches_checksum(const std::vector<torch::Tensor>& batches) {
  double sum = 0;
  for (size_t k = 0; k < batches.size(); ++k) {
    sum += static_cast<double>(k + 1) *
           batches[k].sum(torch::kFloat64).item<double>();
  }
  return sum;
}

// Exercise 3.5-2: the reader against faster ways of doing its two jobs,
// converting the pixels and gathering shuffled minibatches.
void reader_speed_demo(
    const d2l::FashionMnist& mnist_train,
    int64_t batch_size,
    double loader_seconds) {
  const auto& raw = mnist_train.raw_images;
  const int64_t n = raw.size(0);
  fmt::print(
      "\n# exercise 3.5-2: is the reader fast enough? ({} training images)\n",
      n);
  fmt::print(
      "the data loader (cell 9, batch_size {}): {:.2f} sec\n",
      batch_size,
      loader_seconds);

  // Converting uint8 pixels to float32 in [0, 1]: image by image, as
  // ToTensor does inside a Dataset, or the whole set in one call.
  d2l::Timer timer;
  std::vector<torch::Tensor> images;
  images.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    images.push_back(raw[i].unsqueeze(0).to(torch::kFloat32).div(255));
  }
  const auto per_image = torch::stack(images);
  const double per_image_seconds = timer.stop();
  images.clear();
  timer.start();
  const auto X = raw.unsqueeze(1).to(torch::kFloat32).div(255);
  const double whole_seconds = timer.stop();
  fmt::print(
      "convert per image (uint8 -> float / 255, then stack), like "
      "ToTensor: {:.3f} sec\n",
      per_image_seconds);
  fmt::print("convert the whole set in one call: {:.3f} sec\n", whole_seconds);
  fmt::print(
      "same tensor: {}, checksums {:.6f} and {:.6f}\n",
      py_bool(torch::equal(per_image, X)),
      per_image.sum(torch::kFloat64).item<double>(),
      X.sum(torch::kFloat64).item<double>());
  std::cerr << "3.5-2: "
            << speed_verdict(
                   "converting the whole set in one call",
                   whole_seconds,
                   "converting per image",
                   per_image_seconds)
            << "\n";

  // One shuffled pass in minibatches: gather each minibatch's rows with
  // index_select (the loader's way), or shuffle a copy once and slice it.
  const auto perm = torch::randperm(n, torch::kInt64);
  const auto& y = mnist_train.labels;
  std::vector<torch::Tensor> gathered;
  timer.start();
  for (int64_t i = 0; i < n; i += batch_size) {
    const auto idx = perm.slice(0, i, std::min(i + batch_size, n));
    gathered.push_back(X.index_select(0, idx));
    (void)y.index_select(0, idx);
  }
  const double gather_seconds = timer.stop();
  std::vector<torch::Tensor> sliced;
  timer.start();
  const auto X_shuffled = X.index_select(0, perm);
  const auto y_shuffled = y.index_select(0, perm);
  for (int64_t i = 0; i < n; i += batch_size) {
    const int64_t stop = std::min(i + batch_size, n);
    sliced.push_back(X_shuffled.slice(0, i, stop));
    (void)y_shuffled.slice(0, i, stop);
  }
  const double slice_seconds = timer.stop();
  fmt::print(
      "minibatches of {} by index_select of shuffled indices: {:.3f} sec\n",
      batch_size,
      gather_seconds);
  fmt::print(
      "minibatches of {} as slices of a copy shuffled once: {:.3f} sec\n",
      batch_size,
      slice_seconds);
  bool same = gathered.size() == sliced.size();
  for (size_t k = 0; same && k < gathered.size(); ++k) {
    same = torch::equal(gathered[k], sliced[k]);
  }
  fmt::print(
      "same minibatches: {}, checksums {:.6f} and {:.6f}\n",
      py_bool(same),
      batches_checksum(gathered),
      batches_checksum(sliced));
  std::cerr << "3.5-2: "
            << speed_verdict(
                   "slicing a copy shuffled once",
                   slice_seconds,
                   "index_select of shuffled indices",
                   gather_seconds)
            << "\n";
  fmt::print(
      "converting once up front keeps the whole set as float32: {:.1f} MB, "
      "against {:.1f} MB of uint8 pixels (which way was faster here: stderr, "
      "from these times)\n",
      static_cast<double>(X.numel() * 4) / 1e6,
      static_cast<double>(raw.numel()) / 1e6);
}

// The IDX file names torch::data::datasets::MNIST reads (uncompressed).
constexpr std::array<const char*, 4> kIdxFiles = {
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"};

// A temporary folder, removed with its files when it goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "d2l-mnist-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw d2l::Error("cannot create a temporary folder " + pattern);
    }
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const {
    return path_;
  }

 private:
  std::filesystem::path path_;
};

// Writes `data` (uint8, 1 or 3 dimensions) as an uncompressed IDX file: the
// magic 0x0000080D (D = dimensions), each size as a big-endian uint32, then
// the bytes. For a file read with d2l::read_idx_*, the same bytes as the
// decompressed original.
void write_idx(const std::filesystem::path& path, const torch::Tensor& data) {
  const auto bytes = data.to(torch::kUInt8).contiguous();
  std::string header;
  const auto put32 = [&header](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      header.push_back(static_cast<char>((v >> shift) & 0xFF));
    }
  };
  put32(0x00000800u | static_cast<uint32_t>(bytes.dim()));
  for (const int64_t size : bytes.sizes()) {
    put32(static_cast<uint32_t>(size));
  }
  std::ofstream out(path, std::ios::binary);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(
      reinterpret_cast<const char*>(bytes.data_ptr<uint8_t>()),
      static_cast<std::streamsize>(bytes.numel()));
  if (!out) {
    throw d2l::Error("cannot write " + path.string());
  }
}

// Exercise 3.5-3: LibTorch's C++ frontend ships one dataset, MNIST, which
// reads the IDX format: load Fashion-MNIST through it and compare.
void framework_datasets_demo(
    const d2l::FashionMnist& mnist_train, const d2l::FashionMnist& mnist_test) {
  fmt::print(
      "\n# exercise 3.5-3: which datasets does the framework provide?\n");
  // MNIST reads the four files uncompressed; Debian's are gzip'ed: write
  // them out, decompressed, into a temporary folder (removed afterwards).
  const auto folder = mnist_train.folder;
  bool raw_present = true;
  for (const char* name : kIdxFiles) {
    raw_present =
        raw_present && std::filesystem::is_regular_file(folder / name);
  }
  std::optional<TempDir> tmp;
  std::filesystem::path root = folder;
  if (!raw_present) {
    tmp.emplace();
    root = tmp->path();
    write_idx(root / kIdxFiles[0], mnist_train.raw_images);
    write_idx(root / kIdxFiles[1], mnist_train.labels);
    write_idx(root / kIdxFiles[2], mnist_test.raw_images);
    write_idx(root / kIdxFiles[3], mnist_test.labels);
    std::cerr << "3.5-3: decompressed the IDX files into " << root.string()
              << " (removed at the end)\n";
  }
  using torch::data::datasets::MNIST;
  for (const auto& [mode, ours] :
       {std::pair{MNIST::Mode::kTrain, &mnist_train},
        std::pair{MNIST::Mode::kTest, &mnist_test}}) {
    const MNIST mnist(root.string(), mode);
    const auto& images = mnist.images();
    const auto& targets = mnist.targets();
    fmt::print(
        "torch::data::datasets::MNIST({}): images {} {}, targets {} {}\n",
        mode == MNIST::Mode::kTrain ? "kTrain" : "kTest",
        d2l::repr_size(images.sizes()),
        d2l::repr_dtype(images.scalar_type()),
        d2l::repr_size(targets.sizes()),
        d2l::repr_dtype(targets.scalar_type()));
    fmt::print(
        "  same as d2l's reader: images {}, labels {}; checksums {:.6f} and "
        "{}\n",
        py_bool(torch::equal(images, ours->images())),
        py_bool(torch::equal(targets, ours->labels)),
        images.sum(torch::kFloat64).item<double>(),
        targets.sum().item<int64_t>());
  }
  fmt::print(
      "LibTorch's C++ frontend ships one dataset: torch::data::datasets::MNIST "
      "(IDX files, uncompressed), which reads Fashion-MNIST as well\n");
  fmt::print(
      "plus building blocks: TensorDataset, MapDataset, ChunkDataset, "
      "StatefulDataset; transforms Normalize, Stack, Lambda\n");
  fmt::print(
      "torchvision.datasets (FashionMNIST, CIFAR10, ImageNet, COCO, ...) and "
      "the datasets of torchtext and torchaudio are Python-only\n");
}

}  // namespace

void add_exercises(d2l::App& app, ExerciseOptions& options, Cells& cells) {
  app.exercise(
         "3.5-1", "the timed read with minibatches of 1 against the book's 256")
      .option(
          "--batch-size",
          options.batch_size,
          "1",
          "minibatch size of the timed read (cell 9), timed again at the "
          "book's size to compare",
          d2l::PositiveInt)
      .runs([&options, &cells] {
        batch_size_demo(
            cells.mnist_train,
            options.batch_size,
            options.book_batch_size,
            cells.read_seconds);
      });
  app.exercise(
         "3.5-2",
         "per-image vs whole-set conversion, index_select vs slicing a "
         "shuffled copy: times and checksums")
      .flag(
          "--reader-speed",
          "the reader against converting the whole set at once and slicing a "
          "shuffled copy, with checksums and which was faster")
      .runs([&options, &cells] {
        reader_speed_demo(
            cells.mnist_train, options.batch_size, cells.read_seconds);
      });
  app.exercise(
         "3.5-3",
         "LibTorch's MNIST reader on Fashion-MNIST (same values as d2l's); "
         "what else LibTorch ships")
      .flag(
          "--framework-datasets",
          "Fashion-MNIST through LibTorch's torch::data::datasets::MNIST, "
          "checked against d2l's reader")
      .runs([&cells] {
        framework_datasets_demo(cells.mnist_train, cells.mnist_test);
      });
}

}  // namespace image_classification_dataset
