// The callback sink and the counting sink: the simplest sinks, acknowledging inline.
#include <exception>
#include <utility>

#include <fmt/format.h>

#include "logtail/sinks.h"

namespace logtail::sinks {
namespace {

class CallbackSink final : public Sink {
 public:
  explicit CallbackSink(std::function<Status(const Event&)> fn) : fn_(std::move(fn)) {}

  std::string_view name() const override { return "callback"; }

  // The function is host code: a throw becomes an error (the event stays unacknowledged)
  // rather than unwinding through the engine's loop.
  Status consume(const Event& event, Delivery& delivery) override {
    (void)delivery;
    if (!fn_) {
      return {StatusKind::invalid_argument,
              "callback sink has no function; pass a callable to sinks::callback"};
    }
    try {
      return fn_(event);
    } catch (const std::exception& e) {
      return {StatusKind::internal, fmt::format("callback sink threw: {}", e.what())};
    } catch (...) {
      return {StatusKind::internal, "callback sink threw an unknown exception"};
    }
  }

 private:
  std::function<Status(const Event&)> fn_;
};

}  // namespace

std::shared_ptr<Sink> callback(std::function<Status(const Event&)> fn) {
  return std::make_shared<CallbackSink>(std::move(fn));
}

Status Counting::consume(const Event& event, Delivery& delivery) {
  (void)delivery;
  // One writer, so a plain load and store: an atomic read-modify-write would cost a locked
  // instruction per event, a good part of the whole per-line path.
  events_.store(events_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  bytes_.store(bytes_.load(std::memory_order_relaxed) + event.message.size(),
               std::memory_order_relaxed);
  return {};
}

}  // namespace logtail::sinks
