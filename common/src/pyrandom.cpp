#include "d2l/pyrandom.h"

#include <cstdlib>
#include <stdexcept>

namespace d2l {
namespace {
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;
constexpr int kM = 397;
}  // namespace

PyRandom::PyRandom(int64_t seed) {
  this->seed(seed);
}

void PyRandom::seed(int64_t seed) {
  // CPython: key = 32-bit chunks of abs(seed), least significant first, at
  // least one chunk (seed 0 gives the key {0}).
  seed_magnitude(
      seed < 0 ? 0 - static_cast<uint64_t>(seed) : static_cast<uint64_t>(seed));
}

void PyRandom::seed_magnitude(uint64_t magnitude) {
  std::vector<uint32_t> key;
  do {
    key.push_back(static_cast<uint32_t>(magnitude & 0xffffffffU));
    magnitude >>= 32;
  } while (magnitude != 0);
  init_by_array(key);
}

void PyRandom::init_genrand(uint32_t s) {
  mt_[0] = s;
  for (mti_ = 1; mti_ < kN; ++mti_) {
    mt_[mti_] = 1812433253U * (mt_[mti_ - 1] ^ (mt_[mti_ - 1] >> 30)) +
                static_cast<uint32_t>(mti_);
  }
}

void PyRandom::init_by_array(const std::vector<uint32_t>& key) {
  init_genrand(19650218U);
  int i = 1;
  std::size_t j = 0;
  const std::size_t key_length = key.size();
  for (std::size_t k = (kN > key_length ? kN : key_length); k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) +
             key[j] + static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
    if (j >= key_length) {
      j = 0;
    }
  }
  for (int k = kN - 1; k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) -
             static_cast<uint32_t>(i);
    ++i;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U;
  mti_ = kN;
}

uint32_t PyRandom::genrand32() {
  static constexpr uint32_t mag01[2] = {0x0U, kMatrixA};
  if (mti_ >= kN) {
    int kk = 0;
    for (; kk < kN - kM; ++kk) {
      const uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + kM] ^ (y >> 1) ^ mag01[y & 0x1U];
    }
    for (; kk < kN - 1; ++kk) {
      const uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + (kM - kN)] ^ (y >> 1) ^ mag01[y & 0x1U];
    }
    const uint32_t y = (mt_[kN - 1] & kUpperMask) | (mt_[0] & kLowerMask);
    mt_[kN - 1] = mt_[kM - 1] ^ (y >> 1) ^ mag01[y & 0x1U];
    mti_ = 0;
  }
  uint32_t y = mt_[mti_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

uint32_t PyRandom::getrandbits(int k) {
  if (k <= 0 || k > 32) {
    throw std::invalid_argument("PyRandom::getrandbits: k must be in 1..32");
  }
  return genrand32() >> (32 - k);
}

uint64_t PyRandom::randbelow(uint64_t n) {
  if (n == 0) {
    throw std::invalid_argument("PyRandom::randbelow: n must be positive");
  }
  int k = 0;  // n.bit_length()
  for (uint64_t v = n; v != 0; v >>= 1) {
    ++k;
  }
  if (k > 32) {
    throw std::invalid_argument("PyRandom::randbelow: n must be below 2^32");
  }
  uint64_t r = getrandbits(k);
  while (r >= n) {
    r = getrandbits(k);
  }
  return r;
}

double PyRandom::random() {
  const uint32_t a = genrand32() >> 5;
  const uint32_t b = genrand32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

}  // namespace d2l
