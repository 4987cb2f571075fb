// Dispatcher: the engine's Emitter. Turns what observers emit into Events, hands them to the
// routed sinks and records, per batch, which deliveries the sinks deferred.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commit_tracker.h"
#include "engine/ack_hub.h"
#include "logtail/observer.h"
#include "logtail/sink.h"

namespace logtail::detail {

struct ObserverSlot {
  std::unique_ptr<LineObserver> observer;
  std::string name;
  std::vector<Sink*> routes;
};

class Dispatcher final : public Emitter {
 public:
  using Emitter::emit;
  using ErrorHandler = std::function<void(Sink&, const Status&)>;

  Dispatcher(std::shared_ptr<AckHub> hub, ErrorHandler on_error)
      : hub_(std::move(hub)), on_error_(std::move(on_error)) {}

  // What the next emits belong to. `tracker` is null for events tied to no file (ticks,
  // shutdown); their tickets are still counted until settled.
  void begin(std::uint64_t stream, CommitTracker* tracker, std::uint64_t batch,
             std::string_view source, Clock::time_point now) {
    stream_ = stream;
    tracker_ = tracker;
    batch_ = batch;
    source_ = source;
    now_ = now;
  }
  void set_observer(const ObserverSlot& slot) { slot_ = &slot; }

  void emit(const Event& event) override;

  std::uint64_t events() const { return events_; }

 protected:
  std::string_view current_source() const override { return source_; }
  void emit_line(Severity severity, std::string_view kind, const Line& line,
                 std::string_view message, std::span<const Field> fields) override;

 private:
  class DeferredDelivery;

  // `event` is complete: time, observer and source filled in.
  void deliver(const Event& event);
  std::string_view observer_name() const {
    return slot_ ? std::string_view(slot_->name) : std::string_view("engine");
  }

  std::shared_ptr<AckHub> hub_;
  ErrorHandler on_error_;
  const ObserverSlot* slot_ = nullptr;
  std::uint64_t stream_ = 0;
  CommitTracker* tracker_ = nullptr;
  std::uint64_t batch_ = 0;
  std::string_view source_;
  Clock::time_point now_;
  std::uint64_t events_ = 0;
};

}  // namespace logtail::detail
