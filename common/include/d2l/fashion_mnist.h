#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "d2l/data.h"
#include "d2l/idx.h"

namespace d2l {

/// Where Debian's `dataset-fashion-mnist` package installs the four files;
/// the last place `find_fashion_mnist` looks by default.
inline constexpr const char* kFashionMnistSystemDir =
    "/usr/share/datasets/fashion-mnist";

/// The environment variable naming a data folder (second place searched).
inline constexpr const char* kDataDirEnv = "D2L_DATA_DIR";

/// Mirrors `torchvision.transforms.ToTensor` on a batch of greyscale images:
/// uint8 N x H x W -> float32 N x 1 x H x W in [0, 1], computed as torchvision
/// does (`.to(torch.float32).div(255)`), so the values are bit-identical.
torch::Tensor to_tensor(const torch::Tensor& images);

/// Stands in for `torchvision.transforms.Resize(size)` before `ToTensor()`
/// as scripts/reference/d2l_torch.py does: bilinear interpolation
/// (`F.interpolate(X, size=(size, size), mode="bilinear",
/// align_corners=False)`) of ToTensor'd float32 N x 1 x H x W images to
/// N x 1 x size x size, bit-identical to that reference. torchvision's PIL
/// resize rounds to uint8, so its values differ slightly; the book prints
/// only shapes and dtypes.
torch::Tensor resize_images(const torch::Tensor& images, int64_t size);

/// One split of Fashion-MNIST in memory: mirrors
/// `torchvision.datasets.FashionMNIST(root, train, transform=ToTensor())`,
/// the transform applied when images are asked for (the loaders convert
/// batch by batch).
struct FashionMnist {
  /// Raw pixels, uint8 N x 28 x 28 (the dataset's `.data`).
  torch::Tensor raw_images;
  /// Labels, int64 N, each in 0..9 (the dataset's `.targets`).
  torch::Tensor labels;
  /// `ToTensor()` of every image, converted on each call: float32
  /// N x 1 x 28 x 28 in [0, 1], so `images()[i]` is `mnist_train[i][0]`.
  torch::Tensor images() const {
    return to_tensor(raw_images);
  }
  /// The folder the files were read from.
  std::filesystem::path folder;

  /// Number of examples (the book's `len(mnist_train)`).
  int64_t size() const {
    return labels.size(0);
  }
};

/// The folder holding the four Fashion-MNIST files
/// (`{train,t10k}-{images-idx3,labels-idx1}-ubyte`, each raw or `.gz`);
/// replaces torchvision's `root="../data"` plus `download=True`.
///
/// Looks, in order, in: `data_dir` when not empty (the folder itself or its
/// `FashionMNIST/raw`), `$D2L_DATA_DIR` (likewise), the book's torchvision
/// layout `../data/FashionMNIST/raw` and `data/FashionMNIST/raw` (relative to
/// the current folder), then `system_dirs`. A given `data_dir` that lacks the
/// files is an error of its own, naming what is there in place of a file
/// (a folder, a FIFO, a symlink loop...) or that it cannot be read; the other
/// places are skipped unless they hold all four files, and when none does,
/// the DataError lists every place tried, what stood in for a file there,
/// and how to install the data.
std::filesystem::path find_fashion_mnist(
    const std::string& data_dir = "",
    const std::vector<std::filesystem::path>& system_dirs = {
        kFashionMnistSystemDir});

/// Mirrors `torchvision.datasets.FashionMNIST(root="../data", train=train,
/// transform=transforms.ToTensor())`: reads the training (60000 examples) or
/// test (10000) split from the folder `find_fashion_mnist(data_dir)` finds
/// (`data_dir` may be that folder itself; empty: search) and checks it is
/// Fashion-MNIST: 28 x 28 images, as many labels as images, labels 0..9, at
/// least one example. Throws DataError otherwise.
FashionMnist load_fashion_mnist(const std::string& data_dir, bool train = true);

/// Mirrors d2l.get_fashion_mnist_labels: the text label of each numeric
/// label ('t-shirt', 'trouser', ..., 'ankle boot'). Throws Error for a
/// label outside 0..9.
std::vector<std::string> get_fashion_mnist_labels(const torch::Tensor& labels);

/// Mirrors `data.DataLoader(mnist_train, batch_size, shuffle)` over a
/// FashionMnist split (`transform=ToTensor()`, or `[Resize(resize),
/// ToTensor()]` when `resize` is given): batches (X float32 batch x 1 x 28 x
/// 28 or x resize x resize, y int64) on `device`. Keeps the uint8 pixels
/// and converts each batch as it is read, with the same values as
/// converting up front.
ArrayLoader fashion_mnist_loader(
    const FashionMnist& dataset,
    int64_t batch_size,
    bool shuffle,
    std::optional<int64_t> resize = std::nullopt,
    torch::Device device = torch::kCPU);

/// Mirrors d2l.load_data_fashion_mnist(batch_size, resize=None): the training
/// iterator (shuffled) and the test iterator (in order) over (X, y) batches,
/// X float32 batch x 1 x 28 x 28 (or resize x resize when `resize` is given,
/// like `transforms.Resize(resize)` before `ToTensor()`), y int64. Being
/// ArrayLoaders, they draw from torch's generator exactly as the book's
/// DataLoaders do. `data_dir` is a folder the caller names (empty: search,
/// see find_fashion_mnist); batches are served on `device`.
std::pair<ArrayLoader, ArrayLoader> load_data_fashion_mnist(
    int64_t batch_size,
    std::optional<int64_t> resize = std::nullopt,
    const std::string& data_dir = "",
    torch::Device device = torch::kCPU);

}  // namespace d2l
