// The compact spec behind `--observer episodes=SPEC`, and the checks on options from code.
#include "episodes/episode_spec.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace logtail::observers {
namespace {

using namespace std::chrono_literals;

TEST(EpisodeSpecTest, ReadsTheDocumentedExample) {
  auto o = parse_episode_spec(
      R"(regex:total_pre_upstream=(?<ms>\d+)ms,threshold=500ms,gap=5s,max=60s)");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->regex, R"(total_pre_upstream=(?<ms>\d+)ms)");
  EXPECT_TRUE(o->json_field.empty());
  EXPECT_EQ(o->threshold_ms, 500);
  EXPECT_EQ(o->gap, 5s);
  EXPECT_EQ(o->max, 60s);
  EXPECT_FALSE(o->unit.has_value());
  EXPECT_EQ(o->min_lines, 1u);
}

TEST(EpisodeSpecTest, OptionsComeFromTheEndSoPatternsKeepTheirCommas) {
  auto o = parse_episode_spec(R"(regex:a,b=(\d{1,6})ms,max=2m,threshold=1.5s,min=3,unit=us)");
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->regex, R"(a,b=(\d{1,6})ms)");
  EXPECT_EQ(o->threshold_ms, 1500);
  EXPECT_EQ(o->gap, 5s);  // the default
  EXPECT_EQ(o->max, 120s);
  EXPECT_EQ(o->min_lines, 3u);
  EXPECT_EQ(o->unit, ValueUnit::us);

  auto j = parse_episode_spec("json:timings.total,threshold=250us,gap=1h");
  ASSERT_TRUE(j.ok()) << j.status().message();
  EXPECT_EQ(j->json_field, "timings.total");
  EXPECT_DOUBLE_EQ(j->threshold_ms, 0.25);
  EXPECT_EQ(j->gap, 1h);
}

TEST(EpisodeSpecTest, ErrorsNameTheOptionAndTheFix) {
  const std::string example =
      "e.g. episodes=regex:total_pre_upstream=(?<ms>\\d+)ms,threshold=500ms,gap=5s,max=60s";
  struct Case {
    std::string spec, message;
  };
  const std::vector<Case> cases = {
      {"", "episodes: needs a spec naming where the value is and the threshold; " + example},
      {"total=(\\d+)",
       "episodes: spec 'total=(\\d+)' must start with 'regex:' or 'json:'; " + example},
      {"regex:,threshold=1s", "episodes: regex: needs a pattern, e.g. regex:total=(?<ms>\\d+)ms"},
      {"json:,threshold=1s", "episodes: json: needs a field path, e.g. json:timings.total_ms"},
      {"regex:t=(\\d+)", "episodes: threshold is required, e.g. threshold=500ms; " + example},
      {"regex:t=(\\d+),threshold=500",
       "episodes: threshold '500' needs a unit: us, ms, s, m or h, e.g. threshold=500ms"},
      {"regex:t=(\\d+),threshold=5sec",
       "episodes: threshold '5sec' has an unknown unit 'sec'; use us, ms, s, m or h"},
      {"regex:t=(\\d+),threshold=fast",
       "episodes: threshold 'fast' is not a duration; write a number and a unit (us, ms, s, m, "
       "h), e.g. 500ms"},
      {"regex:t=(\\d+),threshold=-5ms",
       "episodes: threshold '-5ms' is negative; give a positive duration like 500ms"},
      {"regex:t=(\\d+),threshold=0ms", "episodes: threshold must be above zero, e.g. threshold=500ms"},
      {"regex:t=(\\d+),threshold=1s,gap=0s",
       "episodes: gap must be above zero (at least 1ms); a zero gap would end every episode at "
       "once, e.g. gap=5s"},
      {"regex:t=(\\d+),threshold=1s,gap=-2s",
       "episodes: gap '-2s' is negative; give a positive duration like 500ms"},
      {"regex:t=(\\d+),threshold=1s,gap=200us",
       "episodes: gap must be above zero (at least 1ms); a zero gap would end every episode at "
       "once, e.g. gap=5s"},
      {"regex:t=(\\d+),threshold=1s,max=0ms",
       "episodes: max must be above zero (at least 1ms); a zero max would end every episode at "
       "once, e.g. max=60s"},
      {"regex:t=(\\d+),threshold=1s,max=32d",
       "episodes: max '32d' has an unknown unit 'd'; use us, ms, s, m or h"},
      {"regex:t=(\\d+),threshold=1s,max=745h", "episodes: max must be at most 31 days"},
      {"regex:t=(\\d+),threshold=1s,unit=min", "episodes: unit 'min' is not known; use us, ms or s"},
      {"regex:t=(\\d+),threshold=1s,min=0",
       "episodes: min '0' must be a whole number of lines, at least 1"},
      {"regex:t=(\\d+),threshold=1s,threshold=2s",
       "episodes: option 'threshold' is given twice; keep one"},
      {"regex:t=(\\d+),treshold=1s",
       "episodes: unknown option 'treshold'; options are threshold, gap, max, unit, min (a "
       "pattern that ends like an option can write its comma as [,])"},
      {"json:a..b,threshold=1s",
       "episodes: JSON field path 'a..b' is empty or has an empty part; write parts separated "
       "by single dots, e.g. timings.total_ms"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.spec);
    auto o = parse_episode_spec(c.spec);
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(o.status().message(), c.message);
  }
}

TEST(EpisodeSpecTest, OptionsFromCodeAreChecked) {
  auto base = [] {
    EpisodeOptions o;
    o.regex = "t=(\\d+)";
    o.threshold_ms = 500;
    return o;
  };
  EXPECT_TRUE(episodes::check_options(base()).ok());
  struct Case {
    EpisodeOptions options;
    std::string message;
  };
  std::vector<Case> cases;
  {
    auto o = base();
    o.gap = 0ms;
    cases.push_back({o, "episodes: gap must be above zero; a zero or negative quiet gap would "
                        "end every episode at once, e.g. gap=5s"});
  }
  {
    auto o = base();
    o.gap = -5s;
    cases.push_back({o, "episodes: gap must be above zero; a zero or negative quiet gap would "
                        "end every episode at once, e.g. gap=5s"});
  }
  {
    auto o = base();
    o.json_field = "x";
    cases.push_back({o, "episodes: set exactly one value source: a regex or a JSON field"});
  }
  {
    auto o = base();
    o.regex.clear();
    cases.push_back({o, "episodes: set exactly one value source: a regex or a JSON field"});
  }
  {
    auto o = base();
    o.threshold_ms = -1;
    cases.push_back({o, "episodes: threshold must be above zero, e.g. threshold=500ms"});
  }
  {
    auto o = base();
    o.max = 0ms;
    cases.push_back({o, "episodes: max must be above zero, e.g. max=60s"});
  }
  {
    auto o = base();
    o.min_lines = 0;
    cases.push_back({o, "episodes: min must be at least 1 line"});
  }
  for (const Case& c : cases) {
    Status st = episodes::check_options(c.options);
    ASSERT_FALSE(st.ok()) << c.message;
    EXPECT_EQ(st.message(), c.message);
  }
}

}  // namespace
}  // namespace logtail::observers
