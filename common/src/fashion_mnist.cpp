#include "d2l/fashion_mnist.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "d2l/error.h"
#include "file_entry.h"

namespace d2l {
namespace {

namespace fs = std::filesystem;

// The four files, each raw or `.gz`.
const std::array<const char*, 4> kFileNames = {
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte"};

struct DataFile {
  fs::path path;
  Inspection inspection;
};

// `dir/name` raw if it is a file, else `dir/name.gz` if it is one; neither
// being a file, the one that is there as something else (raw first), so
// that it is named as what it is, else `dir/name.gz` (absent).
DataFile data_file(const fs::path& dir, const std::string& name) {
  const fs::path raw = dir / name;
  const fs::path gz = dir / (name + ".gz");
  const Inspection raw_is = inspect(raw);
  if (raw_is.entry == Entry::kFile) {
    return {raw, raw_is};
  }
  const Inspection gz_is = inspect(gz);
  if (gz_is.entry != Entry::kFile && raw_is.entry == Entry::kOther) {
    return {raw, raw_is};
  }
  return {gz, gz_is};
}

// What `dir` holds of the four files.
struct FolderScan {
  // Names with nothing there ("train-images-idx3-ubyte[.gz]").
  std::vector<std::string> missing;
  // One line for each name with something there that is not a readable
  // file, or for the folder itself.
  std::vector<std::string> problems;
  // The fix for the first problem.
  DataError::Remedy remedy = DataError::Remedy::kNone;

  void add_problem(const std::string& problem, DataError::Remedy fix) {
    if (problems.empty()) {
      remedy = fix;
    }
    problems.push_back(problem);
  }

  bool complete() const {
    return missing.empty() && problems.empty();
  }
};

FolderScan scan_folder(const fs::path& dir) {
  FolderScan scan;
  // A folder that cannot be searched, or no folder: one line, not one per
  // file.
  struct stat st {};
  const bool exists = ::stat(dir.c_str(), &st) == 0;
  const bool denied =
      exists ? S_ISDIR(st.st_mode) &&
                   faccessat(AT_FDCWD, dir.c_str(), X_OK, AT_EACCESS) != 0 &&
                   errno == EACCES
             : errno == EACCES || errno == EPERM;
  if (denied) {
    scan.add_problem(permission_denied(dir), DataError::Remedy::kNone);
    return scan;
  }
  if (exists && !S_ISDIR(st.st_mode)) {
    scan.add_problem(
        dir.string() + " is not a folder (name the folder that holds the " +
            "four files)",
        DataError::Remedy::kNone);
    return scan;
  }
  for (const char* name : kFileNames) {
    const DataFile file = data_file(dir, name);
    if (file.inspection.entry == Entry::kAbsent) {
      scan.missing.push_back(std::string(name) + "[.gz]");
    } else if (file.inspection.entry == Entry::kOther) {
      scan.add_problem(file.inspection.problem, file.inspection.remedy);
    }
  }
  return scan;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    out += (i == 0 ? "" : sep) + parts[i];
  }
  return out;
}

// Raw images and labels of one split, checked to be Fashion-MNIST.
std::pair<torch::Tensor, torch::Tensor> read_split(
    const fs::path& folder, bool train) {
  const std::string prefix = train ? "train" : "t10k";
  const fs::path images_path =
      data_file(folder, prefix + "-images-idx3-ubyte").path;
  const fs::path labels_path =
      data_file(folder, prefix + "-labels-idx1-ubyte").path;
  // What is read but is not Fashion-MNIST: a damaged download.
  const auto fail = [](const fs::path& path, const std::string& what) {
    throw DataError(path.string() + ": " + what, DataError::Remedy::kReinstall);
  };
  torch::Tensor raw;
  torch::Tensor labels;
  try {
    raw = read_idx_images(images_path);
    labels = read_idx_labels(labels_path);
  } catch (const DataError& e) {
    if (e.remedy() != DataError::Remedy::kDamaged) {
      throw;  // the path, not the download, is at fault: the message says why
    }
    throw DataError(e.what(), DataError::Remedy::kReinstall);
  }
  if (raw.size(1) != 28 || raw.size(2) != 28) {
    fail(
        images_path,
        "images are " + std::to_string(raw.size(1)) + " x " +
            std::to_string(raw.size(2)) + ", not Fashion-MNIST's 28 x 28");
  }
  if (raw.size(0) != labels.size(0)) {
    fail(
        images_path,
        std::to_string(raw.size(0)) + " images but " + labels_path.string() +
            " has " + std::to_string(labels.size(0)) + " labels");
  }
  if (raw.size(0) == 0) {
    fail(images_path, "holds no images");
  }
  const auto bad = (labels > 9).nonzero();
  if (bad.size(0) > 0) {
    const int64_t i = bad[0][0].item<int64_t>();
    fail(
        labels_path,
        "label " + std::to_string(labels[i].item<int64_t>()) + " of example " +
            std::to_string(i) + " is outside 0..9");
  }
  return {raw, labels};
}

}  // namespace

torch::Tensor to_tensor(const torch::Tensor& images) {
  TORCH_CHECK(
      images.dim() == 3 && images.scalar_type() == torch::kUInt8,
      "to_tensor: expects uint8 N x H x W images, got ",
      images.scalar_type(),
      " ",
      images.sizes());
  // In place: the same kernel and values as `.div(255)`, one buffer less.
  return images.unsqueeze(1).to(torch::kFloat32).div_(255);
}

torch::Tensor resize_images(const torch::Tensor& images, int64_t size) {
  TORCH_CHECK(
      images.dim() == 4 && images.size(1) == 1 &&
          images.scalar_type() == torch::kFloat32,
      "resize_images: expects float32 N x 1 x H x W images, got ",
      images.scalar_type(),
      " ",
      images.sizes());
  TORCH_CHECK(size > 0, "resize_images: size must be positive, got ", size);
  namespace F = torch::nn::functional;
  const auto options = F::InterpolateFuncOptions()
                           .size(std::vector<int64_t>{size, size})
                           .mode(torch::kBilinear)
                           .align_corners(false);
  // Block by block into the result, as the reference resizes each batch
  // (each image's values do not depend on the block).
  const int64_t n = images.size(0);
  auto out = torch::empty({n, 1, size, size}, torch::kFloat32);
  constexpr int64_t kBlock = 1024;
  for (int64_t start = 0; start < n; start += kBlock) {
    const int64_t stop = std::min(n, start + kBlock);
    out.slice(0, start, stop)
        .copy_(F::interpolate(images.slice(0, start, stop), options));
  }
  return out;
}

fs::path find_fashion_mnist(
    const std::string& data_dir, const std::vector<fs::path>& system_dirs) {
  // A named folder may be the files' folder or a torchvision root.
  const auto named = [](const fs::path& dir) {
    return std::vector<fs::path>{dir, dir / "FashionMNIST" / "raw"};
  };
  // A folder the user named (flag, then environment) must hold the files:
  // falling back to another copy would hide a typo. Something there in
  // place of a file (a folder, a FIFO, a symlink loop, an unreadable
  // folder) is named as what it is, not reported as missing.
  const auto from_named = [&](const std::string& dir,
                              DataError::NamedBy named_by) {
    std::vector<FolderScan> scans;
    for (const auto& candidate : named(dir)) {
      scans.push_back(scan_folder(candidate));
      if (scans.back().complete()) {
        return candidate;
      }
    }
    for (const auto& scan : scans) {
      if (!scan.problems.empty()) {
        throw DataError(
            named_by, dir, ": " + join(scan.problems, "; "), scan.remedy);
      }
    }
    throw DataError(
        named_by,
        dir,
        " does not hold Fashion-MNIST: neither it nor its FashionMNIST/raw "
        "has " +
            join(scans.front().missing, ", "),
        DataError::Remedy::kInstall);
  };
  if (!data_dir.empty()) {
    return from_named(data_dir, DataError::NamedBy::kCaller);
  }
  if (const char* env = std::getenv(kDataDirEnv); env != nullptr && *env) {
    return from_named(env, DataError::NamedBy::kEnvironment);
  }
  std::vector<fs::path> places;
  std::vector<std::string> tried;
  for (const char* rel :
       {"../data/FashionMNIST/raw", "data/FashionMNIST/raw"}) {
    places.emplace_back(rel);
    std::error_code ec;
    tried.push_back(
        std::string(rel) + " (in " + fs::current_path(ec).string() + ")");
  }
  for (const auto& dir : system_dirs) {
    places.push_back(dir);
    tried.push_back(dir.string());
  }
  // A place the user did not name is skipped unless it holds all four
  // files, whatever stands in for one (a partial download, a folder, a
  // FIFO): as when the folder does not exist, a learner who did not ask for
  // it expects the next place to be tried, and the data the book needs to
  // be found there. When no place has the data, the error names what was
  // in the way, so that it does not read as missing.
  for (size_t i = 0; i < places.size(); ++i) {
    const FolderScan scan = scan_folder(places[i]);
    if (scan.complete()) {
      return places[i];
    }
    if (!scan.problems.empty()) {
      tried[i] += " [" + join(scan.problems, "; ") + "]";
    }
  }
  throw DataError(
      "Fashion-MNIST ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]) "
      "not found; tried " +
          join(tried, ", "),
      DataError::Remedy::kInstall);
}

FashionMnist load_fashion_mnist(const std::string& data_dir, bool train) {
  FashionMnist split;
  split.folder = find_fashion_mnist(data_dir);
  std::tie(split.raw_images, split.labels) = read_split(split.folder, train);
  return split;
}

std::vector<std::string> get_fashion_mnist_labels(const torch::Tensor& labels) {
  static const std::array<const char*, 10> kTextLabels = {
      "t-shirt",
      "trouser",
      "pullover",
      "dress",
      "coat",
      "sandal",
      "shirt",
      "sneaker",
      "bag",
      "ankle boot"};
  const auto flat =
      labels.reshape({-1}).to(torch::kCPU, torch::kInt64).contiguous();
  const int64_t* p = flat.data_ptr<int64_t>();
  std::vector<std::string> text;
  text.reserve(flat.numel());
  for (int64_t i = 0; i < flat.numel(); ++i) {
    if (p[i] < 0 || p[i] > 9) {
      throw Error(
          "get_fashion_mnist_labels: label " + std::to_string(p[i]) +
          " is outside 0..9");
    }
    text.emplace_back(kTextLabels[p[i]]);
  }
  return text;
}

ArrayLoader fashion_mnist_loader(
    const FashionMnist& dataset,
    int64_t batch_size,
    bool shuffle,
    std::optional<int64_t> resize,
    torch::Device device) {
  if (resize && *resize <= 0) {
    throw ArgumentError(
        "resize",
        "resize must be a positive image size, got " + std::to_string(*resize));
  }
  auto transform = [resize, device](ArrayLoader::Batch batch) {
    batch[0] = to_tensor(batch[0]);
    if (resize) {
      batch[0] = resize_images(batch[0], *resize);
    }
    batch[0] = batch[0].to(device);
    batch[1] = batch[1].to(device);
    return batch;
  };
  return ArrayLoader(
      {dataset.raw_images, dataset.labels},
      batch_size,
      shuffle,
      /*drop_last=*/false,
      transform);
}

std::pair<ArrayLoader, ArrayLoader> load_data_fashion_mnist(
    int64_t batch_size,
    std::optional<int64_t> resize,
    const std::string& data_dir,
    torch::Device device) {
  FashionMnist train;
  FashionMnist test;
  train.folder = test.folder = find_fashion_mnist(data_dir);
  std::tie(train.raw_images, train.labels) = read_split(train.folder, true);
  std::tie(test.raw_images, test.labels) = read_split(test.folder, false);
  return {
      fashion_mnist_loader(train, batch_size, /*shuffle=*/true, resize, device),
      fashion_mnist_loader(
          test, batch_size, /*shuffle=*/false, resize, device)};
}

}  // namespace d2l
