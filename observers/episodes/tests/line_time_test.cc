// Timestamps at the start of lines, and the way episodes print times.
#include "episodes/line_time.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace logtail::observers::episodes {
namespace {

using namespace std::chrono;

// 2026-11-22T22:45:19Z in milliseconds since the epoch.
constexpr std::int64_t kBase = 1795387519000;

TEST(LineTimeTest, ReadsIsoTimestampsAtTheStartOfALine) {
  struct Case {
    std::string line;
    std::int64_t ms;  // since the epoch
  };
  const std::vector<Case> cases = {
      {"2026-11-22T22:45:19.123Z INFO proxy", kBase + 123},
      {"2026-11-22T22:45:19Z INFO", kBase},
      {"2026-11-22 22:45:19,5 INFO", kBase + 500},
      {"2026-11-22T22:45:19.123456789Z x", kBase + 123},
      {"2026-11-22T22:45:19", kBase},
      {"[2026-11-22T22:45:19.001] x", kBase + 1},
      {"2026-11-22T23:45:19+01:00 x", kBase},
      {"2026-11-22T21:15:19-0130 x", kBase},
      {"2026-11-22T22:45:19.250+00:00\tx", kBase + 250},
      {"2024-02-29T00:00:00Z leap day", 1709164800000},
      {"1970-01-01T00:00:00Z", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line);
    const auto t = leading_timestamp(c.line);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(duration_cast<milliseconds>(t->time_since_epoch()).count(), c.ms);
  }
}

TEST(LineTimeTest, AnythingElseIsNoTimestamp) {
  for (const std::string_view line : {
           "", "INFO 2026-11-22T22:45:19Z", "2026-11-22", "2026-11-22T22:45", "2026-13-01T00:00:00Z",
           "2026-02-30T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T22:60:00Z",
           "2026-11-22T22:45:19.Z", "2026-11-22T22:45:19+1", "2026-11-22T22:45:19abc",
           "2026/11/22 22:45:19", "20261122T224519Z", "Nov 22 22:45:19 host app: x"}) {
    EXPECT_FALSE(leading_timestamp(line).has_value()) << line;
  }
}

TEST(LineTimeTest, PrintsUtcWithMilliseconds) {
  const Clock::time_point t{milliseconds(kBase + 7)};
  EXPECT_EQ(format_iso_ms(t), "2026-11-22T22:45:19.007Z");
  EXPECT_EQ(format_hms(t), "22:45:19");
  EXPECT_EQ(format_iso_ms(Clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace logtail::observers::episodes
