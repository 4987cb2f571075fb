// The rules observer on hand-built batches with a clock the test moves: firing once at the
// threshold, decay and re-arming on ticks, skipped lines, rules replaced at run time, and the
// registry factory's errors.
// The rules observer is built only with simdjson (LOGTAIL_WITH_SIMDJSON).
#if LOGTAIL_HAVE_SIMDJSON
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "logtail/observers/rules.h"
#include "rules/tests/observer_harness.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

using namespace std::chrono_literals;
using harness::Batch;
using harness::FakeClock;
using harness::RecordingEmitter;

constexpr std::string_view kSpike =
    R"([{"label":"http_5xx_spike","match":{"field":"status","gte":500},"threshold":3,"window_seconds":60}])";

std::string status_line(int status) {
  return R"({"ts":"2026-11-22T22:45:19Z","status":)" + std::to_string(status) + "}";
}

class RulesObserverTest : public ::testing::Test {
 protected:
  std::unique_ptr<RulesObserver> make(std::string_view rules_text) {
    auto rules = parse_rules(rules_text);
    EXPECT_TRUE(rules.ok()) << rules.status().message();
    RulesOptions options;
    options.clock = [this] { return clock_.now; };
    auto observer = RulesObserver::create(std::move(*rules), options);
    EXPECT_TRUE(observer.ok()) << observer.status().message();
    return std::move(*observer);
  }

  void feed(RulesObserver& o, const std::vector<std::string>& lines) {
    Batch batch(lines, next_offset_);
    next_offset_ = batch.end();
    out_.source = "app.log";
    o.on_batch(batch.view("app.log"), out_);
  }

  FakeClock clock_;
  RecordingEmitter out_;
  std::uint64_t next_offset_ = 0;
  logtail::test::TempDir dir_;
};

TEST_F(RulesObserverTest, FiresOnceWhenTheCountReachesTheThreshold) {
  auto o = make(kSpike);
  feed(*o, {status_line(503), status_line(200), "not json at all", status_line(502)});
  EXPECT_TRUE(out_.events.empty());
  clock_.advance(1s);
  feed(*o, {status_line(500), status_line(504), status_line(599)});
  ASSERT_EQ(out_.events.size(), 1u);
  const Event& e = out_.events[0].view();
  EXPECT_EQ(e.kind, "rule");
  EXPECT_EQ(e.severity, Severity::warning);
  EXPECT_EQ(e.message, "http_5xx_spike: 3 matches in 60 s (threshold 3)");
  EXPECT_EQ(e.source, "app.log");
  // The line that reached the threshold: the first of the second batch.
  const std::uint64_t first_batch_bytes = 3 * (status_line(503).size() + 1) + 16;
  EXPECT_EQ(e.offset, first_batch_bytes);
  EXPECT_EQ(out_.field(0, "count"), "3");
  EXPECT_EQ(out_.field(0, "threshold"), "3");
  EXPECT_EQ(out_.field(0, "window_seconds"), "60");
  EXPECT_EQ(out_.field(0, "label"), "http_5xx_spike");
  EXPECT_EQ(o->skipped_lines(), 1u);

  const auto state = o->state();
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0].label, "http_5xx_spike");
  EXPECT_EQ(state[0].count, 5u);
  EXPECT_EQ(state[0].threshold, 3u);
  EXPECT_EQ(state[0].window, 60s);
  EXPECT_TRUE(state[0].fired);
}

TEST_F(RulesObserverTest, TicksSlideTheWindowAndReArm) {
  auto o = make(kSpike);
  feed(*o, {status_line(500), status_line(500)});  // t = 0
  clock_.advance(30s);
  feed(*o, {status_line(500)});  // t = 30 s: fires with 3
  ASSERT_EQ(out_.events.size(), 1u);

  // No lines; the window slides on ticks only.
  o->on_tick(clock_.now + 29s, out_);
  EXPECT_EQ(o->state()[0].count, 3u);
  EXPECT_TRUE(o->state()[0].fired);
  o->on_tick(clock_.now + 30s, out_);  // the two at t = 0 leave
  EXPECT_EQ(o->state()[0].count, 1u);
  EXPECT_FALSE(o->state()[0].fired);  // re-armed
  EXPECT_EQ(out_.events.size(), 1u);

  clock_.advance(31s);
  feed(*o, {status_line(501)});
  EXPECT_EQ(out_.events.size(), 1u);  // 2 of 3
  feed(*o, {status_line(502)});
  ASSERT_EQ(out_.events.size(), 2u);
  EXPECT_EQ(out_.events[1]->message, "http_5xx_spike: 3 matches in 60 s (threshold 3)");

  o->on_tick(clock_.now + 90s, out_);
  EXPECT_EQ(o->state()[0].count, 0u);
}

TEST_F(RulesObserverTest, StaysQuietWhileAboveTheThreshold) {
  auto o = make(kSpike);
  for (int i = 0; i < 50; ++i) {
    feed(*o, {status_line(500)});
    clock_.advance(1s);
    o->on_tick(clock_.now, out_);
  }
  EXPECT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(o->state()[0].count, 50u);
}

TEST_F(RulesObserverTest, SeverityAndSingularFromTheRule) {
  auto o = make(R"([{"label":"panic","severity":"critical","window_seconds":2.5,
                     "match":{"field":"msg","regex":"^panic:"}}])");
  feed(*o, {R"({"msg":"all good"})", R"({"msg":"panic: nil map"})"});
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(out_.events[0]->severity, Severity::critical);
  EXPECT_EQ(out_.events[0]->message, "panic: 1 match in 2.5 s (threshold 1)");
  EXPECT_EQ(out_.field(0, "window_seconds"), "2.5");
}

TEST_F(RulesObserverTest, RulesAreCountedIndependentlyOnOneLine) {
  auto o = make(R"([
    {"label":"errors","match":{"field":"level","eq":"error"},"threshold":2},
    {"label":"db","match":{"field":"component","eq":"db"},"threshold":1},
    {"label":"never","match":{"field":"component","eq":"cache"},"threshold":1}])");
  feed(*o, {R"({"level":"error","component":"db"})", R"({"level":"error","component":"web"})"});
  ASSERT_EQ(out_.events.size(), 2u);
  EXPECT_EQ(out_.events[0]->message, "db: 1 match in 60 s (threshold 1)");
  EXPECT_EQ(out_.events[1]->message, "errors: 2 matches in 60 s (threshold 2)");
  const auto state = o->state();
  ASSERT_EQ(state.size(), 3u);
  EXPECT_EQ(state[0].count, 2u);
  EXPECT_EQ(state[1].count, 1u);
  EXPECT_EQ(state[2].count, 0u);
  EXPECT_FALSE(state[2].fired);
}

TEST_F(RulesObserverTest, ReplacedRulesTakeEffectAtTheNextBatchAndKeepWindowsByLabel) {
  auto o = make(kSpike);
  feed(*o, {status_line(500), status_line(500)});
  auto next = parse_rules(R"([
    {"label":"http_5xx_spike","match":{"field":"status","gte":500},"threshold":2,"window_seconds":60},
    {"label":"http_4xx","match":{"field":"status","gte":400,"lt":500},"threshold":1}])");
  ASSERT_TRUE(next.ok());
  ASSERT_TRUE(o->replace_rules(std::move(*next)).ok());
  // Staged, not yet taken.
  ASSERT_EQ(o->state().size(), 1u);
  EXPECT_EQ(o->state()[0].threshold, 3u);

  // The lowered threshold is already reached: it fires at the tick, with no line behind it.
  out_.source.clear();
  o->on_tick(clock_.now, out_);
  ASSERT_EQ(out_.events.size(), 1u);
  EXPECT_EQ(out_.events[0]->message, "http_5xx_spike: 2 matches in 60 s (threshold 2)");
  EXPECT_EQ(out_.events[0]->source, "");
  auto state = o->state();
  ASSERT_EQ(state.size(), 2u);
  EXPECT_EQ(state[0].count, 2u);
  EXPECT_TRUE(state[0].fired);
  EXPECT_EQ(state[1].label, "http_4xx");
  EXPECT_EQ(state[1].count, 0u);

  feed(*o, {status_line(404)});
  ASSERT_EQ(out_.events.size(), 2u);
  EXPECT_EQ(out_.events[1]->message, "http_4xx: 1 match in 60 s (threshold 1)");
}

TEST_F(RulesObserverTest, ABadReplacementLeavesTheRulesInPlace) {
  auto o = make(kSpike);
  Rule bad;
  bad.label = "x";
  bad.match = {{"msg", RuleOp::regex, RuleValue::string("(unclosed")}};
  Status st = o->replace_rules({bad});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("rules: rule 'x': regex \"(unclosed\" does not compile", 0), 0u)
      << st.message();
  feed(*o, {status_line(500)});
  ASSERT_EQ(o->state().size(), 1u);
  EXPECT_EQ(o->state()[0].label, "http_5xx_spike");
  EXPECT_EQ(o->state()[0].count, 1u);
}

TEST_F(RulesObserverTest, ReplaceAndStateFromAnotherThreadWhileBatchesRun) {
  auto o = make(kSpike);
  std::atomic<bool> done{false};
  std::thread host([&] {
    int round = 0;
    while (!done.load()) {
      Rule r;
      r.label = "http_5xx_spike";
      r.threshold = 1000 + static_cast<std::uint64_t>(round++ % 7);
      r.match = {{"status", RuleOp::gte, RuleValue::number(500)}};
      EXPECT_TRUE(o->replace_rules({r}).ok());
      EXPECT_EQ(o->state().size(), 1u);
    }
  });
  for (int i = 0; i < 300; ++i) feed(*o, {status_line(500), status_line(200)});
  done = true;
  host.join();
  o->on_tick(clock_.now, out_);
  const auto state = o->state();
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0].count, 300u);  // one window kept across every replacement
  EXPECT_GE(state[0].threshold, 3u);
}

TEST_F(RulesObserverTest, RegistryFactoryLoadsAFileAndReportsBadOnes) {
  dir_.write("rules.json", std::string(kSpike));
  auto made = make_rules_observer(dir_.file("rules.json").string());
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ((*made)->name(), "rules");

  auto empty = make_rules_observer("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(),
            "rules: needs a rules file; use --observer rules=PATH (see docs/observers/rules.md)");

  dir_.write("bad.json", "[{\"label\":\"a\",\n \"match\":{\"field\":\"s\",\"gte\":\"x\"}}]");
  auto bad = make_rules_observer(dir_.file("bad.json").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "rules: " + dir_.file("bad.json").string() +
                ":2:29: the operand of 'gte' must be a number");

  auto missing = make_rules_observer(dir_.file("nope.json").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), StatusKind::not_found);
}

}  // namespace
}  // namespace logtail::observers

#endif  // LOGTAIL_HAVE_SIMDJSON
