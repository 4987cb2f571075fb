// Summary: one sentence about a burst of incidents, and the sinks that take summaries.
//
// The summarizer (summarizer.h) turns windows of events into Summary objects and hands each
// to its downstream SummarySinks: a printer, a jsonl file, the speaker, a host callback.
//
// Thread: SummarySink::take runs on the summarizer's worker thread, one call at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/event.h"
#include "logtail/status.h"

namespace logtail {

// Repeats of one kind of line within a window (or within the history), collapsed.
struct SummaryGroup {
  std::uint64_t template_id = 0;  // templates.h's id of the group's first form
  std::string text;               // the template: the line with its variable parts masked
  std::string example;            // one line of the group as it was written
  std::uint64_t count = 0;        // events in the group
  Severity severity = Severity::info;  // the highest severity among them
  Clock::time_point first{};      // when the first and the last of them arrived
  Clock::time_point last{};
  bool is_new = false;            // no event of this template is in the history
};

struct Summary {
  std::string text;   // the one sentence
  std::string title;  // a few words ("payments.log: 42 errors")
  Severity severity = Severity::info;
  std::vector<std::string> services;  // impacted services, as the backend named them
  std::vector<std::string> sources;   // the files the events came from
  Clock::time_point window_start{};   // when the window's first event arrived
  Clock::time_point window_end{};     // when the window closed
  std::uint64_t event_count = 0;
  std::string backend;          // the backend that wrote it: "template", "openai"
  std::string fallback_reason;  // why the configured backend was not used; empty if it was
};

// Where summaries go. take() returning an error leaves the window's events unacknowledged
// (their lines come again after a restart) and is reported as a diagnostic.
class SummarySink {
 public:
  virtual ~SummarySink() = default;
  virtual std::string_view name() const = 0;
  virtual Status take(const Summary& summary) = 0;
};

// A SummarySink that calls `fn`, for hosts that want the summaries in their own code.
std::shared_ptr<SummarySink> summary_callback(std::function<Status(const Summary&)> fn);

// One JSON object per line (fields: time, text, title, severity, services, sources,
// window_start, window_end, events, backend, fallback), flushed after each summary.
// `path` "-" writes to standard output.
Result<std::shared_ptr<SummarySink>> summary_jsonl(const std::string& path);

// format_summary_line() and a newline per summary, on standard output.
std::shared_ptr<SummarySink> summary_text();

// The summary as one line for people, the window's end in local time:
// "10:15:02 [error] payments.log: 42 errors ...".
std::string format_summary_line(const Summary& summary);

}  // namespace logtail
