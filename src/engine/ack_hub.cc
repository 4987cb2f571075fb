#include "engine/ack_hub.h"

#include <utility>

namespace logtail {

Ticket::Ticket(Ticket&& other) noexcept
    : hub_(std::move(other.hub_)), stream_(other.stream_), batch_(other.batch_) {
  other.hub_ = nullptr;
}

Ticket& Ticket::operator=(Ticket&& other) noexcept {
  if (this != &other) {
    if (hub_) settle(Outcome::abandoned);
    hub_ = std::move(other.hub_);
    other.hub_ = nullptr;
    stream_ = other.stream_;
    batch_ = other.batch_;
  }
  return *this;
}

Ticket::~Ticket() {
  if (hub_) settle(Outcome::abandoned);
}

void Ticket::ack() {
  if (hub_) settle(Outcome::acked);
}

void Ticket::drop() {
  if (hub_) settle(Outcome::dropped);
}

void Ticket::settle(Outcome outcome) {
  auto hub = std::move(hub_);
  hub_ = nullptr;
  hub->settle({stream_, batch_, outcome == Outcome::dropped, outcome == Outcome::abandoned});
}

namespace detail {

AckHub::AckHub(Apply apply, std::function<void()> wake)
    : apply_(std::move(apply)), wake_(std::move(wake)) {}

Ticket AckHub::make_ticket(std::uint64_t stream, std::uint64_t batch) {
  outstanding_.fetch_add(1, std::memory_order_acq_rel);
  return Ticket(shared_from_this(), stream, batch);
}

void AckHub::settle(const Settlement& s) {
  if (std::this_thread::get_id() == loop_thread_) {
    // The loop thread owns apply_; detach() also runs there, so no lock is needed to read
    // detached_ here.
    if (!detached_) apply_(s);
    outstanding_.fetch_sub(1, std::memory_order_acq_rel);
    return;
  }
  std::lock_guard lock(mu_);
  if (!detached_) {
    const bool wake = queue_.empty();
    queue_.push_back(s);
    // Woken under the lock: once detach() has returned the engine may close the async
    // handle, and no thread may still be about to signal it.
    if (wake) wake_();
  }
  // Counted after queueing, so a loop that sees outstanding() == 0 also finds the
  // settlement in the queue when it drains.
  outstanding_.fetch_sub(1, std::memory_order_acq_rel);
}

void AckHub::drain() {
  {
    std::lock_guard lock(mu_);
    draining_.swap(queue_);
  }
  for (const Settlement& s : draining_) apply_(s);
  draining_.clear();
}

void AckHub::detach() {
  std::lock_guard lock(mu_);
  detached_ = true;
  queue_.clear();
}

}  // namespace detail
}  // namespace logtail
