#include "d2l/timer.h"

#include <numeric>

namespace d2l {

Timer::Timer() {
  start();
}

void Timer::start() {
  tik_ = std::chrono::steady_clock::now();
}

double Timer::stop() {
  const std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - tik_;
  times_.push_back(elapsed.count());
  return times_.back();
}

double Timer::avg() const {
  return times_.empty() ? 0.0 : sum() / static_cast<double>(times_.size());
}

double Timer::sum() const {
  return std::accumulate(times_.begin(), times_.end(), 0.0);
}

std::vector<double> Timer::cumsum() const {
  std::vector<double> out(times_.size());
  std::partial_sum(times_.begin(), times_.end(), out.begin());
  return out;
}

}  // namespace d2l
