#include "logtail/speaker.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "logtail/speech_text.h"

namespace logtail {

struct Speaker::State {
  SpeakerOptions options;
  std::unique_ptr<SpeechSynth> synth;
  std::unique_ptr<AudioOutput> output;

  mutable std::mutex mu;
  std::condition_variable wake;  // a clip queued, or closing
  std::condition_variable idle;  // the queue emptied and nothing is playing
  std::deque<SpeechAudio> queue;
  bool playing = false;
  bool closing = false;
  bool closed = false;
  SpeakerCounters counters;
  std::thread player;

  std::mutex diagnostic_mu;  // one diagnostic at a time, whichever thread reports it

  void report(DiagnosticKind kind, Severity severity, std::string message) {
    if (!options.on_diagnostic) return;
    std::lock_guard lock(diagnostic_mu);
    options.on_diagnostic(Diagnostic{kind, severity, {}, std::move(message)});
  }

  void play_loop() {
    std::unique_lock lock(mu);
    for (;;) {
      wake.wait(lock, [&] { return !queue.empty() || closing; });
      if (queue.empty()) return;  // closing, and everything played
      SpeechAudio clip = std::move(queue.front());
      queue.pop_front();
      playing = true;
      lock.unlock();
      Status played = output->play(clip);
      lock.lock();
      playing = false;
      if (played.ok()) {
        ++counters.spoken;
      } else {
        ++counters.failed;
        lock.unlock();
        report(DiagnosticKind::sink_error, Severity::error,
               fmt::format("the speaker's output '{}' failed to play a clip: {}",
                           output->name(), played.message()));
        lock.lock();
      }
      if (queue.empty()) idle.notify_all();
    }
  }
};

Result<std::shared_ptr<Speaker>> Speaker::create(SpeakerOptions options,
                                                 std::unique_ptr<SpeechSynth> synth,
                                                 std::unique_ptr<AudioOutput> output) {
  if (!synth || !output) {
    return Status(StatusKind::invalid_argument,
                  "the speaker needs a speech synth and an audio output: make them with "
                  "make_espeak_synth and make_sdl_output (or use make_speaker)");
  }
  if (options.queue_capacity == 0) {
    return Status(StatusKind::invalid_argument,
                  "the speaker's queue_capacity 0: use 1 or more clips (4 by default)");
  }
  if (options.max_chars < 10) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("the speaker's max_chars {}: use 10 or more characters (400 by "
                              "default)",
                              options.max_chars));
  }
  if (options.close_timeout.count() < 0) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("the speaker's close_timeout {} ms: use 0 or more (30s by "
                              "default)",
                              options.close_timeout.count()));
  }
  auto state = std::make_unique<State>();
  state->options = std::move(options);
  state->synth = std::move(synth);
  state->output = std::move(output);
  State* raw = state.get();
  state->player = std::thread([raw] { raw->play_loop(); });
  return std::shared_ptr<Speaker>(new Speaker(std::move(state)));
}

Speaker::Speaker(std::unique_ptr<State> state) : state_(std::move(state)) {}

Speaker::~Speaker() { close(); }

Status Speaker::take(const Summary& summary) {
  State& s = *state_;
  {
    std::lock_guard lock(s.mu);
    if (s.closing) {
      return Status(StatusKind::failed_precondition,
                    "the speaker is closed and takes no more summaries");
    }
  }
  const std::string text =
      clean_speech_text(summary.text.empty() ? summary.title : summary.text,
                        s.options.max_chars);
  if (text.empty()) return {};  // nothing to say is not a failure
  Result<SpeechAudio> clip = s.synth->synthesize(text);
  if (!clip.ok()) {
    std::lock_guard lock(s.mu);
    ++s.counters.failed;
    return Status(clip.status().kind(),
                  fmt::format("the speaker's synth '{}' failed: {}", s.synth->name(),
                              clip.status().message()));
  }
  std::uint64_t skipped = 0;
  {
    std::lock_guard lock(s.mu);
    if (s.closing) {
      return Status(StatusKind::failed_precondition,
                    "the speaker closed while the summary was being synthesized");
    }
    if (s.queue.size() >= s.options.queue_capacity) {
      s.queue.pop_front();
      skipped = ++s.counters.skipped;
    }
    s.queue.push_back(std::move(*clip));
  }
  s.wake.notify_one();
  if (skipped > 0) {
    s.report(DiagnosticKind::speech_dropped, Severity::warning,
             fmt::format("the speaker skipped an unplayed clip to keep up with newer summaries "
                         "(keep-newest, queue of {}); {} skipped so far",
                         s.options.queue_capacity, skipped));
  }
  return {};
}

void Speaker::close() {
  State& s = *state_;
  std::unique_lock lock(s.mu);
  if (s.closed) return;
  s.closing = true;
  s.closed = true;
  s.wake.notify_all();
  const bool drained = s.idle.wait_for(lock, s.options.close_timeout,
                                       [&] { return s.queue.empty() && !s.playing; });
  std::size_t dropped = 0;
  if (!drained) {
    dropped = s.queue.size();
    s.queue.clear();
    s.counters.skipped += dropped;
  }
  lock.unlock();
  if (!drained) {
    s.report(DiagnosticKind::speech_dropped, Severity::warning,
             fmt::format("the speaker's close_timeout of {} ms passed before the queue was "
                         "played; {} clip{} dropped unplayed",
                         s.options.close_timeout.count(), dropped, dropped == 1 ? "" : "s"));
  }
  // The clip playing now ends within the output's own bound.
  s.player.join();
}

SpeakerCounters Speaker::counters() const {
  std::lock_guard lock(state_->mu);
  return state_->counters;
}

}  // namespace logtail
