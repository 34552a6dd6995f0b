// Deterministic random numbers for the search: xoshiro256** seeded through splitmix64. The state
// is four 64-bit words, so a checkpoint can store it exactly, and the integer/real draws are
// defined here (not by the standard library), so a seed means the same thing on every platform.
#pragma once
#include <array>
#include <cstdint>

namespace af::search {

inline uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Mixes a seed with a stream number (for example a layer index) into an independent seed.
inline uint64_t derive_seed(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (0xD1B54A32D192ED03ULL * (stream + 1));
  return splitmix64(x);
}

class Rng {
 public:
  explicit Rng(uint64_t seed = 1) { reseed(seed); }
  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& w : s_) w = splitmix64(x);
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform integer in [lo, hi] (inclusive); returns lo when hi <= lo. Unbiased (rejection).
  int64_t uniform(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    const uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
    if (range == 0) return static_cast<int64_t>(next());  // full 64-bit range
    const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    uint64_t v;
    do v = next(); while (v >= limit);
    return lo + static_cast<int64_t>(v % range);
  }
  // Uniform index in [0, n).
  size_t index(size_t n) { return n <= 1 ? 0 : static_cast<size_t>(uniform(0, int64_t(n) - 1)); }
  // Uniform real in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return p >= 1.0 || (p > 0.0 && uniform01() < p); }

  const std::array<uint64_t, 4>& state() const { return s_; }
  void set_state(const std::array<uint64_t, 4>& s) { s_ = s; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

}  // namespace af::search
