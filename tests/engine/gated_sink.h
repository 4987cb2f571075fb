// GatedSink: a QueuedSink whose worker waits for a gate to open before it delivers, standing
// for a sink that is away (a remote end down, a full disk). Header only: shared by the engine
// and failure-mode tests.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "logtail/queued_sink.h"

namespace logtail::test {

// Delivers on its worker, in order, each event's message once the gate is open.
class GatedSink final : public QueuedSink {
 public:
  explicit GatedSink(QueueOptions o) : QueuedSink(o) {}
  ~GatedSink() override {
    open();
    stop_worker();
  }
  std::string_view name() const override { return "gated"; }
  void open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  std::vector<std::string> delivered() const {
    std::lock_guard lock(mu_);
    return delivered_;
  }
  std::size_t delivered_count() const {
    std::lock_guard lock(mu_);
    return delivered_.size();
  }
  bool finished() const { return finished_.load(); }

 protected:
  Status deliver(const Event& e) override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return open_; });
    delivered_.emplace_back(e.message);
    return {};
  }
  void finish() override { finished_ = true; }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  std::vector<std::string> delivered_;
  std::atomic<bool> finished_{false};
};

}  // namespace logtail::test
