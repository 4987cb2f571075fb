// The episode state machine: opening, extending, quiet gaps, the maximum duration, and the
// wall-clock close on ticks.
#include "episodes/episode_tracker.h"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "episodes/episode_text.h"

namespace logtail::observers::episodes {
namespace {

using namespace std::chrono_literals;

Clock::time_point at(std::chrono::milliseconds ms) { return Clock::time_point(ms); }

class EpisodeTrackerTest : public ::testing::Test {
 protected:
  EpisodeTracker tracker_{{500, 5s, 60s}};
  std::vector<Episode> closed_;

  // A line whose own time is its read time.
  void line(std::chrono::milliseconds t, std::optional<double> v, std::uint64_t offset = 0) {
    tracker_.line(at(t), at(t), v, offset, closed_);
  }
};

TEST_F(EpisodeTrackerTest, SlowLinesWithinTheGapFormOneEpisode) {
  line(0ms, 100, 0);
  line(1000ms, 600, 10);  // opens
  line(2000ms, 40, 20);   // fast, inside
  line(3000ms, 900, 30);
  line(7999ms, 500, 40);  // 4.999 s after the last slow one: extends
  EXPECT_TRUE(closed_.empty());
  line(12999ms, 30, 50);  // 5 s quiet: closes
  ASSERT_EQ(closed_.size(), 1u);
  const Episode& e = closed_[0];
  EXPECT_EQ(e.start, at(1000ms));
  EXPECT_EQ(e.end, at(7999ms));
  EXPECT_EQ(e.count, 3u);
  EXPECT_EQ(e.max_ms, 900);
  EXPECT_DOUBLE_EQ(e.mean_ms(), 2000.0 / 3);
  EXPECT_EQ(e.first_offset, 10u);
  EXPECT_FALSE(tracker_.open());
}

TEST_F(EpisodeTrackerTest, ASlowLineAfterTheGapStartsANewEpisode) {
  line(0ms, 700);
  line(5000ms, 800, 99);
  ASSERT_EQ(closed_.size(), 1u);
  EXPECT_EQ(closed_[0].count, 1u);
  EXPECT_TRUE(tracker_.open());
  tracker_.flush(closed_);
  ASSERT_EQ(closed_.size(), 2u);
  EXPECT_EQ(closed_[1].start, at(5000ms));
  EXPECT_EQ(closed_[1].first_offset, 99u);
}

TEST_F(EpisodeTrackerTest, SteadySlowTrafficIsCutAtTheMaximum) {
  for (int s = 0; s <= 130; ++s) line(std::chrono::seconds(s), 600, static_cast<std::uint64_t>(s));
  tracker_.flush(closed_);
  ASSERT_EQ(closed_.size(), 3u);
  EXPECT_EQ(closed_[0].start, at(0ms));
  EXPECT_EQ(closed_[0].end, at(59s));
  EXPECT_EQ(closed_[0].count, 60u);
  EXPECT_EQ(closed_[1].start, at(60s));
  EXPECT_EQ(closed_[1].count, 60u);
  EXPECT_EQ(closed_[2].start, at(120s));
  EXPECT_EQ(closed_[2].count, 11u);
  EXPECT_EQ(closed_[2].first_offset, 120u);
}

TEST_F(EpisodeTrackerTest, FastLinesDoNotStretchTheMaximum) {
  line(0ms, 600);
  line(4s, 10);
  line(8s, 10);  // quiet for 8 s since the slow line: closes
  ASSERT_EQ(closed_.size(), 1u);
}

TEST_F(EpisodeTrackerTest, LinesOutOfOrderStayInside) {
  line(10s, 600);
  line(12s, 700);
  line(11s, 800);  // written a little late
  tracker_.flush(closed_);
  ASSERT_EQ(closed_.size(), 1u);
  EXPECT_EQ(closed_[0].end, at(12s));
  EXPECT_EQ(closed_[0].count, 3u);
}

TEST_F(EpisodeTrackerTest, TicksCloseByTheReadClock) {
  // Line times from a file's own timestamps, long ago; read times now.
  const Clock::time_point read = at(1000000s);
  tracker_.line(at(10s), read, 900, 0, closed_);
  tracker_.tick(read + 4999ms, closed_);
  EXPECT_TRUE(closed_.empty());
  tracker_.tick(read + 5s, closed_);
  ASSERT_EQ(closed_.size(), 1u);
  EXPECT_EQ(closed_[0].start, at(10s));
  tracker_.tick(read + 50s, closed_);
  EXPECT_EQ(closed_.size(), 1u);
}

TEST(EpisodeTextTest, MessageAndNumbers) {
  Episode e;
  e.start = Clock::time_point(std::chrono::milliseconds(1795387519123));  // 22:45:19.123Z
  e.end = e.start + 7s;
  e.count = 14;
  e.max_ms = 2300;
  e.sum_ms = 14 * 870.4;
  EXPECT_EQ(episode_message(e, 500),
            "slow episode: 14 lines over 500 ms from 22:45:19 to 22:45:26, max 2300 ms, mean "
            "870 ms");
  e.count = 1;
  e.sum_ms = 0.25;
  e.max_ms = 0.25;
  EXPECT_EQ(episode_message(e, 0.2),
            "slow episode: 1 line over 0.2 ms from 22:45:19 to 22:45:26, max 0.25 ms, mean "
            "0.25 ms");
  struct Case {
    double ms;
    const char* text;
  };
  for (const Case& c : {Case{0, "0"}, Case{2.5, "2.5"}, Case{9.999, "10"}, Case{10.4, "10"},
                        Case{870.6, "871"}, Case{1e7, "10000000"}, Case{0.004, "0"},
                        Case{1.1, "1.1"}}) {
    EXPECT_EQ(format_ms(c.ms), c.text) << c.ms;
  }
}

}  // namespace
}  // namespace logtail::observers::episodes
