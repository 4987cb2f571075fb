// QueuedSink through the engine: worker-thread delivery, acknowledgements from that thread,
// the block policy's back-pressure and the drop policies' accounting.
#include "logtail/queued_sink.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logtail/logtail.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

// Delivers on its worker, optionally waiting for a gate to open first.
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

std::string lines(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += "line " + std::to_string(i) + "\n";
  return out;
}

class QueuedSinkTest : public ::testing::Test {
 protected:
  EngineOptions options() const {
    EngineOptions o;
    o.start_at = StartAt::beginning;
    o.poll_interval = 100ms;
    o.read_chunk_bytes = 64;  // a few lines per batch, so the queue bound shows
    return o;
  }
  test::TempDir dir_;
};

TEST_F(QueuedSinkTest, BlockPolicyStopsReadingUntilTheWorkerCatchesUp) {
  dir_.write("app.log", lines(200));
  auto sink = std::make_shared<GatedSink>(QueueOptions{.capacity = 8, .overflow = Overflow::block});
  Engine engine(options());
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  engine.route(engine.add(observers::lines()), sink);
  ASSERT_TRUE(engine.start().ok());
  ASSERT_TRUE(test::wait_until([&] { return sink->queued() >= 8; }));
  // Reading stopped near the bound: one batch past capacity at most.
  const auto stalled = engine.counters().lines;
  EXPECT_LT(stalled, 40u);
  EXPECT_LE(sink->queued(), 8u + 10u);
  sink->open();
  ASSERT_TRUE(test::wait_until([&] { return sink->delivered().size() == 200; }));
  ASSERT_TRUE(engine.stop().ok());
  EXPECT_TRUE(sink->finished());
  EXPECT_EQ(sink->delivered().front(), "line 0");
  EXPECT_EQ(sink->delivered().back(), "line 199");
  EXPECT_EQ(sink->dropped(), 0u);
}

TEST_F(QueuedSinkTest, DropOldestKeepsTheNewestAndCountsTheDrops) {
  dir_.write("app.log", lines(100));
  auto sink =
      std::make_shared<GatedSink>(QueueOptions{.capacity = 4, .overflow = Overflow::drop_oldest});
  Engine engine(options());
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  engine.route(engine.add(observers::lines()), sink);
  ASSERT_TRUE(engine.start().ok());
  ASSERT_TRUE(test::wait_until([&] { return engine.counters().events == 100; }));
  ASSERT_TRUE(test::wait_until([&] { return engine.counters().events_dropped >= 90; }));
  sink->open();
  ASSERT_TRUE(engine.stop().ok());
  const auto delivered = sink->delivered();
  EXPECT_EQ(delivered.size() + sink->dropped(), 100u);
  EXPECT_EQ(delivered.back(), "line 99");
  EXPECT_EQ(engine.counters().events_dropped, sink->dropped());
}

TEST_F(QueuedSinkTest, StopWaitsForQueuedEventsAndCheckpointsThem) {
  dir_.write("app.log", lines(30));
  EngineOptions o = options();
  o.state_dir = dir_.file("state");
  {
    auto sink = std::make_shared<GatedSink>(QueueOptions{.capacity = 64});
    Engine engine(o);
    ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
    engine.route(engine.add(observers::lines()), sink);
    ASSERT_TRUE(engine.start().ok());
    ASSERT_TRUE(test::wait_until([&] { return engine.counters().events == 30; }));
    sink->open();
    ASSERT_TRUE(engine.stop().ok());
    EXPECT_EQ(sink->delivered().size(), 30u);
  }
  // Everything was acknowledged before the final checkpoint: nothing comes again.
  auto sink = std::make_shared<GatedSink>(QueueOptions{.capacity = 64});
  sink->open();
  Engine engine(o);
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  engine.route(engine.add(observers::lines()), sink);
  ASSERT_TRUE(engine.drain().ok());
  EXPECT_TRUE(sink->delivered().empty());
}

}  // namespace
}  // namespace logtail
