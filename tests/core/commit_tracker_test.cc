#include "commit_tracker.h"

#include <gtest/gtest.h>

namespace logtail {
namespace {

TEST(CommitTrackerTest, SealedBatchWithoutDeferredDeliveriesCommitsAtOnce) {
  CommitTracker t(100);
  auto a = t.open(150, false, 50);
  EXPECT_EQ(t.inflight_bytes(), 50u);
  EXPECT_TRUE(t.seal(a));
  EXPECT_EQ(t.committed(), 150u);
  EXPECT_EQ(t.inflight_bytes(), 0u);
  EXPECT_TRUE(t.idle());
}

TEST(CommitTrackerTest, OffsetWaitsForEveryEarlierBatch) {
  CommitTracker t;
  auto a = t.open(10, false, 10);
  auto b = t.open(20, false, 10);
  t.add_pending(a);
  t.add_pending(a);
  EXPECT_FALSE(t.seal(a));
  EXPECT_FALSE(t.seal(b));  // b is settled, but a is not
  EXPECT_EQ(t.committed(), 0u);
  EXPECT_FALSE(t.settle(a, false));
  EXPECT_EQ(t.committed(), 0u);
  EXPECT_TRUE(t.settle(a, false));
  EXPECT_EQ(t.committed(), 20u);  // both at once
  EXPECT_TRUE(t.idle());
}

TEST(CommitTrackerTest, AnUnsealedBatchHoldsTheOffsetEvenWhenSettled) {
  CommitTracker t;
  auto a = t.open(10, false, 10);
  t.add_pending(a);
  EXPECT_FALSE(t.settle(a, false));  // acknowledged while its batch is still being dispatched
  EXPECT_EQ(t.committed(), 0u);
  EXPECT_TRUE(t.seal(a));
  EXPECT_EQ(t.committed(), 10u);
}

TEST(CommitTrackerTest, AFailedDeliveryPinsTheOffsetForGood) {
  CommitTracker t;
  auto a = t.open(10, false, 10);
  auto b = t.open(20, false, 10);
  t.add_pending(a);
  t.seal(a);
  t.seal(b);
  EXPECT_FALSE(t.settle(a, true));
  EXPECT_TRUE(t.stuck());
  EXPECT_EQ(t.committed(), 0u);
  auto c = t.open(30, false, 10);
  t.fail(c);
  EXPECT_FALSE(t.seal(c));
  EXPECT_EQ(t.committed(), 0u);
  EXPECT_EQ(t.inflight_bytes(), 30u);
}

TEST(CommitTrackerTest, ResetForgetsOpenBatchesAndIgnoresTheirLateSettlements) {
  CommitTracker t(500);
  auto a = t.open(600, false, 100);
  t.add_pending(a);
  t.seal(a);
  t.reset(0);
  EXPECT_EQ(t.committed(), 0u);
  EXPECT_EQ(t.inflight_bytes(), 0u);
  auto b = t.open(5, false, 5);
  t.add_pending(b);
  t.seal(b);
  EXPECT_FALSE(t.settle(a, false));  // from before the reset: no effect
  EXPECT_EQ(t.committed(), 0u);
  EXPECT_TRUE(t.settle(b, false));
  EXPECT_EQ(t.committed(), 5u);
}

TEST(CommitTrackerTest, SkippingStateTravelsWithTheCommittedOffset) {
  CommitTracker t;
  auto a = t.open(1000, true, 1000);
  t.seal(a);
  EXPECT_TRUE(t.committed_skipping());
  auto b = t.open(1200, false, 200);
  t.seal(b);
  EXPECT_FALSE(t.committed_skipping());
}

TEST(CommitTrackerTest, UnknownSequenceNumbersAreIgnored) {
  CommitTracker t;
  EXPECT_FALSE(t.settle(42, false));
  EXPECT_FALSE(t.seal(42));
  t.add_pending(42);
  t.fail(42);
  EXPECT_TRUE(t.idle());
}

}  // namespace
}  // namespace logtail
