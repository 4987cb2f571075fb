// QueuedSink: the base for slow sinks (HTTP, speech, paging). It copies each event into a
// bounded queue on the loop thread and delivers it on a worker thread of its own, so the
// engine's loop never waits on the slow part.
//
// Owner: the host or the engine (shared). Threads: consume/flush/close/saturated on the loop
// thread; deliver/take/on_idle on the sink's worker thread, one call at a time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "logtail/event.h"
#include "logtail/sink.h"

namespace logtail {

// What a full queue does with one more event.
enum class Overflow {
  block,        // take it, and report saturated() so the engine stops reading until there is room
  drop_oldest,  // drop the oldest queued event (acknowledged as dropped) and take the new one
  drop_newest,  // drop the new event (acknowledged as dropped)
};

struct QueueOptions {
  std::size_t capacity = 256;
  Overflow overflow = Overflow::block;
  // How often on_idle() runs while the queue is empty; zero: never.
  std::chrono::milliseconds idle_interval{0};
  // close() waits this long for the queue to empty before giving up (reported).
  std::chrono::milliseconds close_timeout{10000};
};

class QueuedSink : public Sink {
 public:
  explicit QueuedSink(QueueOptions options);
  // A derived class must call stop_worker() in its own destructor, so the worker is not
  // inside one of its overrides while its members are destroyed.
  ~QueuedSink() override;

  Status consume(const Event& event, Delivery& delivery) final;
  bool saturated() const final;
  // Waits (up to close_timeout) until every queued event has been delivered, then stops the
  // worker. Calls finish() on the worker thread last.
  Status close() override;

  std::uint64_t dropped() const;
  std::size_t queued() const;

 protected:
  // Worker thread. OK acknowledges the event; an error leaves it unacknowledged (its line is
  // delivered again after a restart).
  virtual Status deliver(const Event& event);
  // Worker thread. Override to settle tickets yourself (for instance when a later summary
  // covers the event). The default calls deliver() and acknowledges on OK.
  virtual void take(const Event& event, Ticket ticket);
  // Worker thread, every idle_interval while the queue is empty (windows, retries).
  virtual void on_idle(Clock::time_point now) { (void)now; }
  // Worker thread, once, when close() has emptied the queue: flush what is held.
  virtual void finish() {}

  void stop_worker();

 private:
  struct Item {
    OwnedEvent event;
    Ticket ticket;
  };
  void run();

  QueueOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<Item> queue_;
  bool busy_ = false;      // the worker holds an item
  bool closing_ = false;
  bool stopped_ = false;
  bool finished_ = false;
  std::uint64_t dropped_ = 0;
  std::thread worker_;
};

}  // namespace logtail
