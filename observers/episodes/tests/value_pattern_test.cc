// The value regex: named groups rewritten for std::regex, the literal pre-filter, and values
// with units.
#include "episodes/value_pattern.h"

#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace logtail::observers::episodes {
namespace {

TEST(ValuePatternTest, NamedGroupsBecomePlainGroupsWithTheirNumber) {
  struct Case {
    std::string in, out;
    std::size_t group;
    std::string name;
  };
  const std::vector<Case> cases = {
      {R"(total_pre_upstream=(?<ms>\d+)ms)", R"(total_pre_upstream=(\d+)ms)", 1, "ms"},
      {R"(total=(?P<ms>\d+)ms)", R"(total=(\d+)ms)", 1, "ms"},
      {R"(req=(\w+) (?:x|y) (a)(?<value>[\d.]+)s)", R"(req=(\w+) (?:x|y) (a)([\d.]+)s)", 3,
       "value"},
      {R"(\((?<us>\d+)\))", R"(\((\d+)\))", 1, "us"},
      {R"([(](?<s>\d+))", R"([(](\d+))", 1, "s"},
      {R"([\](](?<s>\d+))", R"([\](](\d+))", 1, "s"},
      {R"((?=x)x(?!y)(?<ms>\d+))", R"((?=x)x(?!y)(\d+))", 1, "ms"},
      {R"(took (\d+)ms)", R"(took (\d+)ms)", 1, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    auto p = translate_value_pattern(c.in);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(p->ecmascript, c.out);
    EXPECT_EQ(p->group, c.group);
    EXPECT_EQ(p->name, c.name);
    EXPECT_NO_THROW(std::regex(p->ecmascript, std::regex::ECMAScript));
  }
}

TEST(ValuePatternTest, TheGroupNumberFindsTheValue) {
  auto p = translate_value_pattern(R"((\w+)=(\d+) (?:a|b) total=(?P<ms>\d+)ms)");
  ASSERT_TRUE(p.ok());
  std::smatch m;
  const std::string line = "auth=3 b total=812ms";
  ASSERT_TRUE(std::regex_search(line, m, std::regex(p->ecmascript)));
  EXPECT_EQ(m[p->group].str(), "812");
}

TEST(ValuePatternTest, ErrorsSayWhatToWrite) {
  struct Case {
    std::string in, message;
  };
  const std::vector<Case> cases = {
      {"took \\d+ms",
       "episodes: value regex 'took \\d+ms': has no capture for the value; add one, e.g. "
       "total_pre_upstream=(?<ms>\\d+)ms"},
      {"(?<a>\\d+) (?<b>\\d+)",
       "episodes: value regex '(?<a>\\d+) (?<b>\\d+)': has 2 named groups (a, b); name only "
       "the value's"},
      {"(?P<ms\\d+)",
       "episodes: value regex '(?P<ms\\d+)': a named group needs a name of letters, digits and "
       "'_' closed by '>', e.g. (?<ms>\\d+)"},
      {"(?P<>\\d+)",
       "episodes: value regex '(?P<>\\d+)': a named group needs a name of letters, digits and "
       "'_' closed by '>', e.g. (?<ms>\\d+)"},
      {"x=[0-9(\\d+)",
       "episodes: value regex 'x=[0-9(\\d+)': a '[' is not closed; close it with ']' or write \\["},
  };
  for (const Case& c : cases) {
    auto p = translate_value_pattern(c.in);
    ASSERT_FALSE(p.ok()) << c.in;
    EXPECT_EQ(p.status().message(), c.message);
  }
}

TEST(ValuePatternTest, RequiredLiteralIsConservative) {
  struct Case {
    std::string pattern, literal;
  };
  const std::vector<Case> cases = {
      {R"(total_pre_upstream=(\d+)ms)", "total_pre_upstream="},
      {R"(STAGE_TIMINGS .* total=(\d+)ms)", "STAGE_TIMINGS "},
      {R"(ab?cdef(\d+))", "cdef"},
      {R"(abcd*e(\d+))", "abc"},
      {R"(abc+de(\d+))", "abc"},
      {R"(xyzw{2}q(\d+))", "xyz"},
      {R"(a\.b\.c(\d+))", "a.b.c"},
      {R"(\d\d\d(x))", ""},
      {R"(total=(\d+)|latency=(\d+))", ""},
      {R"((?:total|sum)=(\d+))", ""},
      {R"(^[a-z]+ (\d+)$)", ""},
      {R"(x(\d+))", ""},
      {R"(took (\d+)ms)", "took "},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(required_literal(c.pattern), c.literal) << c.pattern;
  }
}

TEST(ValuePatternTest, ValuesWithAndWithoutUnits) {
  struct Case {
    std::string text;
    double unit_ms;
    std::optional<double> ms;
  };
  const std::vector<Case> cases = {
      {"812", 1.0, 812},        {"812", 1000.0, 812000}, {"1.5", 1000.0, 1500},
      {"850us", 1.0, 0.85},     {"850 us", 1.0, 0.85},   {"850\xC2\xB5s", 1.0, 0.85},
      {"2s", 1.0, 2000},        {"2.25s", 0.001, 2250},  {"40ms", 1000.0, 40},
      {" 7 ", 1.0, 7},          {"", 1.0, std::nullopt}, {"fast", 1.0, std::nullopt},
      {"12min", 1.0, std::nullopt}, {"-", 1.0, std::nullopt}, {"inf", 1.0, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto v = read_value_ms(c.text, c.unit_ms);
    ASSERT_EQ(v.has_value(), c.ms.has_value());
    if (v) {
      EXPECT_DOUBLE_EQ(*v, *c.ms);
    }
  }
}

}  // namespace
}  // namespace logtail::observers::episodes
