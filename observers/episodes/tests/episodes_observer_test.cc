// The episodes observer on hand-built batches with a clock the test moves: events and their
// fields, read times for lines without timestamps, ticks, sources kept apart, JSON fields,
// units, min lines, long lines, and the factory's errors.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "episodes/line_time.h"
#include "logtail/observers/episodes.h"
#include "rules/tests/observer_harness.h"

namespace logtail::observers {
namespace {

using namespace std::chrono_literals;
using harness::Batch;
using harness::FakeClock;
using harness::RecordingEmitter;

class EpisodesObserverTest : public ::testing::Test {
 protected:
  std::unique_ptr<EpisodesObserver> make(std::string_view spec) {
    auto options = parse_episode_spec(spec);
    EXPECT_TRUE(options.ok()) << options.status().message();
    options->clock = [this] { return clock_.now; };
    auto observer = EpisodesObserver::create(std::move(*options));
    EXPECT_TRUE(observer.ok()) << observer.status().message();
    return std::move(*observer);
  }

  void feed(EpisodesObserver& o, const std::vector<std::string>& lines,
            const std::string& source = "proxy.log") {
    std::uint64_t& next = next_offset_[source];
    Batch batch(lines, next);
    next = batch.end();
    out_.source = source;
    o.on_batch(batch.view(source), out_);
  }

  FakeClock clock_;
  RecordingEmitter out_;
  std::map<std::string, std::uint64_t> next_offset_;
};

constexpr std::string_view kSpec =
    R"(regex:total_pre_upstream=(?<ms>\d+)ms,threshold=500ms,gap=5s,max=60s)";

std::string stage(std::string_view time, int ms) {
  return std::string(time) + " INFO proxy STAGE_TIMINGS req=ab12 auth=3ms route=1ms "
                             "total_pre_upstream=" + std::to_string(ms) + "ms";
}

TEST_F(EpisodesObserverTest, OneEventPerEpisodeWithItsFields) {
  auto o = make(kSpec);
  const std::vector<std::string> lines = {
      stage("2026-11-22T22:45:18.000Z", 40),
      stage("2026-11-22T22:45:19.123Z", 812),
      stage("2026-11-22T22:45:20.000Z", 20),
      "2026-11-22T22:45:21.000Z WARN proxy upstream_retry backoff=800ms",
      stage("2026-11-22T22:45:22.500Z", 2300),
      stage("2026-11-22T22:45:23.000Z", 500),
      stage("2026-11-22T22:45:28.000Z", 30),
  };
  feed(*o, lines);
  ASSERT_EQ(out_.events.size(), 1u);
  const Event& e = out_.events[0].view();
  EXPECT_EQ(e.kind, "episode");
  EXPECT_EQ(e.severity, Severity::warning);
  EXPECT_EQ(e.source, "proxy.log");
  EXPECT_EQ(e.offset, lines[0].size() + 1);
  EXPECT_EQ(e.message,
            "slow episode: 3 lines over 500 ms from 22:45:19 to 22:45:23, max 2300 ms, mean "
            "1204 ms");
  EXPECT_EQ(out_.field(0, "start"), "2026-11-22T22:45:19.123Z");
  EXPECT_EQ(out_.field(0, "end"), "2026-11-22T22:45:23.000Z");
  EXPECT_EQ(out_.field(0, "count"), "3");
  EXPECT_EQ(out_.field(0, "max"), "2300");
  EXPECT_EQ(out_.field(0, "mean"), "1204");
  EXPECT_EQ(out_.field(0, "threshold"), "500");
  const auto c = o->counters();
  EXPECT_EQ(c.values, 6u);
  EXPECT_EQ(c.episodes, 1u);
  EXPECT_EQ(c.unreadable_values, 0u);
}

TEST_F(EpisodesObserverTest, LinesWithoutTimestampsUseTheReadTimeAndTicksCloseThem) {
  auto o = make("regex:took (?<ms>\\d+)ms,threshold=100ms,gap=2s");
  feed(*o, {"GET /a took 150ms", "GET /b took 20ms"});
  clock_.advance(1500ms);
  feed(*o, {"GET /c took 300ms"});
  o->on_tick(clock_.now + 1999ms, out_);
  EXPECT_TRUE(out_.events.empty());
  o->on_tick(clock_.now + 2s, out_);
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(out_.field(0, "count"), "2");
  EXPECT_EQ(out_.field(0, "max"), "300");
  EXPECT_EQ(out_.field(0, "mean"), "225");
  EXPECT_EQ(out_.field(0, "start"), episodes::format_iso_ms(FakeClock().now));
  EXPECT_EQ(out_.events[0]->source, "proxy.log");
  // Nothing is left to close.
  o->on_shutdown(out_);
  EXPECT_EQ(out_.events.size(), 1u);
}

TEST_F(EpisodesObserverTest, ShutdownClosesWhatIsOpenAndSourcesStayApart) {
  auto o = make(kSpec);
  feed(*o, {stage("2026-11-22T22:45:19.000Z", 900)}, "a.log");
  feed(*o, {stage("2026-11-22T22:45:30.000Z", 700)}, "b.log");
  // b.log's later time does not end a.log's episode.
  feed(*o, {stage("2026-11-22T22:45:20.000Z", 600)}, "a.log");
  EXPECT_TRUE(out_.events.empty());
  o->on_shutdown(out_);
  ASSERT_EQ(out_.events.size(), 2u);
  EXPECT_EQ(out_.events[0]->source, "a.log");
  EXPECT_EQ(out_.field(0, "count"), "2");
  EXPECT_EQ(out_.events[0]->offset, 0u);
  EXPECT_EQ(out_.events[1]->source, "b.log");
  EXPECT_EQ(out_.field(1, "count"), "1");
}

TEST_F(EpisodesObserverTest, ShortEpisodesAreCountedNotEmitted) {
  auto o = make(std::string(kSpec) + ",min=2");
  feed(*o, {stage("2026-11-22T22:45:19.000Z", 900), stage("2026-11-22T22:45:30.000Z", 900),
            stage("2026-11-22T22:45:31.000Z", 900)});
  o->on_shutdown(out_);
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(out_.field(0, "count"), "2");
  EXPECT_EQ(o->counters().short_episodes, 1u);
  EXPECT_EQ(o->counters().episodes, 1u);
}

TEST_F(EpisodesObserverTest, UnitsFromTheGroupNameTheOptionAndTheValue) {
  auto seconds = make("regex:stall=(?<s>[\\d.]+),threshold=1s");
  feed(*seconds, {"stall=0.5", "stall=1.25", "stall=2"});
  seconds->on_shutdown(out_);
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(out_.field(0, "max"), "2000");
  EXPECT_EQ(out_.field(0, "mean"), "1625");

  auto suffixed = make("regex:latency=(?<value>\\S+),threshold=1s,unit=us");
  feed(*suffixed, {"latency=1.5s", "latency=900ms", "latency=2000000", "latency=soon"});
  suffixed->on_shutdown(out_);
  ASSERT_EQ(out_.events.size(), 2u);
  EXPECT_EQ(out_.field(1, "count"), "2");
  EXPECT_EQ(out_.field(1, "max"), "2000");
  EXPECT_EQ(suffixed->counters().unreadable_values, 1u);

  auto conflict = parse_episode_spec("regex:t=(?<ms>\\d+),threshold=1s,unit=s");
  ASSERT_TRUE(conflict.ok());
  auto made = EpisodesObserver::create(*conflict);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().message(),
            "episodes: the value group is named 'ms' but unit is 's'; make them agree or rename "
            "the group to 'value'");
}

TEST_F(EpisodesObserverTest, LongLinesAreClippedForTheRegex) {
  auto o = make("regex:^(a|b)*x=(?<ms>\\d+),threshold=1ms");
  const std::string long_line = std::string(1 << 20, 'a') + "x=5";
  feed(*o, {"x=7", long_line});
  o->on_shutdown(out_);
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(out_.field(0, "count"), "1");
  EXPECT_EQ(o->counters().clipped_lines, 1u);
}

#if LOGTAIL_HAVE_SIMDJSON
TEST_F(EpisodesObserverTest, ValuesFromAJsonField) {
  auto o = make("json:timings.total,threshold=500ms,gap=5s");
  feed(*o, {
               R"({"ts":"x","timings":{"total":120}})",
               R"(2026-11-22T22:45:19Z {"not":"json at the start"})",
               R"({"timings":{"total":"812ms"}})",
               R"({"timings":{"total":0.9e3}})",
               R"({"log":"{\"timings\":{\"total\":600}}\n","stream":"stdout"})",
               R"({"timings":{"total":"slow"}})",
               R"({"timings":{"other":1}})",
               "plain text",
           });
  o->on_shutdown(out_);
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(out_.field(0, "count"), "3");
  EXPECT_EQ(out_.field(0, "max"), "900");
  EXPECT_EQ(out_.field(0, "mean"), "771");
  EXPECT_EQ(o->counters().values, 4u);
  EXPECT_EQ(o->counters().unreadable_values, 1u);
}
#endif

TEST_F(EpisodesObserverTest, FactoryErrors) {
  struct Case {
    std::string arg, message;
  };
  for (const Case& c : std::vector<Case>{
           {"regex:t=(\\d+,threshold=1s", "episodes: value regex 't=(\\d+' does not compile: "},
           {"regex:t=\\d+,threshold=1s",
            "episodes: value regex 't=\\d+': has no capture for the value; add one, e.g. "
            "total_pre_upstream=(?<ms>\\d+)ms"},
           {"regex:t=(\\d+),threshold=1s,gap=0s",
            "episodes: gap must be above zero (at least 1ms); a zero gap would end every "
            "episode at once, e.g. gap=5s"},
       }) {
    auto made = make_episodes_observer(c.arg);
    ASSERT_FALSE(made.ok()) << c.arg;
    EXPECT_EQ(made.status().message().substr(0, c.message.size()), c.message);
  }
  auto good = make_episodes_observer(kSpec);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ((*good)->name(), "episodes");
}

}  // namespace
}  // namespace logtail::observers
