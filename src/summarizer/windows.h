// Windows: the summarizer's batching, as a pure state machine over events and times.
//
// A window opens with its first event and is due when `window` has passed since then or
// `max_events` have arrived, and the rate limit allows another summary. Repeats collapse
// into groups by template (templates.h). take() turns the window into a SummaryRequest and
// moves its events into the bounded history.
//
// Thread: one at a time (the summarizer's worker).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "logtail/event.h"
#include "logtail/summary_backend.h"
#include "logtail/templates.h"

namespace logtail::summarizer {

struct WindowOptions {
  std::chrono::milliseconds window{5000};
  std::size_t max_events = 100;
  std::size_t history_depth = 1024;
  std::size_t max_per_minute = 12;  // 0: no limit
  std::size_t max_groups = 256;
};

class Windows {
 public:
  explicit Windows(WindowOptions options);

  // Files `event` (arrived at `now`) into the open window, opening one if there is none.
  void add(const Event& event, Clock::time_point now);

  bool empty() const { return events_ == 0; }
  std::uint64_t events() const { return events_; }

  // True when the open window has closed by time or count and the rate limit allows a
  // summary at `now`.
  bool due(Clock::time_point now) const;

  // The open window as a request (closed at `now`), its events moved into the history, and
  // `now` counted against the rate limit. The window is empty afterwards.
  SummaryRequest take(Clock::time_point now);

  // Events kept in the history (at most history_depth).
  std::size_t history_events() const { return history_events_; }

 private:
  struct HistoryEntry {
    SummaryGroup group;  // count: how many of its events are still kept
  };

  bool rate_allows(Clock::time_point now) const;
  std::vector<SummaryGroup> history_groups() const;
  void remember(const SummaryGroup& group);

  WindowOptions options_;
  TemplateIndex templates_;

  // The open window.
  std::uint64_t events_ = 0;
  Clock::time_point opened_{};
  std::vector<SummaryGroup> groups_;
  std::unordered_map<std::uint64_t, std::size_t> group_of_;  // template id -> groups_ index
  std::vector<std::string> sources_;

  // Already summarized, oldest first; counts per template for "is this new".
  std::deque<HistoryEntry> history_;
  std::size_t history_events_ = 0;
  std::unordered_map<std::uint64_t, std::uint64_t> history_counts_;

  // When the summaries of the last minute were taken.
  std::deque<Clock::time_point> taken_;
};

}  // namespace logtail::summarizer
