#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace d2l {

/// One int64 from torch's default generator, drawn exactly as PyTorch's
/// DataLoader draws its seeds: `torch.empty((), dtype=torch.int64).random_()`.
int64_t draw_int64();

/// Mirrors d2l.synthetic_data: X ~ N(0, 1) of shape (num_examples, len(w)),
/// y = Xw + b + N(0, 0.01) noise, returned as (X, y.reshape(-1, 1)).
std::pair<torch::Tensor, torch::Tensor> synthetic_data(
    const torch::Tensor& w, double b, int64_t num_examples);

/// Mirrors d2l.load_array / torch.utils.data.DataLoader over a TensorDataset
/// (num_workers=0): minibatches of rows of equally long tensors, optionally
/// shuffled, with the short last batch kept unless `drop_last`.
///
/// Each pass consumes torch's default generator exactly as a Python
/// DataLoader does (see docs/rng.md, "The DataLoader"): `begin()` (Python's
/// `iter(loader)`) draws the base seed; a shuffled pass draws the sampler's
/// seed when its first batch is read and permutes with a private generator.
class ArrayLoader {
 public:
  /// One minibatch: row slices of every array, in the constructor's order.
  using Batch = std::vector<torch::Tensor>;

  /// Applied to every batch after its rows are gathered, like a Dataset's
  /// per-example transform followed by collation (e.g. ToTensor on uint8
  /// images): data stays compact and only the batch read is converted.
  using Transform = std::function<Batch(Batch)>;

  /// `arrays` must be non-empty and share their first dimension;
  /// `batch_size` must be positive; `transform` may be empty.
  ArrayLoader(
      std::vector<torch::Tensor> arrays,
      int64_t batch_size,
      bool shuffle,
      bool drop_last = false,
      Transform transform = {});

  /// Input iterator over the batches of one pass.
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Batch;
    using difference_type = std::ptrdiff_t;
    using pointer = const Batch*;
    using reference = const Batch&;

    /// The current batch (materialised on first access). It lives in the
    /// iterator: copy it (`const auto batch = *it;`) to keep it longer.
    const Batch& operator*();
    /// Member access to the current batch.
    const Batch* operator->() {
      return &**this;
    }
    /// Moves to the next batch.
    Iterator& operator++();
    /// True when both iterators are at the same batch index.
    bool operator==(const Iterator& other) const {
      return index_ == other.index_;
    }
    /// Negation of ==.
    bool operator!=(const Iterator& other) const {
      return !(*this == other);
    }

   private:
    friend class ArrayLoader;
    struct Pass;
    Iterator(std::shared_ptr<Pass> pass, int64_t index)
        : pass_(std::move(pass)), index_(index) {}
    std::shared_ptr<Pass> pass_;
    int64_t index_;
    Batch current_;
    bool loaded_ = false;
  };

  /// Starts a pass: Python's `iter(loader)` (draws the base seed).
  Iterator begin() const;
  /// The end of any pass (draws nothing).
  Iterator end() const;

  /// Number of batches in one pass (Python's `len(loader)`).
  int64_t num_batches() const;
  /// Number of examples (rows).
  int64_t size() const {
    return num_examples_;
  }
  /// The minibatch size.
  int64_t batch_size() const {
    return batch_size_;
  }
  /// The tensors the loader serves.
  const std::vector<torch::Tensor>& arrays() const {
    return arrays_;
  }

 private:
  std::vector<torch::Tensor> arrays_;
  int64_t batch_size_;
  bool shuffle_;
  bool drop_last_;
  Transform transform_;
  int64_t num_examples_;
};

/// Mirrors d2l.load_array(data_arrays, batch_size, is_train): a loader that
/// shuffles when `is_train`.
ArrayLoader load_array(
    std::vector<torch::Tensor> arrays,
    int64_t batch_size,
    bool is_train = true,
    bool drop_last = false);

}  // namespace d2l
