// The process's one use of SDL's audio and SDL_mixer, as an object: opened with one driver,
// closed (Mix_CloseAudio, SDL_QuitSubSystem) when destroyed.
//
// SDL keeps its audio device, its driver choice and SDL_mixer's channels in process
// globals, so at most one SdlAudio exists at a time; open() fails with StatusKind::busy
// while another does, or while the host has SDL's audio initialised itself.
#pragma once

#include <SDL2/SDL_mixer.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "logtail/speech.h"
#include "logtail/wav.h"

namespace logtail {

struct ChunkDeleter {
  void operator()(Mix_Chunk* chunk) const { Mix_FreeChunk(chunk); }
};
using MixChunk = std::unique_ptr<Mix_Chunk, ChunkDeleter>;

class SdlAudio {
 public:
  // `driver` "" is SDL's own choice (SDL_AUDIODRIVER when set). `disk_file`, when not empty,
  // is exported as SDL_DISKAUDIOFILE first.
  static Result<std::unique_ptr<SdlAudio>> open(const std::string& driver,
                                                const std::string& disk_file, int sample_rate,
                                                int channels);
  ~SdlAudio();
  SdlAudio(const SdlAudio&) = delete;
  SdlAudio& operator=(const SdlAudio&) = delete;

  // The driver SDL is using: "pulseaudio", "disk", ...
  const std::string& driver() const { return driver_; }
  int sample_rate() const { return rate_; }
  int channels() const { return channels_; }

  // The clip decoded into the device's format.
  Result<MixChunk> load(const SpeechAudio& audio) const;
  // How long a loaded chunk plays.
  std::chrono::milliseconds length(const Mix_Chunk& chunk) const;

 private:
  SdlAudio() = default;
  std::string driver_;
  int rate_ = 0;
  int channels_ = 0;
  int bytes_per_frame_ = 0;
};

// An MP3 or WAV clip as 16-bit PCM at `sample_rate`, mono: through SDL_mixer on SDL's dummy
// driver, claiming SDL's audio for the moment of the decode.
Result<PcmAudio> decode_with_sdl(const SpeechAudio& audio, int sample_rate);

}  // namespace logtail
