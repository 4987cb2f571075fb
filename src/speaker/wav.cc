#include "logtail/wav.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <optional>

namespace logtail {
namespace {

constexpr std::uint16_t kFormatPcm = 1;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;

void put_u16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((v >> shift) & 0xFF);
}

// WAV is little-endian whatever the machine.
std::uint16_t get_u16(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[at]) |
                                    static_cast<unsigned char>(bytes[at + 1]) << 8);
}

std::uint32_t get_u32(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(get_u16(bytes, at)) |
         static_cast<std::uint32_t>(get_u16(bytes, at + 2)) << 16;
}

Status corrupt(std::string message) { return Status(StatusKind::corrupt, std::move(message)); }

// A chunk id for a message: as it is when printable, else its bytes in hex.
std::string chunk_name(std::string_view id) {
  if (std::all_of(id.begin(), id.end(), [](char c) { return c >= 0x20 && c <= 0x7E; }))
    return std::string(id);
  std::string hex;
  for (const char c : id) hex += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return hex;
}

struct Format {
  std::uint16_t tag = 0;
  int channels = 0;
  int sample_rate = 0;
  int bits = 0;
};

Result<Format> read_fmt(std::string_view chunk) {
  if (chunk.size() < 16) {
    return corrupt(fmt::format("not a usable WAV file: its fmt chunk has {} bytes, 16 at least",
                               chunk.size()));
  }
  Format f{get_u16(chunk, 0), get_u16(chunk, 2), static_cast<int>(get_u32(chunk, 4)),
           get_u16(chunk, 14)};
  if (f.tag == kFormatExtensible && chunk.size() >= 26) f.tag = get_u16(chunk, 24);
  if (f.tag != kFormatPcm) {
    return corrupt(fmt::format("a WAV file with encoding {:#06x}: only 16-bit PCM (1) is read; "
                               "ask the synth for 16-bit PCM WAV",
                               f.tag));
  }
  if (f.bits != 16) {
    return corrupt(fmt::format("a WAV file with {}-bit samples: only 16-bit PCM is read; ask "
                               "the synth for 16-bit PCM WAV",
                               f.bits));
  }
  if (f.channels < 1 || f.channels > 8 || f.sample_rate < 1000 || f.sample_rate > 384000) {
    return corrupt(fmt::format("a WAV file with {} channels at {} Hz: expected 1 to 8 channels "
                               "at 1000 to 384000 Hz",
                               f.channels, f.sample_rate));
  }
  return f;
}

}  // namespace

std::string encode_wav(const PcmAudio& audio) {
  assert(audio.sample_rate > 0 && audio.channels > 0);
  assert(audio.samples.size() % static_cast<std::size_t>(audio.channels) == 0);
  const auto channels = static_cast<std::uint16_t>(audio.channels);
  const auto rate = static_cast<std::uint32_t>(audio.sample_rate);
  const auto data_bytes = static_cast<std::uint32_t>(audio.samples.size() * 2);
  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_u32(out, 36 + data_bytes);
  out += "WAVEfmt ";
  put_u32(out, 16);
  put_u16(out, kFormatPcm);
  put_u16(out, channels);
  put_u32(out, rate);
  put_u32(out, rate * channels * 2);  // bytes per second
  put_u16(out, static_cast<std::uint16_t>(channels * 2));  // bytes per frame
  put_u16(out, 16);
  out += "data";
  put_u32(out, data_bytes);
  for (const std::int16_t s : audio.samples) put_u16(out, static_cast<std::uint16_t>(s));
  return out;
}

Result<PcmAudio> decode_wav(std::string_view bytes) {
  if (bytes.size() < 12 || bytes.substr(0, 4) != "RIFF" || bytes.substr(8, 4) != "WAVE") {
    return corrupt(fmt::format("not a WAV file: no RIFF/WAVE header in its first {} bytes",
                               std::min<std::size_t>(bytes.size(), 12)));
  }
  std::optional<Format> format;
  std::size_t at = 12;
  while (at + 8 <= bytes.size()) {
    const std::string_view id = bytes.substr(at, 4);
    std::size_t size = get_u32(bytes, at + 4);
    const std::size_t body = at + 8;
    const std::size_t left = bytes.size() - body;
    if (id == "data") {
      if (!format) return corrupt("not a usable WAV file: its data chunk comes before fmt");
      if (size == 0 || size == 0xFFFFFFFF) size = left;
      if (size > left) {
        return corrupt(fmt::format("a WAV file cut short: its data chunk says {} bytes, {} are "
                                   "there",
                                   size, left));
      }
      const std::size_t frame_bytes = static_cast<std::size_t>(format->channels) * 2;
      size -= size % frame_bytes;  // a partial last frame of a streamed file
      PcmAudio audio;
      audio.sample_rate = format->sample_rate;
      audio.channels = format->channels;
      audio.samples.resize(size / 2);
      for (std::size_t i = 0; i < audio.samples.size(); ++i)
        audio.samples[i] = static_cast<std::int16_t>(get_u16(bytes, body + 2 * i));
      return audio;
    }
    if (size > left) {
      return corrupt(fmt::format("a WAV file cut short: its '{}' chunk says {} bytes, {} are "
                                 "there",
                                 chunk_name(id), size, left));
    }
    if (id == "fmt ") {
      Result<Format> f = read_fmt(bytes.substr(body, size));
      if (!f.ok()) return f.status();
      format = *f;
    }
    at = body + size + (size & 1);  // chunks are padded to an even size
  }
  return corrupt(format ? "not a usable WAV file: it has no data chunk"
                        : "not a usable WAV file: it has no fmt chunk");
}

}  // namespace logtail
