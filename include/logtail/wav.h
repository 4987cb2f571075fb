// A 16-bit PCM WAV file in memory: built from samples, and read back. Pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/status.h"

namespace logtail {

struct PcmAudio {
  int sample_rate = 0;  // frames per second
  int channels = 0;
  std::vector<std::int16_t> samples;  // interleaved: frame after frame, channel after channel

  std::size_t frames() const {
    return channels > 0 ? samples.size() / static_cast<std::size_t>(channels) : 0;
  }
  std::chrono::milliseconds duration() const {
    return sample_rate > 0 ? std::chrono::milliseconds(frames() * 1000 / sample_rate)
                           : std::chrono::milliseconds(0);
  }
};

// A canonical WAV file (RIFF, a 16-byte "fmt " chunk, "data") of `audio`. Callers give a
// positive rate and channel count and whole frames; checked with assert.
std::string encode_wav(const PcmAudio& audio);

// The samples of a WAV file. Accepts 16-bit PCM (format 1, or WAVE_FORMAT_EXTENSIBLE with the
// PCM subformat), skips chunks it does not know, and takes a data chunk whose size field is
// 0 or 0xFFFFFFFF (written by streaming encoders) to run to the end of the file. Anything
// else fails with what is wrong: no RIFF/WAVE header, no fmt or data chunk, another encoding
// or sample size, a chunk cut short.
Result<PcmAudio> decode_wav(std::string_view bytes);

}  // namespace logtail
