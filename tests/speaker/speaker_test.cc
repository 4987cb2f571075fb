#include "logtail/speaker.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "audio_checks.h"
#include "logtail/audio_outputs.h"
#include "logtail/espeak_synth.h"
#include "logtail/wav.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

// An output that records what it is given and holds each play() until the test releases
// it: the only way to fill the queue at a known moment. The synth stays real.
class GatedOutput final : public AudioOutput {
 public:
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    std::size_t released = 0;   // plays allowed to finish
    std::size_t started = 0;    // plays begun
    std::vector<std::size_t> sample_counts;  // of each clip played to its end
    bool fail = false;
  };
  explicit GatedOutput(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  std::string_view name() const override { return "gated"; }
  Status play(const SpeechAudio& audio) override {
    std::unique_lock lock(shared_->mu);
    const std::size_t index = shared_->started++;
    shared_->cv.notify_all();
    shared_->cv.wait(lock, [&] { return shared_->released > index; });
    if (shared_->fail) return Status(StatusKind::unavailable, "the test's device is unplugged");
    Result<PcmAudio> pcm = decode_wav(audio.bytes);
    shared_->sample_counts.push_back(pcm.ok() ? pcm->samples.size() : 0);
    return {};
  }

 private:
  std::shared_ptr<Shared> shared_;
};

Summary summary(std::string text) {
  Summary s;
  s.text = std::move(text);
  s.title = "title";
  return s;
}

class SpeakerTest : public ::testing::Test {
 protected:
  std::unique_ptr<SpeechSynth> espeak(int rate = 175) {
    Result<std::unique_ptr<SpeechSynth>> synth = make_espeak_synth({.rate = rate});
    EXPECT_TRUE(synth.ok()) << synth.status().message();
    return synth.ok() ? std::move(*synth) : nullptr;
  }
  SpeakerOptions options(std::size_t capacity = 4) {
    SpeakerOptions o;
    o.queue_capacity = capacity;
    o.on_diagnostic = [this](const Diagnostic& d) {
      std::lock_guard lock(mu_);
      diagnostics_.push_back(d);
    };
    return o;
  }
  std::vector<Diagnostic> diagnostics() {
    std::lock_guard lock(mu_);
    return diagnostics_;
  }
  void release(GatedOutput::Shared& g, std::size_t n) {
    std::lock_guard lock(g.mu);
    g.released += n;
    g.cv.notify_all();
  }
  std::size_t started(GatedOutput::Shared& g) {
    std::lock_guard lock(g.mu);
    return g.started;
  }

  std::mutex mu_;
  std::vector<Diagnostic> diagnostics_;
  test::TempDir dir_;
};

TEST_F(SpeakerTest, KeepsTheNewestClipsWhenFull) {
  auto gate = std::make_shared<GatedOutput::Shared>();
  Result<std::shared_ptr<Speaker>> speaker =
      Speaker::create(options(2), espeak(), std::make_unique<GatedOutput>(gate));
  ASSERT_TRUE(speaker.ok()) << speaker.status().message();
  // The first clip is taken by the playback thread and held there.
  ASSERT_TRUE((*speaker)->take(summary("one")).ok());
  ASSERT_TRUE(test::wait_until([&] { return started(*gate) == 1; }));
  // Two fit in the queue; each one after that pushes out the oldest waiting.
  const std::vector<std::string> texts = {
      "two", "three three", "four four four", "five five five five five five five"};
  for (const std::string& t : texts) ASSERT_TRUE((*speaker)->take(summary(t)).ok());
  EXPECT_EQ((*speaker)->counters().skipped, 2u);
  const std::vector<Diagnostic> seen = diagnostics();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, DiagnosticKind::speech_dropped);
  EXPECT_NE(seen[1].message.find("2 skipped so far"), std::string::npos) << seen[1].message;

  release(*gate, 100);
  (*speaker)->close();
  const SpeakerCounters c = (*speaker)->counters();
  EXPECT_EQ(c.spoken, 3u);
  EXPECT_EQ(c.skipped, 2u);
  EXPECT_EQ(c.failed, 0u);
  // What was played: "one", then the two newest, in order (longer texts, longer clips).
  ASSERT_EQ(gate->sample_counts.size(), 3u);
  EXPECT_LT(gate->sample_counts[1], gate->sample_counts[2]);
  EXPECT_GT(gate->sample_counts[1], gate->sample_counts[0]);
}

TEST_F(SpeakerTest, CloseDrainsTheQueueThroughARealOutput) {
  const auto out_dir = dir_.file("wav");
  Result<std::unique_ptr<AudioOutput>> output = make_wav_output(out_dir);
  ASSERT_TRUE(output.ok());
  Result<std::shared_ptr<Speaker>> speaker =
      Speaker::create(options(8), espeak(), std::move(*output));
  ASSERT_TRUE(speaker.ok());
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE((*speaker)->take(summary(fmt::format("Alert number {}.", i + 1))).ok());
  (*speaker)->close();
  EXPECT_EQ((*speaker)->counters().spoken, 5u);
  for (int i = 1; i <= 5; ++i) {
    Result<PcmAudio> pcm = decode_wav(dir_.read(fmt::format("wav/speech-{:06}.wav", i)));
    ASSERT_TRUE(pcm.ok()) << pcm.status().message();
    EXPECT_GT(test::rms(pcm->samples), 300.0);
  }
  Status late = (*speaker)->take(summary("too late"));
  EXPECT_EQ(late.kind(), StatusKind::failed_precondition);
  (*speaker)->close();  // idempotent
}

TEST_F(SpeakerTest, SpeaksThroughSdlDiskDriver) {
  SdlOutputOptions o;
  o.driver = "disk";
  o.disk_file = dir_.file("speech.raw").string();
  o.sample_rate = 22050;
  o.channels = 1;
  Result<std::unique_ptr<AudioOutput>> output = make_sdl_output(o);
  ASSERT_TRUE(output.ok()) << output.status().message();
  {
    Result<std::shared_ptr<Speaker>> speaker =
        Speaker::create(options(), espeak(), std::move(*output));
    ASSERT_TRUE(speaker.ok());
    ASSERT_TRUE((*speaker)->take(summary("payments.log: 42 errors in the last 5 seconds.")).ok());
  }  // the destructor plays the clip, then closes the device
  const std::vector<std::int16_t> raw = test::s16_samples(dir_.read("speech.raw"));
  EXPECT_GT(raw.size(), 22050u);  // over a second of audio
  EXPECT_GT(test::rms(raw), 200.0);
}

TEST_F(SpeakerTest, CloseTimeoutDropsWhatIsLeftAndSaysSo) {
  auto gate = std::make_shared<GatedOutput::Shared>();
  SpeakerOptions o = options(4);
  o.close_timeout = 200ms;
  Result<std::shared_ptr<Speaker>> speaker =
      Speaker::create(std::move(o), espeak(), std::make_unique<GatedOutput>(gate));
  ASSERT_TRUE(speaker.ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*speaker)->take(summary("held")).ok());
  ASSERT_TRUE(test::wait_until([&] { return started(*gate) == 1; }));
  // close() gives up on the queue after 200 ms, then waits for the clip playing.
  std::thread releaser([&] {
    ASSERT_TRUE(test::wait_until([&] { return !diagnostics().empty(); }));
    release(*gate, 100);
  });
  (*speaker)->close();
  releaser.join();
  const SpeakerCounters c = (*speaker)->counters();
  EXPECT_EQ(c.spoken, 1u);
  EXPECT_EQ(c.skipped, 2u);
  ASSERT_EQ(diagnostics().size(), 1u);
  EXPECT_NE(diagnostics()[0].message.find("2 clips dropped unplayed"), std::string::npos)
      << diagnostics()[0].message;
}

TEST_F(SpeakerTest, PlaybackFailuresAreCountedAndReported) {
  auto gate = std::make_shared<GatedOutput::Shared>();
  gate->fail = true;
  Result<std::shared_ptr<Speaker>> speaker =
      Speaker::create(options(), espeak(), std::make_unique<GatedOutput>(gate));
  ASSERT_TRUE(speaker.ok());
  release(*gate, 100);
  ASSERT_TRUE((*speaker)->take(summary("unplugged")).ok());
  (*speaker)->close();
  EXPECT_EQ((*speaker)->counters().failed, 1u);
  ASSERT_EQ(diagnostics().size(), 1u);
  EXPECT_EQ(diagnostics()[0].kind, DiagnosticKind::sink_error);
  EXPECT_NE(diagnostics()[0].message.find("unplugged"), std::string::npos);
}

TEST_F(SpeakerTest, CleansTextAndSkipsEmptySummaries) {
  auto gate = std::make_shared<GatedOutput::Shared>();
  release(*gate, 100);
  Result<std::shared_ptr<Speaker>> speaker =
      Speaker::create(options(), espeak(), std::make_unique<GatedOutput>(gate));
  ASSERT_TRUE(speaker.ok());
  Summary blank = summary("\x1b[31m\x1b[0m \x01 ");
  blank.title = "";
  EXPECT_TRUE((*speaker)->take(blank).ok());
  Summary titled = summary("");
  titled.title = "db.log: 3 errors";
  EXPECT_TRUE((*speaker)->take(titled).ok());
  (*speaker)->close();
  EXPECT_EQ((*speaker)->counters().spoken, 1u);
}

TEST_F(SpeakerTest, BadOptionsAndSpecs) {
  auto gate = std::make_shared<GatedOutput::Shared>();
  EXPECT_EQ(Speaker::create(options(0), espeak(), std::make_unique<GatedOutput>(gate))
                .status().kind(),
            StatusKind::invalid_argument);
  EXPECT_FALSE(Speaker::create(options(), nullptr, std::make_unique<GatedOutput>(gate)).ok());

  SpeakerSpec bad_speech;
  bad_speech.speech = "festival";
  Result<std::shared_ptr<Speaker>> s1 = make_speaker(bad_speech);
  ASSERT_FALSE(s1.ok());
  EXPECT_NE(s1.status().message().find("'espeak' or 'openai'"), std::string::npos);
  SpeakerSpec bad_output;
  bad_output.audio_output = "speakers";
  Result<std::shared_ptr<Speaker>> s2 = make_speaker(bad_output);
  ASSERT_FALSE(s2.ok());
  EXPECT_NE(s2.status().message().find("'wav:DIR'"), std::string::npos);
  SpeakerSpec bad_voice;
  bad_voice.voice = "klingon-xx";
  EXPECT_EQ(make_speaker(bad_voice).status().kind(), StatusKind::not_found);
}

TEST_F(SpeakerTest, MakeSpeakerWritesWavFiles) {
  SpeakerSpec spec;
  spec.audio_output = "wav:" + dir_.file("spec").string();
  spec.voice = "en-us";
  Result<std::shared_ptr<Speaker>> speaker = make_speaker(spec);
  ASSERT_TRUE(speaker.ok()) << speaker.status().message();
  ASSERT_TRUE((*speaker)->take(summary("Cache misses doubled.")).ok());
  (*speaker)->close();
  EXPECT_TRUE(decode_wav(dir_.read("spec/speech-000001.wav")).ok());
}

// auto:DIR with no sound device (SDL made to look for a driver that does not exist): WAV
// files in DIR, and one diagnostic saying where they go.
TEST_F(SpeakerTest, AutoOutputWritesWavFilesWithoutADevice) {
  const test::ScopedEnv no_device("SDL_AUDIODRIVER", "no-such-driver");
  std::vector<Diagnostic> diagnostics;
  SpeakerSpec spec;
  spec.audio_output = "auto:" + dir_.file("auto").string();
  spec.options.on_diagnostic = [&](const Diagnostic& d) { diagnostics.push_back(d); };
  Result<std::shared_ptr<Speaker>> speaker = make_speaker(spec);
  ASSERT_TRUE(speaker.ok()) << speaker.status().message();
  ASSERT_TRUE((*speaker)->take(summary("Disk usage crossed ninety percent.")).ok());
  (*speaker)->close();
  Result<PcmAudio> written = decode_wav(dir_.read("auto/speech-000001.wav"));
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_GT(written->duration(), std::chrono::milliseconds(500));
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].kind, DiagnosticKind::audio_fallback);
  EXPECT_NE(diagnostics[0].message.find(dir_.file("auto").string()), std::string::npos)
      << diagnostics[0].message;
}

}  // namespace
}  // namespace logtail
