// An exact sliding-window counter: how many events happened in the last `width` of time.
// Pure: time is passed in, never read.
//
// Events at the same instant share one bucket, and the observer stamps a whole batch with
// one time, so memory grows with the number of distinct instants in a window (batches), not
// with the number of matching lines.
#pragma once

#include <cstdint>
#include <deque>

#include "logtail/event.h"

namespace logtail::observers::rules {

class SlidingWindow {
 public:
  explicit SlidingWindow(Clock::duration width) : width_(width) {}

  // Counts `n` events at `t`, after sliding the window to `t`. Time never runs backwards for
  // a window: a `t` before the latest one seen (a clock stepped back) counts as the latest.
  void add(Clock::time_point t, std::uint64_t n = 1);
  // Forgets events that left the window: those at or before now - width. An event at t is
  // counted while now - t < width.
  void advance(Clock::time_point now);
  // A new width; takes effect at the next advance() or add().
  void set_width(Clock::duration width) { width_ = width; }

  std::uint64_t count() const { return count_; }
  Clock::duration width() const { return width_; }
  // Distinct instants held; for tests of the memory bound.
  std::size_t buckets() const { return buckets_.size(); }

 private:
  struct Bucket {
    Clock::time_point t;
    std::uint64_t n;
  };
  Clock::duration width_;
  std::deque<Bucket> buckets_;
  std::uint64_t count_ = 0;
  Clock::time_point latest_{};
  bool started_ = false;
};

}  // namespace logtail::observers::rules
