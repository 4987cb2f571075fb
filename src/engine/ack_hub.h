// AckHub: carries sinks' acknowledgements back to the engine's loop thread.
//
// Tickets may be settled on any thread and may outlive the engine (a sink's worker still
// holding one after stop). The hub is shared by every ticket; the engine detaches from it
// when it stops, after which settlements are counted and ignored. On the loop thread a
// settlement is applied at once; from other threads it is queued and the loop woken with
// uv_async_send (wake-ups coalesce, so the loop drains the whole queue each time).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "logtail/sink.h"

namespace logtail::detail {

struct Settlement {
  std::uint64_t stream;
  std::uint64_t batch;
  bool dropped;    // settled by the sink's overflow policy
  bool abandoned;  // destroyed unsettled: a failed delivery
};

class AckHub : public std::enable_shared_from_this<AckHub> {
 public:
  using Apply = std::function<void(const Settlement&)>;

  // `apply` runs on the loop thread for every settlement; `wake` asks the loop to call
  // drain() soon and must be callable from any thread.
  AckHub(Apply apply, std::function<void()> wake);

  // Loop thread: the thread that applies settlements directly.
  void set_loop_thread(std::thread::id id) { loop_thread_ = id; }
  Ticket make_ticket(std::uint64_t stream, std::uint64_t batch);
  // Loop thread: applies every queued settlement.
  void drain();
  // After this, settlements are dropped on the floor (the engine is gone).
  void detach();

  // Tickets handed out and not yet settled, across all streams.
  std::uint64_t outstanding() const { return outstanding_.load(std::memory_order_acquire); }

  void settle(const Settlement& s);

 private:
  std::mutex mu_;
  Apply apply_;
  std::function<void()> wake_;
  std::vector<Settlement> queue_;
  std::vector<Settlement> draining_;
  std::thread::id loop_thread_;
  std::atomic<std::uint64_t> outstanding_{0};
  bool detached_ = false;
};

}  // namespace logtail::detail
