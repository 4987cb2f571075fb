// Sink: where events go, and how a sink acknowledges them.
//
// Delivery is at-least-once: a file's committed offset moves past a line only when every sink
// that received an event from it (or from an earlier line) has acknowledged it. A sink
// acknowledges an event either by returning OK from consume() or, when it cannot tell yet
// (buffered writes, a worker thread), by deferring: it takes a Ticket and settles it later,
// from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "logtail/event.h"
#include "logtail/status.h"

namespace logtail {

namespace detail {
class AckHub;
}

// A deferred acknowledgement for one event. Move-only; settle it exactly once, from any thread.
// A Ticket destroyed unsettled counts as a failed delivery: the event's line is never
// committed, so after a restart it (and what follows) is delivered again.
class Ticket {
 public:
  Ticket() = default;
  Ticket(Ticket&& other) noexcept;
  Ticket& operator=(Ticket&& other) noexcept;
  Ticket(const Ticket&) = delete;
  Ticket& operator=(const Ticket&) = delete;
  ~Ticket();

  // The sink really has the event (written and flushed; handed on).
  void ack();
  // The sink discarded the event under its stated overflow policy. The line still counts as
  // delivered, and the drop is counted and reported by the engine.
  void drop();
  bool settled() const { return hub_ == nullptr; }

 private:
  friend class detail::AckHub;
  enum class Outcome : std::uint8_t { acked, dropped, abandoned };
  Ticket(std::shared_ptr<detail::AckHub> hub, std::uint64_t stream, std::uint64_t batch)
      : hub_(std::move(hub)), stream_(stream), batch_(batch) {}
  void settle(Outcome outcome);

  std::shared_ptr<detail::AckHub> hub_;
  std::uint64_t stream_ = 0;
  std::uint64_t batch_ = 0;
};

// Handed to Sink::consume with each event. Owner: the engine; valid during that call.
class Delivery {
 public:
  virtual ~Delivery() = default;
  // Take the acknowledgement into the sink's own hands. After this, consume's OK no longer
  // acknowledges the event; the ticket does.
  virtual Ticket defer() = 0;
};

class Sink {
 public:
  virtual ~Sink() = default;

  // For messages and diagnostics ("jsonl", "summary").
  virtual std::string_view name() const = 0;

  // Loop thread; must not block. OK acknowledges the event unless the sink deferred it; an
  // error leaves it unacknowledged (the engine reports the error, and the line is delivered
  // again after a restart).
  virtual Status consume(const Event& event, Delivery& delivery) = 0;

  // Loop thread. Called after each batch of events and on stop: write out what is buffered
  // and settle the tickets that covers.
  virtual Status flush() { return {}; }

  // Loop thread, on stop after the last flush(): finish in-flight work, bounded in time.
  virtual Status close() { return {}; }

  // True while the sink cannot take more (a full queue with the `block` policy). The engine
  // stops reading until it turns false; the sink's next acknowledgement wakes it.
  virtual bool saturated() const { return false; }
};

}  // namespace logtail
