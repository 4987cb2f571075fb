// Rng: a small, fast pseudo-random generator (splitmix64) whose sequence depends only on the
// seed, so a given --seed yields the same log on every machine and compiler. The standard
// distributions are not used because their output is implementation-defined.
#pragma once

#include <cstddef>
#include <cstdint>

namespace loggen {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n); n > 0. Multiply-shift rather than modulo: no division per call.
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }

  // Uniform in [lo, hi].
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) {
    return lo + static_cast<std::uint64_t>(
                    (static_cast<unsigned __int128>(next()) * (hi - lo + 1)) >> 64);
  }

  // True with probability per_mille / 1000.
  bool chance(std::uint32_t per_mille) { return below(1000) < per_mille; }

  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(static_cast<std::uint32_t>(N))];
  }

 private:
  std::uint64_t state_;
};

}  // namespace loggen
