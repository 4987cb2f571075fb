#include "logtail/espeak_synth.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "audio_checks.h"
#include "logtail/wav.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

// espeak's output varies by a few samples from run to run; a changed rate or voice changes it
// by far more than this.
void expect_about(std::chrono::milliseconds a, std::chrono::milliseconds b) {
  EXPECT_LE(std::chrono::abs(a - b), 20ms) << a.count() << " ms vs " << b.count() << " ms";
}

class EspeakSynthTest : public ::testing::Test {
 protected:
  static PcmAudio speak(SpeechSynth& synth, std::string_view text) {
    Result<SpeechAudio> audio = synth.synthesize(text);
    EXPECT_TRUE(audio.ok()) << audio.status().message();
    if (!audio.ok()) return {};
    EXPECT_EQ(audio->format, AudioFormat::wav);
    EXPECT_EQ(sniff_audio_format(audio->bytes).ok(), true);
    Result<PcmAudio> pcm = decode_wav(audio->bytes);
    EXPECT_TRUE(pcm.ok()) << pcm.status().message();
    return pcm.ok() ? *pcm : PcmAudio{};
  }
};

TEST_F(EspeakSynthTest, SpeaksASentence) {
  Result<std::unique_ptr<SpeechSynth>> synth = make_espeak_synth();
  ASSERT_TRUE(synth.ok()) << synth.status().message();
  EXPECT_EQ((*synth)->name(), "espeak");
  const PcmAudio pcm =
      speak(**synth, "The payments service logged forty two database errors in five seconds.");
  EXPECT_EQ(pcm.channels, 1);
  EXPECT_GE(pcm.sample_rate, 8000);
  EXPECT_GE(pcm.duration(), 1000ms);
  EXPECT_LE(pcm.duration(), 10000ms);
  EXPECT_GT(test::rms(pcm.samples), 300.0) << "the clip is (almost) silent";
}

TEST_F(EspeakSynthTest, LongerTextGivesLongerAudio) {
  Result<std::unique_ptr<SpeechSynth>> synth = make_espeak_synth();
  ASSERT_TRUE(synth.ok()) << synth.status().message();
  const PcmAudio short_clip = speak(**synth, "Disk full.");
  const PcmAudio long_clip = speak(
      **synth, "Disk full on the database host, and the payments service has stopped "
               "accepting new orders since the last backup began.");
  EXPECT_GT(long_clip.duration(), short_clip.duration() * 3);
}

TEST_F(EspeakSynthTest, FasterRateGivesShorterAudio) {
  Result<std::unique_ptr<SpeechSynth>> slow = make_espeak_synth({.rate = 120});
  Result<std::unique_ptr<SpeechSynth>> fast = make_espeak_synth({.rate = 400});
  ASSERT_TRUE(slow.ok() && fast.ok());
  const std::string text = "Three services report timeouts talking to the cache cluster.";
  EXPECT_GT(speak(**slow, text).duration(), speak(**fast, text).duration() * 2);
}

TEST_F(EspeakSynthTest, VolumeZeroIsQuieter) {
  Result<std::unique_ptr<SpeechSynth>> loud = make_espeak_synth({.volume = 200});
  Result<std::unique_ptr<SpeechSynth>> quiet = make_espeak_synth({.volume = 10});
  ASSERT_TRUE(loud.ok() && quiet.ok());
  const std::string text = "Queue backlog is growing.";
  EXPECT_GT(test::rms(speak(**loud, text).samples), 4 * test::rms(speak(**quiet, text).samples));
}

TEST_F(EspeakSynthTest, UnknownVoiceSaysHowToListVoices) {
  Result<std::unique_ptr<SpeechSynth>> synth = make_espeak_synth({.voice = "no-such-voice-xx"});
  ASSERT_FALSE(synth.ok());
  EXPECT_EQ(synth.status().kind(), StatusKind::not_found);
  EXPECT_NE(synth.status().message().find("'no-such-voice-xx'"), std::string::npos);
  EXPECT_NE(synth.status().message().find("espeak-ng --voices"), std::string::npos);
}

TEST_F(EspeakSynthTest, BadOptions) {
  for (const EspeakOptions& o : {EspeakOptions{.voice = ""}, EspeakOptions{.rate = 10},
                                 EspeakOptions{.volume = 300}, EspeakOptions{.pitch = -1}}) {
    Result<std::unique_ptr<SpeechSynth>> synth = make_espeak_synth(o);
    ASSERT_FALSE(synth.ok());
    EXPECT_EQ(synth.status().kind(), StatusKind::invalid_argument) << synth.status().message();
  }
  // The engine runs with the system's data once any synth is made (ctest runs each test in
  // a process of its own); another data path is refused then.
  ASSERT_TRUE(make_espeak_synth().ok());
  Result<std::unique_ptr<SpeechSynth>> other_data = make_espeak_synth({.data_path = "/nowhere"});
  ASSERT_FALSE(other_data.ok());
  EXPECT_NE(other_data.status().message().find("same data_path"), std::string::npos)
      << other_data.status().message();
}

TEST_F(EspeakSynthTest, EmptyTextIsAnError) {
  Result<std::unique_ptr<SpeechSynth>> synth = make_espeak_synth();
  ASSERT_TRUE(synth.ok());
  EXPECT_FALSE((*synth)->synthesize("").ok());
}

TEST_F(EspeakSynthTest, VoicesDoNotLeakBetweenSynths) {
  Result<std::unique_ptr<SpeechSynth>> english = make_espeak_synth({.voice = "en"});
  Result<std::unique_ptr<SpeechSynth>> fast = make_espeak_synth({.rate = 450});
  ASSERT_TRUE(english.ok() && fast.ok());
  const std::string text = "Twelve errors in the last minute.";
  const auto before = speak(**english, text).duration();
  (void)speak(**fast, text);
  expect_about(speak(**english, text).duration(), before);
}

TEST_F(EspeakSynthTest, ThreadsTakeTurns) {
  Result<std::unique_ptr<SpeechSynth>> a = make_espeak_synth();
  Result<std::unique_ptr<SpeechSynth>> b = make_espeak_synth({.rate = 300});
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<std::chrono::milliseconds> lengths(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      SpeechSynth& synth = t == 0 ? **a : **b;
      for (int i = 0; i < 4; ++i) {
        Result<SpeechAudio> audio = synth.synthesize("Connection refused by the upstream.");
        if (!audio.ok()) continue;
        Result<PcmAudio> pcm = decode_wav(audio->bytes);
        if (pcm.ok()) lengths[t * 4 + i] = pcm->duration();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 1; i < 4; ++i) expect_about(lengths[i], lengths[0]);
  for (int i = 5; i < 8; ++i) expect_about(lengths[i], lengths[4]);
  EXPECT_GT(lengths[0], lengths[4]);
}

}  // namespace
}  // namespace logtail
