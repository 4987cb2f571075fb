// Generator: produces the lines of a realistic application log, one physical line at a time.
//
// Pure apart from the clock: for a given seed and options the sequence of lines is always the
// same, except for the parts that are real time by request (--clock wall, --timestamp-us).
// Multi-line events (stack traces) come out as several calls, so callers can stop, count and
// rotate by physical lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rng.h"

namespace loggen {

struct GeneratorOptions {
  std::uint64_t seed = 1;
  // Emit bursts of ERROR / FATAL / CRITICAL lines and stack traces.
  bool incident_bursts = false;
  // Average number of lines between the starts of two bursts. 0: about ten seconds of log
  // time (10 x rate lines at a set rate; 10000 lines, at about 1 ms each, otherwise).
  std::uint64_t burst_every = 0;
  // End every line with " seq=N", N counting physical lines from 0.
  bool sequence = false;
  // Add " t_us=N": the real time (microseconds since the epoch) the line was made.
  bool timestamp_us = false;
  // Timestamps from the real clock instead of a simulated one starting at a fixed instant.
  bool wall_clock = false;
  // Lines per second; sets the simulated clock's step. 0: a random step of about 1 ms.
  double rate = 0;
};

class Generator {
 public:
  // Room a caller must leave for one line, newline included.
  static constexpr std::size_t kMaxLine = 1024;

  explicit Generator(const GeneratorOptions& options);

  // Writes the next line, '\n' included, at `out` and returns its length.
  std::size_t next(char* out);

  // Physical lines produced so far.
  std::uint64_t lines() const { return seq_; }

 private:
  enum class Incident : std::uint8_t { db_timeout, out_of_memory, disk_full, exception };
  enum class Frames : std::uint8_t { native, java };

  class Writer;

  void normal_line(Writer& w);
  void request_line(Writer& w);
  void debug_line(Writer& w);
  void info_line(Writer& w);
  void warn_line(Writer& w);
  void incident_line(Writer& w);
  void frame_line(Writer& w);
  void restart_line(Writer& w);
  void header(Writer& w, std::string_view level, std::size_t service);
  void request_id(Writer& w);
  void path(Writer& w);
  void timestamp(Writer& w);
  std::uint64_t next_burst_gap(bool first);

  GeneratorOptions options_;
  Rng rng_;
  std::uint64_t seq_ = 0;
  std::uint32_t pids_[8] = {};

  // Simulated clock, microseconds since the epoch.
  std::uint64_t sim_us_;
  double sim_step_us_;
  double sim_frac_ = 0;
  // The formatted "YYYY-MM-DDTHH:MM:SS." of cached_second_.
  std::int64_t cached_second_ = -1;
  char cached_prefix_[20] = {};

  // Bursts: the mean gap, lines until the next one starts, incident lines left in the
  // current one.
  std::uint64_t burst_every_;
  std::uint64_t until_burst_ = 0;
  std::uint32_t burst_left_ = 0;
  Incident burst_kind_ = Incident::db_timeout;
  std::size_t burst_service_ = 0;

  // Continuation lines of the stack trace being written, and a pending restart notice.
  std::uint32_t frames_left_ = 0;
  std::uint32_t frame_depth_ = 0;
  Frames frame_style_ = Frames::native;
  std::size_t frame_service_ = 0;
  bool restart_pending_ = false;
  std::size_t restart_service_ = 0;
};

}  // namespace loggen
