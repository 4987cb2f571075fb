// The core's built-in sinks.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>

#include "logtail/sink.h"

namespace logtail::sinks {

// One JSON object per event and line:
// {"ts":"2026-11-22T22:45:19.123Z","source":"/var/log/app.log","offset":1234,
//  "observer":"lines","kind":"line","severity":"info","message":"..."}
// plus "truncated":true for a cut line and "fields":{...} when the event has fields. Invalid
// UTF-8 and control bytes are escaped so every object is valid JSON. Events are acknowledged
// once written to the file descriptor (write(2) returned), batch by batch.
// Empty path or "-": standard output.
Result<std::shared_ptr<Sink>> jsonl(const std::filesystem::path& path);

// Renders one event the way jsonl() writes it, without the newline.
std::string to_json(const Event& event);

// Calls `fn` for each event on the loop thread and acknowledges it when fn returns OK.
std::shared_ptr<Sink> callback(std::function<Status(const Event&)> fn);

// Counts events and acknowledges them at once; for tests and benchmarks. Routed from one
// engine (whose loop thread is its only writer); events() and bytes() may be read from any
// thread.
class Counting final : public Sink {
 public:
  std::string_view name() const override { return "count"; }
  Status consume(const Event& event, Delivery& delivery) override;
  std::uint64_t events() const { return events_.load(std::memory_order_relaxed); }
  std::uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::uint64_t> bytes_{0};
};

}  // namespace logtail::sinks
