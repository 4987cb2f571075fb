#include "logtail/audio_outputs.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "audio_checks.h"
#include "logtail/espeak_synth.h"
#include "logtail/wav.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

using test::ScopedEnv;

class AudioOutputsTest : public ::testing::Test {
 protected:
  static SpeechAudio speech(std::string_view text) {
    Result<std::unique_ptr<SpeechSynth>> synth = make_espeak_synth();
    EXPECT_TRUE(synth.ok()) << synth.status().message();
    if (!synth.ok()) return {};
    Result<SpeechAudio> audio = (*synth)->synthesize(text);
    EXPECT_TRUE(audio.ok()) << audio.status().message();
    return audio.ok() ? *audio : SpeechAudio{};
  }

  SdlOutputOptions disk_options() const {
    SdlOutputOptions o;
    o.driver = "disk";
    o.disk_file = dir_.file("out.raw").string();
    o.sample_rate = 22050;
    o.channels = 1;
    return o;
  }

  // Where the sound is in raw S16 mono audio: the first and last samples above `threshold`.
  static std::pair<std::size_t, std::size_t> loud_span(const std::vector<std::int16_t>& s,
                                                       int threshold = 500) {
    std::size_t first = s.size(), last = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (std::abs(s[i]) > threshold) {
        first = std::min(first, i);
        last = i;
      }
    }
    return {first, last};
  }

  test::TempDir dir_;
};

TEST_F(AudioOutputsTest, SdlDiskDriverPlaysTheClip) {
  const SpeechAudio clip = speech("The checkout service is failing health checks.");
  Result<PcmAudio> pcm = decode_wav(clip.bytes);
  ASSERT_TRUE(pcm.ok());
  const auto clip_length = pcm->duration();
  {
    Result<std::unique_ptr<AudioOutput>> out = make_sdl_output(disk_options());
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ((*out)->name(), "sdl");
    const auto start = std::chrono::steady_clock::now();
    Status played = (*out)->play(clip);
    ASSERT_TRUE(played.ok()) << played.message();
    // play() blocks while the clip plays: the disk driver writes in real time.
    EXPECT_GE(std::chrono::steady_clock::now() - start, clip_length / 2);
  }  // closes the device and the file
  const std::vector<std::int16_t> raw = test::s16_samples(dir_.read("out.raw"));
  ASSERT_GE(raw.size(), pcm->samples.size() * 9 / 10) << "the file is shorter than the clip";
  const auto [first, last] = loud_span(raw);
  ASSERT_LT(first, last) << "the file is silent";
  const auto loud_ms = (last - first) * 1000 / 22050;
  const auto [clip_first, clip_last] = loud_span(pcm->samples);
  const auto clip_loud_ms = (clip_last - clip_first) * 1000 / 22050;
  EXPECT_NEAR(static_cast<double>(loud_ms), static_cast<double>(clip_loud_ms), 100.0);
  EXPECT_GT(test::rms(std::span(raw).subspan(first, last - first)), 300.0);
}

TEST_F(AudioOutputsTest, SdlPlaysClipsOneAfterAnother) {
  const SpeechAudio tone{AudioFormat::wav, encode_wav(test::sine(440, 0.5))};
  {
    Result<std::unique_ptr<AudioOutput>> out = make_sdl_output(disk_options());
    ASSERT_TRUE(out.ok()) << out.status().message();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*out)->play(tone).ok());
  }
  const std::vector<std::int16_t> raw = test::s16_samples(dir_.read("out.raw"));
  std::size_t loud = 0;
  for (const std::int16_t s : raw) loud += std::abs(s) > 2000;
  // Three half-second tones, each heard whole and none on top of another: about 1.5 s of
  // loud samples (a sine is above a sixth of its peak most of the time).
  EXPECT_GT(loud, 22050u * 3 / 2 * 8 / 10);
  EXPECT_LT(loud, 22050u * 3 / 2 * 11 / 10);
}

TEST_F(AudioOutputsTest, OneSdlOutputPerProcess) {
  Result<std::unique_ptr<AudioOutput>> first = make_sdl_output(disk_options());
  ASSERT_TRUE(first.ok()) << first.status().message();
  Result<std::unique_ptr<AudioOutput>> second = make_sdl_output(disk_options());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().kind(), StatusKind::busy);
  EXPECT_NE(second.status().message().find("process-wide"), std::string::npos);
  first->reset();
  Result<std::unique_ptr<AudioOutput>> third = make_sdl_output(disk_options());
  EXPECT_TRUE(third.ok()) << third.status().message();
}

TEST_F(AudioOutputsTest, NoDeviceFallsBackOnceWithADiagnostic) {
  const ScopedEnv no_device("SDL_AUDIODRIVER", "no-such-driver");
  std::vector<Diagnostic> seen;
  SdlOutputOptions o = disk_options();
  o.driver = "";
  o.fallback_driver = "disk";
  o.on_diagnostic = [&](const Diagnostic& d) { seen.push_back(d); };
  {
    Result<std::unique_ptr<AudioOutput>> out = make_sdl_output(o);
    ASSERT_TRUE(out.ok()) << out.status().message();
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].kind, DiagnosticKind::audio_fallback);
    EXPECT_NE(seen[0].message.find("'disk'"), std::string::npos) << seen[0].message;
    ASSERT_TRUE((*out)->play({AudioFormat::wav, encode_wav(test::sine(300, 0.3))}).ok());
  }
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_GT(test::rms(test::s16_samples(dir_.read("out.raw"))), 100.0);

  o.fallback_driver = "";
  Result<std::unique_ptr<AudioOutput>> none = make_sdl_output(o);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().kind(), StatusKind::unavailable);
  EXPECT_NE(none.status().message().find("SDL's default audio driver"), std::string::npos)
      << none.status().message();
}

TEST_F(AudioOutputsTest, SdlRefusesWhatDoesNotDecode) {
  Result<std::unique_ptr<AudioOutput>> out = make_sdl_output(disk_options());
  ASSERT_TRUE(out.ok()) << out.status().message();
  Status s = (*out)->play({AudioFormat::mp3, "ID3 this is no mp3 at all"});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("could not decode"), std::string::npos) << s.message();
}

TEST_F(AudioOutputsTest, SdlUnknownDriver) {
  SdlOutputOptions o = disk_options();
  o.driver = "no-such-driver";
  Result<std::unique_ptr<AudioOutput>> out = make_sdl_output(o);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("'no-such-driver'"), std::string::npos)
      << out.status().message();
  o.channels = 7;
  EXPECT_EQ(make_sdl_output(o).status().kind(), StatusKind::invalid_argument);
}

TEST_F(AudioOutputsTest, WavOutputWritesNumberedFilesThatParse) {
  const SpeechAudio clip = speech("Disk usage is above ninety percent.");
  const SpeechAudio tone{AudioFormat::wav, encode_wav(test::sine(440, 0.25))};
  const auto out_dir = dir_.file("clips/today");
  {
    Result<std::unique_ptr<AudioOutput>> out = make_wav_output(out_dir);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ((*out)->name(), "wav");
    ASSERT_TRUE((*out)->play(clip).ok());
    ASSERT_TRUE((*out)->play(tone).ok());
  }
  EXPECT_EQ(dir_.read("clips/today/speech-000001.wav"), clip.bytes);
  Result<PcmAudio> second = decode_wav(dir_.read("clips/today/speech-000002.wav"));
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->samples, test::sine(440, 0.25).samples);
  // A new output goes on from the highest number there, not over it.
  {
    Result<std::unique_ptr<AudioOutput>> out = make_wav_output(out_dir);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->play(tone).ok());
  }
  EXPECT_TRUE(std::filesystem::exists(out_dir / "speech-000003.wav"));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out_dir)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 3u);  // no temporary file left behind
}

TEST_F(AudioOutputsTest, WavOutputErrors) {
  dir_.write("a-file", "x");
  Result<std::unique_ptr<AudioOutput>> under_file = make_wav_output(dir_.file("a-file/sub"));
  ASSERT_FALSE(under_file.ok());
  EXPECT_NE(under_file.status().message().find("a-file/sub"), std::string::npos)
      << under_file.status().message();
  EXPECT_FALSE(make_wav_output(dir_.file("a-file")).ok());
  EXPECT_EQ(make_wav_output("").status().kind(), StatusKind::invalid_argument);

  Result<std::unique_ptr<AudioOutput>> out = make_wav_output(dir_.file("ok"));
  ASSERT_TRUE(out.ok());
  Status garbage = (*out)->play({AudioFormat::wav, "RIFF....WAVEnothing"});
  EXPECT_EQ(garbage.kind(), StatusKind::corrupt) << garbage.message();
  EXPECT_FALSE(std::filesystem::exists(dir_.file("ok/speech-000001.wav")));
}

TEST_F(AudioOutputsTest, WavOutputMp3NeedsSdlFree) {
  Result<std::unique_ptr<AudioOutput>> sdl = make_sdl_output(disk_options());
  ASSERT_TRUE(sdl.ok()) << sdl.status().message();
  Result<std::unique_ptr<AudioOutput>> out = make_wav_output(dir_.file("mp3"));
  ASSERT_TRUE(out.ok());
  Status s = (*out)->play({AudioFormat::mp3, "ID3 not really"});
  EXPECT_EQ(s.kind(), StatusKind::busy) << s.message();
  EXPECT_NE(s.message().find("cannot decode a mp3 clip"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace logtail
