// Summarizer: a sink that batches incident events into windows and hands one Summary per
// window to its downstream SummarySinks.
//
// Windows are tumbling: a window opens with its first event and closes when `window` has
// passed or `max_events` have arrived, whichever comes first; an empty window produces
// nothing. Repeats are collapsed by template before the backend sees them. At most
// `max_per_minute` summaries are handed on per minute: a window that closes while the limit
// is reached stays open and keeps collecting, so in a flood windows merge instead of
// queueing up.
//
// Delivery: an event is acknowledged when the summary that covers it has been taken by
// every downstream sink. If that fails, or the process dies first, its line is delivered
// again after a restart. close() (the engine's clean stop, --once) summarizes the open
// window, whatever the rate limit, and hands it on before returning.
//
// Threads: consume() on the engine's loop thread; the backend, the downstream sinks and
// the diagnostics handler on the summarizer's own worker thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "logtail/diagnostic.h"
#include "logtail/queued_sink.h"
#include "logtail/summary.h"
#include "logtail/summary_backend.h"

namespace logtail {

struct SummarizerOptions {
  std::chrono::milliseconds window{5000};
  std::size_t max_events = 100;
  // Already-summarized events kept as context for the backend; oldest dropped first.
  std::size_t history_depth = 1024;
  // Summaries handed on per minute at most; 0: no limit.
  std::size_t max_per_minute = 12;
  // Events queued between the engine and the worker; when full, the engine stops reading.
  std::size_t queue_capacity = 4096;
  // Distinct templates kept per window; events of further templates are counted in the
  // last group ("other lines"), so memory stays bounded in any flood.
  std::size_t max_groups = 256;
  // close() waits this long for the last summary (a slow LLM call included); if it passes,
  // that is reported and the events not yet summarized come again after a restart.
  std::chrono::milliseconds close_timeout{60000};
  // Fallbacks and downstream failures. Worker thread.
  DiagnosticHandler on_diagnostic;
};

struct SummarizerCounters {
  std::uint64_t summaries = 0;  // handed to every downstream sink
  std::uint64_t fallbacks = 0;  // written by the template backend after another one failed
  std::uint64_t failed = 0;     // a downstream sink refused them
};

class Summarizer final : public QueuedSink {
 public:
  // `backend` null: the template backend. Errors name the bad option.
  static Result<std::shared_ptr<Summarizer>> create(
      SummarizerOptions options, std::unique_ptr<SummaryBackend> backend,
      std::vector<std::shared_ptr<SummarySink>> downstream);
  ~Summarizer() override;

  std::string_view name() const override { return "summary"; }
  SummarizerCounters counters() const;

  struct State;  // the worker's batching state (src/summarizer)

 private:
  Summarizer(SummarizerOptions options, std::unique_ptr<SummaryBackend> backend,
             std::vector<std::shared_ptr<SummarySink>> downstream);
  void take(const Event& event, Ticket ticket) override;
  void on_idle(Clock::time_point now) override;
  void finish() override;
  void summarize_and_hand_on(Clock::time_point now);

  std::unique_ptr<State> state_;
};

}  // namespace logtail
