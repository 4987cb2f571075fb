#include "episodes/episode_tracker.h"

#include <algorithm>

namespace logtail::observers::episodes {

void EpisodeTracker::line(Clock::time_point time, Clock::time_point read_time,
                          std::optional<double> value_ms, std::uint64_t offset,
                          std::vector<Episode>& closed) {
  const bool slow = value_ms && *value_ms >= limits_.threshold_ms;
  if (open_) {
    // A line out of order (writers racing to the file) that is earlier than the last slow
    // one is inside the episode, not a gap.
    const bool quiet = time - open_->end >= limits_.gap;
    const bool too_long = slow && time - open_->start >= limits_.max;
    if (quiet || too_long) flush(closed);
  }
  if (!slow) return;
  if (!open_) {
    open_ = Episode{time, time, 0, *value_ms, 0, offset};
  }
  Episode& e = *open_;
  e.end = std::max(e.end, time);
  ++e.count;
  e.max_ms = std::max(e.max_ms, *value_ms);
  e.sum_ms += *value_ms;
  last_read_ = read_time;
}

void EpisodeTracker::tick(Clock::time_point now, std::vector<Episode>& closed) {
  if (open_ && now - last_read_ >= limits_.gap) flush(closed);
}

void EpisodeTracker::flush(std::vector<Episode>& closed) {
  if (!open_) return;
  closed.push_back(*open_);
  open_.reset();
}

}  // namespace logtail::observers::episodes
