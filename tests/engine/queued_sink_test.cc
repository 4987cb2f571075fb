// QueuedSink through the engine: worker-thread delivery, acknowledgements from that thread,
// the block policy's back-pressure and the drop policies' accounting.
#include "logtail/queued_sink.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/gated_sink.h"
#include "logtail/logtail.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

using test::GatedSink;

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
