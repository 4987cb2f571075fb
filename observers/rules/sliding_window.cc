#include "rules/sliding_window.h"

namespace logtail::observers::rules {

void SlidingWindow::advance(Clock::time_point now) {
  if (!started_ || now > latest_) {
    latest_ = now;
    started_ = true;
  }
  const Clock::time_point cutoff = latest_ - width_;
  while (!buckets_.empty() && buckets_.front().t <= cutoff) {
    count_ -= buckets_.front().n;
    buckets_.pop_front();
  }
}

void SlidingWindow::add(Clock::time_point t, std::uint64_t n) {
  advance(t);
  if (n == 0) return;
  if (!buckets_.empty() && buckets_.back().t == latest_) {
    buckets_.back().n += n;
  } else {
    buckets_.push_back({latest_, n});
  }
  count_ += n;
}

}  // namespace logtail::observers::rules
