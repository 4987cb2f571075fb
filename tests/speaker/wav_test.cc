#include "logtail/wav.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace logtail {
namespace {

PcmAudio ramp(int rate, int channels, std::size_t frames) {
  PcmAudio a;
  a.sample_rate = rate;
  a.channels = channels;
  for (std::size_t i = 0; i < frames * static_cast<std::size_t>(channels); ++i)
    a.samples.push_back(static_cast<std::int16_t>(static_cast<int>(i * 517 % 65536) - 32768));
  return a;
}

void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

class WavTest : public ::testing::Test {};

TEST_F(WavTest, CanonicalHeader) {
  const std::string wav = encode_wav(ramp(22050, 1, 10));
  ASSERT_EQ(wav.size(), 44u + 20u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(wav.substr(36, 4), "data");
  // RIFF size, rate and byte rate, little-endian.
  EXPECT_EQ(static_cast<unsigned char>(wav[4]), 56u);
  EXPECT_EQ(static_cast<unsigned char>(wav[24]), 22050u & 0xFF);
  EXPECT_EQ(static_cast<unsigned char>(wav[25]), 22050u >> 8);
  EXPECT_EQ(static_cast<unsigned char>(wav[40]), 20u);
}

TEST_F(WavTest, RoundTrips) {
  for (const auto& [rate, channels, frames] :
       std::vector<std::tuple<int, int, std::size_t>>{{8000, 1, 0}, {22050, 1, 1001},
                                                      {44100, 2, 4410}, {48000, 6, 7}}) {
    const PcmAudio in = ramp(rate, channels, frames);
    Result<PcmAudio> out = decode_wav(encode_wav(in));
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(out->sample_rate, rate);
    EXPECT_EQ(out->channels, channels);
    EXPECT_EQ(out->samples, in.samples);
    EXPECT_EQ(out->frames(), frames);
  }
}

TEST_F(WavTest, Duration) {
  EXPECT_EQ(ramp(8000, 2, 12000).duration(), std::chrono::milliseconds(1500));
}

TEST_F(WavTest, SkipsUnknownChunksWithPadding) {
  std::string wav = encode_wav(ramp(16000, 1, 3));
  // A LIST chunk of odd size (padded) between fmt and data.
  const std::string list = std::string("LIST\x03\x00\x00\x00" "abc\0", 12);
  wav.insert(36, list);
  put_u32(wav, 4, static_cast<std::uint32_t>(wav.size() - 8));
  Result<PcmAudio> out = decode_wav(wav);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->samples, ramp(16000, 1, 3).samples);
}

TEST_F(WavTest, StreamedDataSizeRunsToTheEnd) {
  for (const std::uint32_t size : {0u, 0xFFFFFFFFu}) {
    std::string wav = encode_wav(ramp(24000, 1, 5));
    put_u32(wav, 40, size);
    wav += '\x01';  // half a sample more, as a stream cut anywhere would leave
    Result<PcmAudio> out = decode_wav(wav);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(out->frames(), 5u);
  }
}

TEST_F(WavTest, ExtensiblePcm) {
  std::string wav = encode_wav(ramp(16000, 1, 2));
  // fmt grows to 40 bytes: tag 0xFFFE, cbSize 22, valid bits, mask, subformat PCM GUID.
  std::string ext(24, '\0');
  ext[0] = 22;
  ext[2] = 16;
  ext[8] = 1;  // the subformat's first two bytes: 1 (PCM)
  wav.insert(36, ext);
  put_u32(wav, 16, 40);
  wav[20] = static_cast<char>(0xFE);
  wav[21] = static_cast<char>(0xFF);
  put_u32(wav, 4, static_cast<std::uint32_t>(wav.size() - 8));
  Result<PcmAudio> out = decode_wav(wav);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->frames(), 2u);
}

TEST_F(WavTest, Errors) {
  const std::string good = encode_wav(ramp(22050, 1, 100));
  struct Bad {
    std::string bytes;
    std::string message;
  };
  std::string float_format = good;
  float_format[20] = 3;
  std::string eight_bit = good;
  eight_bit[34] = 8;
  std::string no_channels = good;
  no_channels[22] = 0;
  std::string no_data = good.substr(0, 36);
  std::string cut = good.substr(0, good.size() - 10);
  std::string short_fmt = good;
  put_u32(short_fmt, 16, 12);
  const std::vector<Bad> cases = {
      {"", "not a WAV file: no RIFF/WAVE header"},
      {"ID3\x03\x00\x00\x00\x00\x00\x00\x00\x00", "not a WAV file: no RIFF/WAVE header"},
      {float_format, "encoding 0x0003: only 16-bit PCM (1) is read"},
      {eight_bit, "8-bit samples: only 16-bit PCM is read"},
      {no_channels, "0 channels at 22050 Hz"},
      {no_data, "it has no data chunk"},
      {good.substr(0, 12), "it has no fmt chunk"},
      {cut, "cut short: its data chunk says 200 bytes, 190 are there"},
      {short_fmt, "fmt chunk has 12 bytes"},
  };
  for (const Bad& c : cases) {
    Result<PcmAudio> out = decode_wav(c.bytes);
    ASSERT_FALSE(out.ok()) << c.message;
    EXPECT_EQ(out.status().kind(), StatusKind::corrupt);
    EXPECT_NE(out.status().message().find(c.message), std::string::npos)
        << out.status().message();
    EXPECT_EQ(out.status().message().find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace logtail
