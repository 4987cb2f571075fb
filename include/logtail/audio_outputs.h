// The built-in audio outputs: SDL2_mixer (a sound device, or SDL's disk and dummy drivers for
// machines without one), and WAV files in a directory.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "logtail/diagnostic.h"
#include "logtail/speech.h"

namespace logtail {

struct SdlOutputOptions {
  // SDL's audio driver: "" for SDL's own choice (the SDL_AUDIODRIVER environment variable
  // when set, else the first that works: pipewire, pulseaudio, alsa, ...), or a name:
  // "pulseaudio", "alsa", "disk", "dummy".
  std::string driver{};
  // When `driver` is "" and no device can be opened: the driver used instead, after one
  // audio_fallback diagnostic. "dummy" (plays into nothing, in real time), "disk", or "" to
  // fail instead.
  std::string fallback_driver = "dummy";
  // For the disk driver: the file SDL writes the raw mixed audio to (signed 16-bit
  // little-endian, `channels` interleaved, at `sample_rate`). Set as the SDL_DISKAUDIOFILE
  // environment variable before SDL opens the device, since SDL 2 reads it from there.
  // Empty: SDL's default, sdlaudio.raw in the current directory.
  std::string disk_file{};
  int sample_rate = 44100;
  int channels = 2;
  // Added to a clip's own length to bound how long play() waits for it to end.
  std::chrono::milliseconds slack{3000};
  // The fallback above. Called on the thread that calls make_sdl_output.
  DiagnosticHandler on_diagnostic;
};

// Opens the audio device once, for the output's lifetime; play() decodes each clip with
// SDL_mixer (WAV or MP3), plays it and returns when it has finished, so clips never overlap.
//
// SDL's audio is process-wide: one SDL output may exist in a process at a time, and none
// while the host itself uses SDL audio. A second one fails with StatusKind::busy until the
// first is destroyed. Errors name the driver and SDL's reason.
Result<std::unique_ptr<AudioOutput>> make_sdl_output(SdlOutputOptions options = {});

// Writes each clip as a WAV file into `directory` (created if missing): speech-000001.wav,
// speech-000002.wav, ..., numbered on from the highest such file already there, so a restart
// does not overwrite earlier clips. Each file appears whole (written beside it, then renamed).
// WAV clips are written as they are; MP3 clips are decoded through SDL_mixer on SDL's dummy
// driver, which needs SDL's audio for the moment of the decode: while an SDL output exists in
// the process, an MP3 clip fails (ask the synth for WAV).
Result<std::unique_ptr<AudioOutput>> make_wav_output(std::filesystem::path directory);

}  // namespace logtail
