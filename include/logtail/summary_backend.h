// SummaryBackend: what writes the sentence for a window of incidents.
//
// `template` (the default) is deterministic and needs no network; `openai` asks any
// OpenAI-compatible chat endpoint (openai_backend.h). The summarizer falls back to the
// template backend whenever another backend fails, so a summary is never lost.
//
// Thread: summarize() runs on the summarizer's worker thread; it may block, bounded in time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/summary.h"

namespace logtail {

struct SummaryRequest {
  std::vector<std::string> sources;  // the files the window's events came from
  Clock::time_point window_start{};  // when the first event arrived
  Clock::time_point window_end{};    // when the window closed
  std::uint64_t event_count = 0;
  std::vector<SummaryGroup> groups;   // this window's events; most frequent first
  std::vector<SummaryGroup> history;  // already summarized, for context; most recent first
};

class SummaryBackend {
 public:
  virtual ~SummaryBackend() = default;
  virtual std::string_view name() const = 0;
  // The summary of `request`; sources, window, event_count and backend are filled in by the
  // summarizer when left empty.
  virtual Result<Summary> summarize(const SummaryRequest& request) = 0;
};

// The deterministic backend. Its sentence, for one file:
//   "payments.log: 42 errors in the last 5 seconds, mostly 'db timeout after <N> ms' (30);
//    new: 'FATAL out of memory'."
// docs/summarizer.md gives the exact rules.
std::unique_ptr<SummaryBackend> make_template_backend();

// The template backend's sentence and title, as pure functions.
std::string template_sentence(const SummaryRequest& request);
std::string template_title(const SummaryRequest& request);

}  // namespace logtail
