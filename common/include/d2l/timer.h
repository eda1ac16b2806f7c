#pragma once

#include <chrono>
#include <vector>

namespace d2l {

/// Mirrors d2l.Timer: records multiple running times.
class Timer {
 public:
  /// Starts the timer at construction, like the book's `Timer()`.
  Timer();
  /// Starts (restarts) the timer.
  void start();
  /// Stops the timer, records the elapsed seconds and returns them.
  double stop();
  /// Average of the recorded times in seconds (0 if none).
  double avg() const;
  /// Sum of the recorded times in seconds.
  double sum() const;
  /// Running sum of the recorded times (same length as `times()`).
  std::vector<double> cumsum() const;
  /// Every recorded time, in seconds, in recording order.
  const std::vector<double>& times() const {
    return times_;
  }

 private:
  std::vector<double> times_;
  std::chrono::steady_clock::time_point tik_;
};

}  // namespace d2l
