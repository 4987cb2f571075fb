// The exact sliding-window counter: what is counted when, shared instants, clock steps.
// The rules observer is built only with simdjson (LOGTAIL_WITH_SIMDJSON).
#if LOGTAIL_HAVE_SIMDJSON
#include "rules/sliding_window.h"

#include <vector>

#include <gtest/gtest.h>

namespace logtail::observers::rules {
namespace {

using namespace std::chrono_literals;

Clock::time_point at(std::chrono::milliseconds ms) { return Clock::time_point(ms); }

TEST(SlidingWindowTest, CountsExactlyWhatIsInsideTheWindow) {
  SlidingWindow w(10s);
  struct Step {
    enum { add, advance } what;
    std::chrono::milliseconds t;
    std::uint64_t expected;
  };
  const std::vector<Step> steps = {
      {Step::add, 1000ms, 1},     {Step::add, 2000ms, 2},      {Step::add, 2000ms, 3},
      {Step::add, 5500ms, 4},     {Step::advance, 10999ms, 4}, {Step::advance, 11000ms, 3},
      {Step::advance, 11999ms, 3}, {Step::advance, 12000ms, 1}, {Step::add, 12000ms, 2},
      {Step::advance, 15500ms, 1}, {Step::advance, 22000ms, 0}, {Step::add, 22001ms, 1},
  };
  for (const Step& s : steps) {
    SCOPED_TRACE(s.t.count());
    if (s.what == Step::add) {
      w.add(at(s.t));
    } else {
      w.advance(at(s.t));
    }
    EXPECT_EQ(w.count(), s.expected);
  }
}

TEST(SlidingWindowTest, OneInstantIsOneBucket) {
  SlidingWindow w(60s);
  for (int i = 0; i < 10000; ++i) w.add(at(5000ms));
  w.add(at(6000ms), 5);
  EXPECT_EQ(w.count(), 10005u);
  EXPECT_EQ(w.buckets(), 2u);
  w.advance(at(65000ms));
  EXPECT_EQ(w.count(), 5u);
  EXPECT_EQ(w.buckets(), 1u);
}

TEST(SlidingWindowTest, ClockSteppingBackCountsAsNoTimePassing) {
  SlidingWindow w(10s);
  w.add(at(20000ms));
  w.add(at(5000ms));  // stepped back: counted at 20 s
  EXPECT_EQ(w.count(), 2u);
  EXPECT_EQ(w.buckets(), 1u);
  w.advance(at(25000ms));
  EXPECT_EQ(w.count(), 2u);
  w.advance(at(30000ms));
  EXPECT_EQ(w.count(), 0u);
}

TEST(SlidingWindowTest, NarrowingTheWidthForgetsAtTheNextSlide) {
  SlidingWindow w(60s);
  w.add(at(1000ms));
  w.add(at(40000ms));
  w.set_width(10s);
  EXPECT_EQ(w.count(), 2u);
  w.advance(at(45000ms));
  EXPECT_EQ(w.count(), 1u);
}

}  // namespace
}  // namespace logtail::observers::rules

#endif  // LOGTAIL_HAVE_SIMDJSON
