// The rules observer through the engine on real files: JSON lines, a container runtime's
// envelope and plain text mixed in one file, read from the beginning with drain(); and the
// same through the registry by name, as `--observer rules=PATH` builds it.
// The rules observer is built only with simdjson (LOGTAIL_WITH_SIMDJSON).
#if LOGTAIL_HAVE_SIMDJSON
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logtail/builtin_observers.h"
#include "logtail/logtail.h"
#include "logtail/observers/rules.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

class EventRecorder final : public Sink {
 public:
  std::string_view name() const override { return "recorder"; }
  Status consume(const Event& e, Delivery&) override {
    std::lock_guard lock(mu_);
    events_.emplace_back(e);
    return {};
  }
  std::vector<OwnedEvent> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<OwnedEvent> events_;
};

std::string field_of(const OwnedEvent& e, std::string_view key) {
  for (const Field& f : e->fields)
    if (f.key == key) return std::string(f.value);
  return "<none>";
}

class RulesEngineTest : public ::testing::Test {
 protected:
  // The file's lines and the offset of each.
  void write_log(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& l : lines) {
      offsets_.push_back(text.size());
      text += l + "\n";
    }
    dir_.write("app.log", text);
  }

  EngineOptions options() const {
    EngineOptions o;
    o.start_at = StartAt::beginning;
    o.poll_interval = std::chrono::milliseconds(100);
    return o;
  }

  logtail::test::TempDir dir_;
  std::vector<std::uint64_t> offsets_;
};

const std::vector<std::string> kLines = {
    R"({"ts":"2026-11-22T22:45:19.001Z","status":200,"path":"/api/users"})",
    R"({"ts":"2026-11-22T22:45:19.002Z","status":503,"path":"/api/users"})",
    "plain text line from a library that does not log JSON",
    R"({"log":"{\"status\":\"502\",\"path\":\"/api/orders\"}\n","stream":"stderr","time":"2026-11-22T22:45:19.003Z"})",
    R"({"ts":"2026-11-22T22:45:19.004Z","status":404,"path":"/favicon.ico"})",
    R"({"ts":"2026-11-22T22:45:19.005Z","status":500,"path":"/web/home"})",
    R"({"ts":"2026-11-22T22:45:19.006Z","status":504,"path":"/api/users"})",
    R"({"ts":"2026-11-22T22:45:19.007Z","level":"error","msg":"db pool exhausted"})",
    R"({"ts":"2026-11-22T22:45:19.008Z","status":5)",  // cut off mid-write
};

TEST_F(RulesEngineTest, FiresAtTheLineThatReachesTheThreshold) {
  write_log(kLines);
  auto rules = parse_rules(R"([
    {"label":"api_5xx","match":[{"field":"status","gte":500},{"field":"path","contains":"/api/"}],
     "threshold":3,"window_seconds":60},
    {"label":"db_errors","severity":"error","match":{"field":"msg","regex":"^db "}},
    {"label":"teapots","match":{"field":"status","eq":418}}])");
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  auto observer = RulesObserver::create(std::move(*rules));
  ASSERT_TRUE(observer.ok());
  RulesObserver* rules_observer = observer->get();

  Engine engine(options());
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  auto& added = engine.add(std::move(*observer));
  auto recorder = std::make_shared<EventRecorder>();
  engine.route(added, recorder);
  ASSERT_TRUE(engine.drain().ok());

  const auto events = recorder->events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]->observer, "rules");
  EXPECT_EQ(events[0]->kind, "rule");
  EXPECT_EQ(events[0]->source, dir_.file("app.log").string());
  EXPECT_EQ(events[0]->offset, offsets_[6]);  // 503, 502 (in the envelope), 504
  EXPECT_EQ(events[0]->message, "api_5xx: 3 matches in 60 s (threshold 3)");
  EXPECT_EQ(field_of(events[0], "count"), "3");
  EXPECT_EQ(events[1]->offset, offsets_[7]);
  EXPECT_EQ(events[1]->severity, Severity::error);
  EXPECT_EQ(events[1]->message, "db_errors: 1 match in 60 s (threshold 1)");

  // The plain line and the cut-off one.
  EXPECT_EQ(rules_observer->skipped_lines(), 2u);
  const auto state = rules_observer->state();
  ASSERT_EQ(state.size(), 3u);
  EXPECT_EQ(state[0].count, 3u);
  EXPECT_EQ(state[1].count, 1u);
  EXPECT_EQ(state[2].count, 0u);
}

// A host reacting to a rule event by reading the state and tuning the rule, from inside the
// sink on the loop thread: nothing is locked while the observer emits.
TEST_F(RulesEngineTest, ASinkMayReadStateAndReplaceRulesWhileConsuming) {
  write_log(kLines);
  auto rules = parse_rules(R"([{"label":"any_5xx","match":{"field":"status","gte":500},
                                "threshold":2}])");
  ASSERT_TRUE(rules.ok());
  auto observer = RulesObserver::create(std::move(*rules));
  ASSERT_TRUE(observer.ok());
  RulesObserver* watch = observer->get();

  std::vector<std::string> seen;
  auto sink = sinks::callback([&](const Event& e) {
    const auto state = watch->state();
    seen.push_back(std::string(e.message) + " / state count " + std::to_string(state[0].count));
    Rule raised;
    raised.label = "any_5xx";
    raised.threshold = state[0].threshold + 1;
    raised.match = {{"status", RuleOp::gte, RuleValue::number(500)}};
    return watch->replace_rules({raised});
  });
  Engine engine(options());
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  engine.route(engine.add(std::move(*observer)), sink);
  ASSERT_TRUE(engine.drain().ok());

  // 503 and 502 fire the rule. Inside the batch, state() still reports the previous batch or
  // tick, and the raised threshold waits for the next one; the point here is that neither call
  // blocks.
  ASSERT_GE(seen.size(), 1u);
  EXPECT_EQ(seen[0].rfind("any_5xx: 2 matches in 60 s (threshold 2) / state count ", 0), 0u)
      << seen[0];
  EXPECT_EQ(watch->state()[0].count, 4u);
}

TEST_F(RulesEngineTest, BuiltThroughTheRegistryByName) {
  write_log(kLines);
  dir_.write("rules.json", R"({"rules": [
    {"label":"any_5xx","match":{"field":"status","gte":500},"threshold":4}]})");
  Registry registry;
  ASSERT_TRUE(add_builtin_observers(registry).ok());
  auto made = registry.make_observer("rules=" + dir_.file("rules.json").string());
  ASSERT_TRUE(made.ok()) << made.status().message();

  Engine engine(options());
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  auto& added = engine.add(std::move(*made));
  auto recorder = std::make_shared<EventRecorder>();
  engine.route(added, recorder);
  ASSERT_TRUE(engine.drain().ok());

  const auto events = recorder->events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]->offset, offsets_[6]);  // 503, 502, 500, 504
  EXPECT_EQ(events[0]->message, "any_5xx: 4 matches in 60 s (threshold 4)");

  dir_.write("broken.json", "[{\"label\": \"x\", \"match\": {\"field\": \"s\", \"eq\": 1}},]");
  auto broken = registry.make_observer("rules=" + dir_.file("broken.json").string());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message(),
            "rules: " + dir_.file("broken.json").string() + ":1:51: trailing comma before ']'");
}

}  // namespace
}  // namespace logtail::observers

#endif  // LOGTAIL_HAVE_SIMDJSON
