#include "logtail/queued_sink.h"

#include <fmt/format.h>

namespace logtail {

QueuedSink::QueuedSink(QueueOptions options) : options_(options) {
  if (options_.capacity == 0) options_.capacity = 1;
}

QueuedSink::~QueuedSink() { stop_worker(); }

void QueuedSink::stop_worker() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
}

Status QueuedSink::consume(const Event& event, Delivery& delivery) {
  std::unique_lock lock(mu_);
  if (stopped_ || closing_)
    return Status(StatusKind::failed_precondition,
                  fmt::format("sink '{}' is closed and takes no more events", name()));
  // Started on first use, when the derived object is complete.
  if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
  if (queue_.size() >= options_.capacity) {
    if (options_.overflow == Overflow::drop_newest) {
      ++dropped_;
      lock.unlock();
      delivery.defer().drop();
      return {};
    }
    if (options_.overflow == Overflow::drop_oldest) {
      Item oldest = std::move(queue_.front());
      queue_.pop_front();
      ++dropped_;
      lock.unlock();
      oldest.ticket.drop();
      lock.lock();
    }
  }
  queue_.push_back({OwnedEvent(event), delivery.defer()});
  lock.unlock();
  wake_.notify_one();
  return {};
}

bool QueuedSink::saturated() const {
  if (options_.overflow != Overflow::block) return false;
  std::lock_guard lock(mu_);
  return queue_.size() >= options_.capacity;
}

Status QueuedSink::close() {
  std::unique_lock lock(mu_);
  closing_ = true;
  if (!worker_.joinable()) {
    lock.unlock();
    finish();
    return {};
  }
  wake_.notify_all();
  const bool done = drained_.wait_for(lock, options_.close_timeout, [this] { return finished_; });
  const std::size_t left = queue_.size();
  lock.unlock();
  if (!done) {
    return Status(StatusKind::unavailable,
                  fmt::format("sink '{}' did not deliver {} queued events within {} ms; they "
                              "are delivered again after a restart",
                              name(), left, options_.close_timeout.count()));
  }
  stop_worker();
  return {};
}

std::uint64_t QueuedSink::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

std::size_t QueuedSink::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size() + (busy_ ? 1 : 0);
}

Status QueuedSink::deliver(const Event& event) {
  (void)event;
  return Status(StatusKind::internal,
                fmt::format("sink '{}' overrides neither deliver() nor take()", name()));
}

void QueuedSink::take(const Event& event, Ticket ticket) {
  if (deliver(event).ok()) ticket.ack();
  // An error destroys the ticket unsettled: the event stays unacknowledged.
}

void QueuedSink::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (stopped_) return;
    if (!queue_.empty()) {
      Item item = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      lock.unlock();
      take(item.event.view(), std::move(item.ticket));
      lock.lock();
      busy_ = false;
      continue;
    }
    if (closing_) {
      if (!finished_) {
        lock.unlock();
        finish();
        lock.lock();
        finished_ = true;
        drained_.notify_all();
      }
      wake_.wait(lock, [this] { return stopped_; });
      continue;
    }
    if (options_.idle_interval.count() > 0) {
      if (!wake_.wait_for(lock, options_.idle_interval,
                          [this] { return stopped_ || closing_ || !queue_.empty(); })) {
        lock.unlock();
        on_idle(Clock::now());
        lock.lock();
      }
    } else {
      wake_.wait(lock, [this] { return stopped_ || closing_ || !queue_.empty(); });
    }
  }
}

}  // namespace logtail
