#include "d2l/data.h"

#include <ATen/CPUGeneratorImpl.h>

#include "d2l/error.h"

namespace d2l {

int64_t draw_int64() {
  return torch::empty({}, torch::kInt64).random_().item<int64_t>();
}

std::pair<torch::Tensor, torch::Tensor> synthetic_data(
    const torch::Tensor& w, double b, int64_t num_examples) {
  auto X = torch::normal(/*mean=*/0, /*std=*/1, {num_examples, w.size(0)});
  auto y = torch::matmul(X, w) + b;
  y += torch::normal(/*mean=*/0, /*std=*/0.01, y.sizes());
  return {X, y.reshape({-1, 1})};
}

// The state of one pass; shared by the iterators that walk it.
struct ArrayLoader::Iterator::Pass {
  const ArrayLoader* loader;
  torch::Tensor order;  // the sampler's permutation, drawn at first batch
  bool sampled = false;
};

ArrayLoader::ArrayLoader(
    std::vector<torch::Tensor> arrays,
    int64_t batch_size,
    bool shuffle,
    bool drop_last,
    Transform transform)
    : arrays_(std::move(arrays)),
      batch_size_(batch_size),
      shuffle_(shuffle),
      drop_last_(drop_last),
      transform_(std::move(transform)) {
  if (arrays_.empty()) {
    throw Error("load_array: needs at least one tensor");
  }
  if (batch_size_ <= 0) {
    throw ArgumentError(
        "batch_size",
        "batch size must be a positive integer, got " +
            std::to_string(batch_size_));
  }
  num_examples_ = arrays_.front().size(0);
  for (const auto& a : arrays_) {
    if (a.dim() == 0 || a.size(0) != num_examples_) {
      throw Error("load_array: all tensors must have the same first dimension");
    }
  }
}

int64_t ArrayLoader::num_batches() const {
  // Without (n + b - 1) / b, which overflows for a batch size near
  // INT64_MAX; a batch larger than the data set is one short batch, as in
  // PyTorch.
  const int64_t full = num_examples_ / batch_size_;
  return drop_last_ ? full : full + (num_examples_ % batch_size_ != 0 ? 1 : 0);
}

ArrayLoader::Iterator ArrayLoader::begin() const {
  draw_int64();  // draw A: the DataLoader iterator's _base_seed (unused)
  auto pass = std::make_shared<Iterator::Pass>();
  pass->loader = this;
  return Iterator(std::move(pass), 0);
}

ArrayLoader::Iterator ArrayLoader::end() const {
  return Iterator(nullptr, num_batches());
}

const ArrayLoader::Batch& ArrayLoader::Iterator::operator*() {
  if (loaded_) {
    return current_;
  }
  const ArrayLoader& loader = *pass_->loader;
  if (loader.shuffle_ && !pass_->sampled) {
    // draw B: RandomSampler seeds a private generator for its randperm.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(draw_int64());
    pass_->order =
        torch::randperm(loader.num_examples_, gen, torch::dtype(torch::kInt64));
    pass_->sampled = true;
  }
  const int64_t start = index_ * loader.batch_size_;
  const int64_t stop =
      std::min(start + loader.batch_size_, loader.num_examples_);
  current_.clear();
  current_.reserve(loader.arrays_.size());
  if (loader.shuffle_) {
    const auto idx = pass_->order.slice(0, start, stop);
    for (const auto& a : loader.arrays_) {
      current_.push_back(a.index_select(0, idx));
    }
  } else {
    for (const auto& a : loader.arrays_) {
      current_.push_back(a.slice(0, start, stop));
    }
  }
  if (loader.transform_) {
    current_ = loader.transform_(std::move(current_));
  }
  loaded_ = true;
  return current_;
}

ArrayLoader::Iterator& ArrayLoader::Iterator::operator++() {
  if (!loaded_) {
    **this;  // a skipped batch still starts the sampler, as in Python
  }
  ++index_;
  loaded_ = false;
  return *this;
}

ArrayLoader load_array(
    std::vector<torch::Tensor> arrays,
    int64_t batch_size,
    bool is_train,
    bool drop_last) {
  return ArrayLoader(std::move(arrays), batch_size, is_train, drop_last);
}

}  // namespace d2l
