// Speech: what a synthesizer makes of a sentence, and where it is played.
//
// A SpeechSynth turns text into SpeechAudio: always a complete, self-contained audio file in
// memory (a WAV or an MP3 file, as it would be on disk), tagged with its format. Whole files
// rather than raw samples, because that is what remote speech APIs answer, what SDL_mixer
// decodes and what the wav output writes; a synth that makes raw samples (espeak) wraps them
// in a 16-bit PCM WAV (wav.h).
//
// An AudioOutput plays or writes one clip at a time and returns when it is done with it.
//
// Owner: the Speaker (speaker.h) owns its synth and output. Threads: a synth is called from
// one thread at a time (the summarizer's worker), an output from one thread at a time (the
// speaker's playback thread); neither is called from the engine's loop.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "logtail/diagnostic.h"
#include "logtail/status.h"

namespace logtail {

enum class AudioFormat : std::uint8_t { wav, mp3 };

// "wav", "mp3".
std::string_view to_string(AudioFormat format);

struct SpeechAudio {
  AudioFormat format = AudioFormat::wav;
  std::string bytes;  // the whole file
};

// The format of an audio file by its first bytes: "RIFF....WAVE" is WAV; an ID3 tag or an
// MPEG audio frame sync is MP3. Anything else is an error that says what the bytes look like.
Result<AudioFormat> sniff_audio_format(std::string_view bytes);

class SpeechSynth {
 public:
  virtual ~SpeechSynth() = default;
  // "espeak", "openai", ... for messages.
  virtual std::string_view name() const = 0;
  // Blocks until the whole clip is made. `text` is what is to be said, already cleaned
  // (speech_text.h); an empty text is an error.
  virtual Result<SpeechAudio> synthesize(std::string_view text) = 0;
};

class AudioOutput {
 public:
  virtual ~AudioOutput() = default;
  // "sdl", "wav", ... for messages.
  virtual std::string_view name() const = 0;
  // Blocks until the clip has been played (or written). An error names the clip's problem
  // (a file that does not decode) or the device's.
  virtual Status play(const SpeechAudio& audio) = 0;
};

// A synth that asks `primary` and, when it fails, `fallback`, reporting a speech_fallback
// diagnostic with the primary's reason (so a summary is still spoken when a remote speech
// service is down). Fails only when both fail, with both reasons. `on_diagnostic` is called
// on the thread that calls synthesize().
std::unique_ptr<SpeechSynth> make_fallback_synth(std::unique_ptr<SpeechSynth> primary,
                                                 std::unique_ptr<SpeechSynth> fallback,
                                                 DiagnosticHandler on_diagnostic);

}  // namespace logtail
