// The SDL output: one device for the output's lifetime, one channel, one clip at a time.
#include <fmt/format.h>

#include <condition_variable>
#include <mutex>

#include "logtail/audio_outputs.h"
#include "sdl_audio.h"

namespace logtail {
namespace {

// Mix_ChannelFinished takes a plain function, and SDL_mixer calls it on SDL's audio thread
// (or inside Mix_HaltChannel). There is one SDL output per process (sdl_audio.h), so one
// set of these serves it.
std::mutex finished_mu;
std::condition_variable finished_cv;
bool finished = false;

void on_channel_finished(int /*channel*/) {
  // No SDL_mixer call here: SDL_mixer holds its audio lock while calling us.
  {
    std::lock_guard lock(finished_mu);
    finished = true;
  }
  finished_cv.notify_all();
}

class SdlOutput final : public AudioOutput {
 public:
  SdlOutput(std::unique_ptr<SdlAudio> sdl, std::chrono::milliseconds slack)
      : sdl_(std::move(sdl)), slack_(slack) {
    Mix_ChannelFinished(on_channel_finished);
  }
  ~SdlOutput() override { Mix_ChannelFinished(nullptr); }

  std::string_view name() const override { return "sdl"; }

  Status play(const SpeechAudio& audio) override {
    Result<MixChunk> chunk = sdl_->load(audio);
    if (!chunk.ok()) return chunk.status();
    const std::chrono::milliseconds length = sdl_->length(**chunk);
    {
      std::lock_guard lock(finished_mu);
      finished = false;
    }
    if (Mix_PlayChannel(0, chunk->get(), 0) == -1) {
      return Status(StatusKind::unavailable,
                    fmt::format("SDL_mixer could not play a clip on the '{}' driver: {}",
                                sdl_->driver(), Mix_GetError()));
    }
    // A device that stalls (a suspended sound server) must not hold the speaker forever.
    const auto limit = length + length / 2 + slack_;
    std::unique_lock lock(finished_mu);
    if (!finished_cv.wait_for(lock, limit, [] { return finished; })) {
      lock.unlock();
      Mix_HaltChannel(0);  // before the chunk is freed
      return Status(StatusKind::unavailable,
                    fmt::format("a clip of {} ms did not finish playing on SDL's '{}' driver "
                                "within {} ms; check the sound device",
                                length.count(), sdl_->driver(), limit.count()));
    }
    return {};
  }

 private:
  std::unique_ptr<SdlAudio> sdl_;
  std::chrono::milliseconds slack_;
};

Status check_options(const SdlOutputOptions& o) {
  if (o.sample_rate < 8000 || o.sample_rate > 192000) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("the SDL output's sample rate {}: use 8000 to 192000 Hz (44100 by "
                              "default)",
                              o.sample_rate));
  }
  if (o.channels != 1 && o.channels != 2) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("the SDL output's channels {}: use 1 or 2 (2 by default)",
                              o.channels));
  }
  if (o.slack.count() < 0) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("the SDL output's slack {} ms: use 0 or more (3s by default)",
                              o.slack.count()));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<AudioOutput>> make_sdl_output(SdlOutputOptions options) {
  if (Status s = check_options(options); !s.ok()) return s;
  Result<std::unique_ptr<SdlAudio>> sdl =
      SdlAudio::open(options.driver, options.disk_file, options.sample_rate, options.channels);
  if (!sdl.ok() && sdl.status().kind() == StatusKind::unavailable && options.driver.empty() &&
      !options.fallback_driver.empty()) {
    Result<std::unique_ptr<SdlAudio>> fallback = SdlAudio::open(
        options.fallback_driver, options.disk_file, options.sample_rate, options.channels);
    if (!fallback.ok()) {
      return Status(fallback.status().kind(),
                    fmt::format("{}; the fallback failed too: {}", sdl.status().message(),
                                fallback.status().message()));
    }
    if (options.on_diagnostic) {
      options.on_diagnostic(Diagnostic{
          DiagnosticKind::audio_fallback, Severity::warning, {},
          fmt::format("no sound device: {}; speech goes to SDL's '{}' driver instead{}",
                      sdl.status().message(), options.fallback_driver,
                      options.fallback_driver == "dummy" ? " (it is not heard)" : "")});
    }
    sdl = std::move(fallback);
  }
  if (!sdl.ok()) return sdl.status();
  return std::unique_ptr<AudioOutput>(std::make_unique<SdlOutput>(std::move(*sdl),
                                                                  options.slack));
}

}  // namespace logtail
