#include "d2l/accumulator.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace d2l {

void Accumulator::add(const std::vector<double>& values) {
  if (values.size() != data_.size()) {
    throw std::invalid_argument(
        "Accumulator::add: got " + std::to_string(values.size()) +
        " values for " + std::to_string(data_.size()) + " sums");
  }
  for (std::size_t i = 0; i < data_.size(); ++i) {
    data_[i] += values[i];
  }
}

void Accumulator::reset() {
  std::fill(data_.begin(), data_.end(), 0.0);
}

}  // namespace d2l
