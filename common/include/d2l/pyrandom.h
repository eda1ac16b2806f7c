#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace d2l {

/// Python's `random` module, bit for bit: MT19937 seeded the way
/// `random.seed(int)` seeds it (`init_by_array` over the 32-bit chunks of
/// |seed|), with `getrandbits`, `randbelow` and `shuffle` as CPython computes
/// them. Section 3.2's `data_iter` shuffles with it.
class PyRandom {
 public:
  /// Mirrors `random.seed(seed)` for an integer seed.
  explicit PyRandom(int64_t seed = 0);
  /// Mirrors `random.seed(seed)`.
  void seed(int64_t seed);
  /// Mirrors `random.seed(n)` for an integer n with |n| = `magnitude` (the
  /// whole range torch.manual_seed takes, up to 2^64 - 1).
  void seed_magnitude(uint64_t magnitude);
  /// One 32-bit MT19937 output (`genrand_uint32`).
  uint32_t genrand32();
  /// Mirrors `random.getrandbits(k)` for 0 < k <= 32.
  uint32_t getrandbits(int k);
  /// Mirrors `random._randbelow(n)`: uniform in [0, n), n >= 1.
  uint64_t randbelow(uint64_t n);
  /// Mirrors `random.random()`: a double in [0, 1) from 53 random bits.
  double random();
  /// Mirrors `random.shuffle(x)` (Fisher-Yates from the back).
  template <typename T>
  void shuffle(std::vector<T>& x) {
    for (std::size_t i = x.size(); i-- > 1;) {
      const std::size_t j = static_cast<std::size_t>(randbelow(i + 1));
      std::swap(x[i], x[j]);
    }
  }

 private:
  void init_genrand(uint32_t s);
  void init_by_array(const std::vector<uint32_t>& key);
  static constexpr int kN = 624;
  std::array<uint32_t, kN> mt_{};
  int mti_ = kN + 1;
};

}  // namespace d2l
