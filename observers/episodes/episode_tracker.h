// Coalescing slow values into episodes, for one source. Pure: times are passed in.
//
// Two clocks meet here. A line's time (its own timestamp, or its read time) places it in
// the episode and decides gaps between lines; the read time of the last slow line decides,
// on a tick, whether a quiet gap has passed with no line at all. Reading an old file from
// its start goes by the timestamps in it, and a live file goes quiet by the wall clock.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "logtail/event.h"

namespace logtail::observers::episodes {

struct Episode {
  Clock::time_point start;  // time of the first slow line
  Clock::time_point end;    // time of the last slow line
  std::uint64_t count = 0;  // slow lines
  double max_ms = 0;
  double sum_ms = 0;
  std::uint64_t first_offset = 0;  // of the first slow line

  double mean_ms() const { return count == 0 ? 0 : sum_ms / static_cast<double>(count); }
};

class EpisodeTracker {
 public:
  struct Limits {
    double threshold_ms = 0;
    Clock::duration gap{};  // above zero
    Clock::duration max{};  // above zero
  };
  explicit EpisodeTracker(Limits limits) : limits_(limits) {}

  // A line at `time` (its own or its read time), read at `read_time`, with its value when it
  // has one. An episode this line ends is appended to `closed`. A line without a value
  // still ends an open episode when it lies a gap past the last slow line; hosts pass such
  // lines only when their time is their own timestamp (a read time says nothing then).
  void line(Clock::time_point time, Clock::time_point read_time, std::optional<double> value_ms,
            std::uint64_t offset, std::vector<Episode>& closed);
  // Ends the open episode when no slow line was read for a gap up to `now` (wall clock).
  void tick(Clock::time_point now, std::vector<Episode>& closed);
  // Ends the open episode, if any.
  void flush(std::vector<Episode>& closed);

  bool open() const { return open_.has_value(); }

 private:
  Limits limits_;
  std::optional<Episode> open_;
  Clock::time_point last_read_{};  // read time of the open episode's last slow line
};

}  // namespace logtail::observers::episodes
