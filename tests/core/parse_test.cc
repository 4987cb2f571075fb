#include "logtail/parse.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace logtail {
namespace {

using std::chrono::milliseconds;

class ParseTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

// An error message is one line, names the bad value and shows a good one.
void expect_good_message(const Status& s, std::string_view needle) {
  EXPECT_EQ(s.kind(), StatusKind::invalid_argument);
  EXPECT_NE(s.message().find(needle), std::string::npos)
      << "'" << s.message() << "' should contain '" << needle << "'";
  EXPECT_NE(s.message().find("e.g. '"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
}

TEST_F(ParseTest, Durations) {
  constexpr auto kMax = std::numeric_limits<milliseconds::rep>::max();
  const std::vector<std::pair<std::string, milliseconds::rep>> cases = {
      {"250ms", 250},
      {"2s", 2000},
      {"1.5s", 1500},
      {"3m", 180'000},
      {"1h", 3'600'000},
      {"5", 5000},
      {"1.5", 1500},
      {"0", 0},
      {"0ms", 0},
      {"0.0s", 0},
      {"0.001s", 1},
      {"0.25m", 15'000},
      {"1.50s", 1500},
      {"1.0000000000000000000000s", 1000},
      {"007s", 7000},
      {" 2s ", 2000},
      {"2 s", 2000},
      {"24h", 86'400'000},
      {"9223372036854775807ms", kMax},
      {"2562047788015h", 2562047788015LL * 3'600'000},
  };
  for (const auto& [text, want] : cases) {
    const auto r = parse_duration(text);
    ASSERT_TRUE(r.ok()) << "'" << text << "': " << r.status().message();
    EXPECT_EQ(r->count(), want) << "'" << text << "'";
  }
}

TEST_F(ParseTest, DurationErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty duration"},
      {"   ", "empty duration"},
      {"abc", "'abc'"},
      {"s", "'s'"},
      {"+1s", "'+1s'"},
      {".5s", "'.5s'"},
      {"1.s", "'1.s'"},
      {"1..5s", "'1..5s'"},
      {"-1s", "negative"},
      {"-0", "negative"},
      {"2x", "unknown unit 'x'"},
      {"2S", "unknown unit 'S'"},
      {"1e3s", "unknown unit 'e3s'"},
      {"1h30m", "unknown unit 'h30m'"},
      {"2 seconds", "unknown unit 'seconds'"},
      {"1.5ms", "millisecond"},
      {"0.0001s", "millisecond"},
      {"1.0000000000000000001s", "millisecond"},
      {"9223372036854775808ms", "too large"},
      {"2562047788016h", "too large"},
      {"99999999999999999999", "too large"},
      {"1\n2s", "'1?2s'"},
  };
  for (const auto& [text, needle] : cases) {
    SCOPED_TRACE("'" + text + "'");
    const auto r = parse_duration(text);
    ASSERT_FALSE(r.ok());
    expect_good_message(r.status(), needle);
  }
}

TEST_F(ParseTest, LongBadValueIsShortenedInMessage) {
  const std::string text(500, '9');
  const auto r = parse_duration(text + "x");
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.status().message().size(), 200u) << r.status().message();
}

TEST_F(ParseTest, Sizes) {
  const std::vector<std::pair<std::string, std::uint64_t>> cases = {
      {"512", 512},
      {"0", 0},
      {"0KiB", 0},
      {"64KiB", 64 * 1024},
      {"4MiB", 4ULL << 20},
      {"1GiB", 1ULL << 30},
      {"2TiB", 2ULL << 40},
      {"64k", 64 * 1024},
      {"64K", 64 * 1024},
      {"4M", 4ULL << 20},
      {"4m", 4ULL << 20},
      {"1G", 1ULL << 30},
      {"1T", 1ULL << 40},
      {"1kib", 1024},
      {"10B", 10},
      {"10b", 10},
      {"1.5KiB", 1536},
      {"0.5k", 512},
      {" 1k ", 1024},
      {"64 KiB", 64 * 1024},
      {"18446744073709551615", std::numeric_limits<std::uint64_t>::max()},
      {"16777215TiB", 16777215ULL << 40},
  };
  for (const auto& [text, want] : cases) {
    const auto r = parse_size(text);
    ASSERT_TRUE(r.ok()) << "'" << text << "': " << r.status().message();
    EXPECT_EQ(*r, want) << "'" << text << "'";
  }
}

TEST_F(ParseTest, SizeErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty size"},
      {"\t", "empty size"},
      {"abc", "'abc'"},
      {"k", "'k'"},
      {"1.k", "'1.k'"},
      {"0x10", "unknown unit 'x10'"},
      {"1e3", "unknown unit 'e3'"},
      {"64KB", "unknown unit 'KB'"},
      {"64 bytes", "unknown unit 'bytes'"},
      {"-1", "negative"},
      {"-1KiB", "negative"},
      {"1.3", "whole number of bytes"},
      {"0.1k", "whole number of bytes"},
      {"18446744073709551616", "too large"},
      {"16777216TiB", "too large"},
      {"17179869184GiB", "too large"},
  };
  for (const auto& [text, needle] : cases) {
    SCOPED_TRACE("'" + text + "'");
    const auto r = parse_size(text);
    ASSERT_FALSE(r.ok());
    expect_good_message(r.status(), needle);
  }
}

}  // namespace
}  // namespace logtail
