// The summarizer sink: windows on the worker thread, a backend with the template fallback,
// downstream sinks, and the tickets a summary settles.
#include "logtail/summarizer.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "windows.h"

namespace logtail {

struct Summarizer::State {
  SummarizerOptions options;
  summarizer::Windows windows;
  std::unique_ptr<SummaryBackend> backend;
  std::unique_ptr<SummaryBackend> fallback = make_template_backend();
  std::vector<std::shared_ptr<SummarySink>> downstream;
  std::vector<Ticket> tickets;  // the open window's events, settled by its summary

  mutable std::mutex counters_mu;
  SummarizerCounters counters;

  State(SummarizerOptions o, std::unique_ptr<SummaryBackend> b,
        std::vector<std::shared_ptr<SummarySink>> d)
      : options(std::move(o)),
        windows(summarizer::WindowOptions{options.window, options.max_events,
                                          options.history_depth, options.max_per_minute,
                                          options.max_groups}),
        backend(std::move(b)),
        downstream(std::move(d)) {}

  void report(DiagnosticKind kind, Severity severity, std::string message) const {
    if (options.on_diagnostic) {
      options.on_diagnostic(Diagnostic{kind, severity, "", std::move(message)});
    }
  }
};

namespace {

QueueOptions queue_options(const SummarizerOptions& o) {
  QueueOptions q;
  q.capacity = o.queue_capacity;
  q.overflow = Overflow::block;
  // Often enough that a window closes within a tenth of its length of its deadline.
  using std::chrono::milliseconds;
  q.idle_interval = std::clamp<milliseconds>(o.window / 10, milliseconds(10), milliseconds(250));
  q.close_timeout = o.close_timeout;
  return q;
}

}  // namespace

Result<std::shared_ptr<Summarizer>> Summarizer::create(
    SummarizerOptions options, std::unique_ptr<SummaryBackend> backend,
    std::vector<std::shared_ptr<SummarySink>> downstream) {
  if (options.window.count() <= 0) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("summary window {} ms: give a window of at least 1 ms",
                              options.window.count()));
  }
  if (options.max_events == 0) {
    return Status(StatusKind::invalid_argument,
                  "summary window of 0 events: give at least 1 event per window");
  }
  if (options.queue_capacity == 0) {
    return Status(StatusKind::invalid_argument,
                  "summarizer queue of 0 events: give a capacity of at least 1");
  }
  if (options.max_groups == 0) {
    return Status(StatusKind::invalid_argument,
                  "summarizer with 0 groups per window: give at least 1");
  }
  if (options.close_timeout.count() <= 0) {
    return Status(StatusKind::invalid_argument,
                  "summarizer close timeout must be positive");
  }
  for (const auto& sink : downstream) {
    if (!sink) {
      return Status(StatusKind::invalid_argument,
                    "summarizer downstream sink is null: pass a SummarySink");
    }
  }
  if (!backend) backend = make_template_backend();
  return std::shared_ptr<Summarizer>(
      new Summarizer(std::move(options), std::move(backend), std::move(downstream)));
}

Summarizer::Summarizer(SummarizerOptions options, std::unique_ptr<SummaryBackend> backend,
                       std::vector<std::shared_ptr<SummarySink>> downstream)
    : QueuedSink(queue_options(options)),
      state_(std::make_unique<State>(std::move(options), std::move(backend),
                                     std::move(downstream))) {}

Summarizer::~Summarizer() { stop_worker(); }

SummarizerCounters Summarizer::counters() const {
  std::lock_guard lock(state_->counters_mu);
  return state_->counters;
}

void Summarizer::take(const Event& event, Ticket ticket) {
  const auto now = Clock::now();
  state_->windows.add(event, now);
  state_->tickets.push_back(std::move(ticket));
  if (state_->windows.due(now)) summarize_and_hand_on(now);
}

void Summarizer::on_idle(Clock::time_point now) {
  if (state_->windows.due(now)) summarize_and_hand_on(now);
}

void Summarizer::finish() {
  // A clean stop: the open window is summarized whatever the rate limit.
  if (!state_->windows.empty()) summarize_and_hand_on(Clock::now());
}

void Summarizer::summarize_and_hand_on(Clock::time_point now) {
  State& s = *state_;
  const SummaryRequest request = s.windows.take(now);
  std::vector<Ticket> tickets = std::move(s.tickets);
  s.tickets.clear();

  Result<Summary> result = s.backend->summarize(request);
  bool fell_back = false;
  if (!result.ok()) {
    const std::string reason = result.status().message();
    s.report(DiagnosticKind::summary_fallback, Severity::warning,
             fmt::format("summary backend '{}' failed: {}; the template sentence is used "
                         "instead",
                         s.backend->name(), reason));
    result = s.fallback->summarize(request);
    if (result.ok()) result->fallback_reason = reason;
    fell_back = true;
  }
  if (!result.ok()) {
    // The template backend does not fail; if it ever did, the events stay unacknowledged.
    s.report(DiagnosticKind::sink_error, Severity::error,
             fmt::format("no summary could be written: {}", result.status().message()));
    return;
  }
  Summary& summary = *result;
  if (summary.sources.empty()) summary.sources = request.sources;
  if (summary.window_start == Clock::time_point{}) summary.window_start = request.window_start;
  if (summary.window_end == Clock::time_point{}) summary.window_end = request.window_end;
  if (summary.event_count == 0) summary.event_count = request.event_count;
  if (summary.backend.empty()) {
    summary.backend = fell_back ? "template" : std::string(s.backend->name());
  }

  bool taken = true;
  for (const auto& sink : s.downstream) {
    Status status = sink->take(summary);
    if (!status.ok()) {
      taken = false;
      s.report(DiagnosticKind::sink_error, Severity::error,
               fmt::format("summary sink '{}' failed: {}; the {} events it covers come again "
                           "after a restart",
                           sink->name(), status.message(), request.event_count));
    }
  }
  {
    std::lock_guard lock(s.counters_mu);
    if (fell_back) ++s.counters.fallbacks;
    if (taken) ++s.counters.summaries;
    else ++s.counters.failed;
  }
  if (!taken) return;  // the tickets go unsettled: their lines are not committed
  for (Ticket& t : tickets) t.ack();
}

}  // namespace logtail
