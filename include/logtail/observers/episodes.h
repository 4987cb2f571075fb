// The `episodes` observer: coalesces slow lines (a latency, a stall time) into episodes and
// emits one event per episode instead of one per line.
//
// Each line yields a value (from a regex capture or a JSON field) in a unit, normalised to
// milliseconds. A value at or above the threshold opens an episode; later such values extend
// it while they come within the quiet gap of the previous one. An episode closes when a gap
// passes with none, or when the next one would make it longer than `max` (that line then
// opens a new episode), so steady slow traffic still yields an event every `max`.
//
// Owner: the engine once added. Threads: LineObserver calls on the engine's loop thread;
// counters() from any thread. See docs/observers/episodes.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "logtail/event.h"
#include "logtail/observer.h"
#include "logtail/status.h"

namespace logtail::observers {

enum class ValueUnit : std::uint8_t { us, ms, s };

// "us", "ms", "s".
std::string_view to_string(ValueUnit unit);

struct EpisodeOptions {
  // Where each line's value comes from: set exactly one.
  // An ECMAScript regex with one capture for the value, preferably named: (?<ms>\d+) or
  // (?P<ms>\d+). A group named us, ms or s also gives the unit. Without a named group the
  // first capture is the value.
  std::string regex;
  // A dotted JSON field path ("timings.total_ms"); needs logtail built with simdjson.
  std::string json_field;
  // The unit of a value written as a bare number. Unset: the regex group's name when it is
  // a unit, else ms. A value written with its own suffix ("1.2s", "850us") uses that.
  std::optional<ValueUnit> unit;
  // Values at or above this (in ms, above zero) are slow.
  double threshold_ms = 0;
  // Quiet time that ends an episode; above zero.
  std::chrono::milliseconds gap{5000};
  // Longest episode; above zero.
  std::chrono::milliseconds max{60'000};
  // Episodes with fewer lines end without an event (counted in short_episodes).
  std::uint64_t min_lines = 1;
  // The read time of each batch (called once per batch, on the loop thread): the time of
  // lines that do not start with their own timestamp, and what on_tick's `now` is compared
  // with to end an episode that went quiet. Empty: Clock::now, the engine's clock.
  std::function<Clock::time_point()> clock;
};

// Parses the registry's compact form:
//   regex:PATTERN[,OPTION=VALUE]...   or   json:FIELD[,OPTION=VALUE]...
// with the options threshold (required), gap, max (durations with a unit: 250us, 500ms,
// 5s, 2m, 1h), unit (us, ms, s) and min (lines). Options are read from the end, so the
// pattern may itself hold commas:
//   regex:total_pre_upstream=(?<ms>\d+)ms,threshold=500ms,gap=5s,max=60s
Result<EpisodeOptions> parse_episode_spec(std::string_view spec);

struct EpisodeCounters {
  std::uint64_t values = 0;             // lines that yielded a value
  std::uint64_t unreadable_values = 0;  // matched, but the capture is not a number
  std::uint64_t clipped_lines = 0;      // lines longer than the regex sees (see the docs)
  std::uint64_t episodes = 0;           // events emitted
  std::uint64_t short_episodes = 0;     // closed with fewer than min_lines lines
};

class EpisodesObserver final : public LineObserver {
 public:
  // Checks the options (an error names the option and the fix) and compiles the regex.
  static Result<std::unique_ptr<EpisodesObserver>> create(EpisodeOptions options);
  ~EpisodesObserver() override;
  EpisodesObserver(const EpisodesObserver&) = delete;
  EpisodesObserver& operator=(const EpisodesObserver&) = delete;

  std::string_view name() const override { return "episodes"; }
  void on_line(const Line& line, Emitter& out) override;
  void on_batch(const LineBatch& batch, Emitter& out) override;
  // Closes episodes whose quiet gap has passed.
  void on_tick(Clock::time_point now, Emitter& out) override;
  // Closes every open episode.
  void on_shutdown(Emitter& out) override;

  // Any thread.
  EpisodeCounters counters() const;

 private:
  class Impl;
  explicit EpisodesObserver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The registry's factory for `--observer episodes=SPEC` (see parse_episode_spec).
Result<std::unique_ptr<LineObserver>> make_episodes_observer(std::string_view arg);

}  // namespace logtail::observers
