// Checks on real audio for the speaker's tests: loudness, and a tone to serve.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <span>
#include <string>

#include "logtail/wav.h"

namespace logtail::test {

// The root mean square of the samples, on the int16 scale (0 to 32767).
inline double rms(std::span<const std::int16_t> samples) {
  if (samples.empty()) return 0.0;
  double sum = 0.0;
  for (const std::int16_t s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

// Raw little-endian int16 bytes (SDL's disk driver output in AUDIO_S16LSB) as samples.
inline std::vector<std::int16_t> s16_samples(std::string_view bytes) {
  std::vector<std::int16_t> out(bytes.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::int16_t>(static_cast<unsigned char>(bytes[2 * i]) |
                                       static_cast<unsigned char>(bytes[2 * i + 1]) << 8);
  }
  return out;
}

// A mono sine tone as PCM.
inline PcmAudio sine(double hz, double seconds, int rate = 22050, double amplitude = 12000) {
  PcmAudio a;
  a.sample_rate = rate;
  a.channels = 1;
  const auto frames = static_cast<std::size_t>(seconds * rate);
  a.samples.resize(frames);
  for (std::size_t i = 0; i < frames; ++i) {
    a.samples[i] = static_cast<std::int16_t>(
        amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i) / rate));
  }
  return a;
}

}  // namespace logtail::test
