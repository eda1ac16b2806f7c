#pragma once

#include <cstddef>
#include <vector>

namespace d2l {

/// Mirrors d2l.Accumulator: sums n variables as doubles (Python floats).
class Accumulator {
 public:
  /// Creates `n` sums, all zero.
  explicit Accumulator(std::size_t n) : data_(n, 0.0) {}
  /// Adds `values[i]` to sum i, as the book's `add(*args)`; the count of
  /// values must equal n.
  void add(const std::vector<double>& values);
  /// Resets every sum to zero.
  void reset();
  /// Sum i.
  double operator[](std::size_t i) const {
    return data_.at(i);
  }
  /// Number of sums.
  std::size_t size() const {
    return data_.size();
  }

 private:
  std::vector<double> data_;
};

}  // namespace d2l
