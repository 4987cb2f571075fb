// Speaker: a SummarySink that reads each summary aloud.
//
// take() cleans the summary's sentence (speech_text.h), has the synth make a clip of it and
// queues the clip; a playback thread of the speaker's own plays the queued clips one after
// another through the output. take() returns once the clip is queued, so the summary's
// events are acknowledged then, not when the clip has been heard.
//
// Queue policy: keep-newest. The queue holds `queue_capacity` clips; when a new clip finds
// it full, the oldest unplayed clip is dropped (an incident from a minute ago matters less
// than the one now), counted as skipped and reported as a speech_dropped diagnostic with the
// number skipped so far. The clip being played is never cut off.
//
// close() (also run by the destructor) stops taking summaries and plays what is queued,
// waiting at most `close_timeout`; what is still queued then is dropped, counted as skipped
// and reported. The clip playing at that moment still plays to its end (an output bounds
// that itself: the SDL output by the clip's length plus its slack).
//
// Threads: take() on the summarizer's worker thread; play() on the speaker's playback
// thread. The diagnostics handler may be called from either, never from two at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "logtail/diagnostic.h"
#include "logtail/speech.h"
#include "logtail/summary.h"

namespace logtail {

struct SpeakerOptions {
  std::size_t queue_capacity = 4;  // clips waiting to be played
  std::size_t max_chars = 400;     // the longest text spoken (clean_speech_text)
  std::chrono::milliseconds close_timeout{30000};
  DiagnosticHandler on_diagnostic;  // dropped clips, playback failures
};

struct SpeakerCounters {
  std::uint64_t spoken = 0;   // clips the output played to their end
  std::uint64_t skipped = 0;  // clips dropped unplayed (keep-newest, or close() ran out of time)
  std::uint64_t failed = 0;   // summaries that could not be synthesized, clips that failed to play
};

class Speaker final : public SummarySink {
 public:
  // Errors name the bad option. The playback thread starts here.
  static Result<std::shared_ptr<Speaker>> create(SpeakerOptions options,
                                                 std::unique_ptr<SpeechSynth> synth,
                                                 std::unique_ptr<AudioOutput> output);
  ~Speaker() override;
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  std::string_view name() const override { return "speaker"; }
  // The summary's text (its title when the text is empty), cleaned, synthesized, queued.
  // A summary with nothing speakable is taken as it is. A synth failure is returned (the
  // summarizer reports it, and the events come again after a restart) and counted as failed.
  Status take(const Summary& summary) override;
  // Idempotent. After it, take() fails with StatusKind::failed_precondition.
  void close();
  SpeakerCounters counters() const;

  struct State;  // the queue and the playback thread (src/speaker)

 private:
  explicit Speaker(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// A speaker from plain strings, for commands and configuration files.
struct SpeakerSpec {
  // "espeak", or "openai" (an OpenAI-compatible /audio/speech endpoint, with espeak as the
  // fallback when it fails).
  std::string speech = "espeak";
  // The synth's voice; empty: its default ("en" for espeak, "alloy" for openai).
  std::string voice{};
  int rate = 175;      // espeak's words per minute
  int volume = 100;    // espeak's volume, 0 to 200
  // "device" (SDL's default, falling back to its dummy driver with a diagnostic), "dummy",
  // "disk" or "disk:FILE" (SDL's disk driver, raw audio into FILE), "wav:DIR" (WAV files),
  // or "auto:DIR" (the device when there is one, else WAV files in DIR, with a diagnostic).
  std::string audio_output = "device";
  // For speech "openai": the API's base URL ("https://api.openai.com/v1") and model; the key
  // comes from LOGTAIL_LLM_API_KEY, then OPENAI_API_KEY.
  std::string openai_base_url{};
  std::string openai_model = "tts-1";
  SpeakerOptions options{};
};

// Builds the synth, the output and the speaker; an error names the bad field and lists the
// accepted values.
Result<std::shared_ptr<Speaker>> make_speaker(SpeakerSpec spec);

}  // namespace logtail
