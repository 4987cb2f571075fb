// The summarizer through the engine on real files: acknowledgements wait for the summary,
// a clean stop summarizes the open window, the rate limit merges windows, and a failing
// backend falls back to the template sentence.
#include "logtail/summarizer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <regex>
#include <thread>
#include <string>
#include <vector>

#include "logtail/engine.h"
#include "logtail/observers.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

// Keeps every summary it is given; fails them all when told to.
class Recorder final : public SummarySink {
 public:
  explicit Recorder(bool fail = false) : fail_(fail) {}
  std::string_view name() const override { return "recorder"; }
  Status take(const Summary& summary) override {
    std::lock_guard lock(mu_);
    seen_.push_back(summary);
    if (fail_) return Status(StatusKind::unavailable, "recorder told to fail");
    return {};
  }
  std::vector<Summary> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  bool fail_;
  mutable std::mutex mu_;
  std::vector<Summary> seen_;
};

class FailingBackend final : public SummaryBackend {
 public:
  std::string_view name() const override { return "flaky"; }
  Result<Summary> summarize(const SummaryRequest&) override {
    return Status(StatusKind::unavailable, "the model is asleep");
  }
};

class SummarizerTest : public ::testing::Test {
 protected:
  std::shared_ptr<Summarizer> summarizer(SummarizerOptions options,
                                         std::shared_ptr<SummarySink> sink,
                                         std::unique_ptr<SummaryBackend> backend = nullptr) {
    options.on_diagnostic = [this](const Diagnostic& d) {
      std::lock_guard lock(mu_);
      diagnostics_.push_back(d);
    };
    auto created = Summarizer::create(options, std::move(backend), {std::move(sink)});
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? *created : nullptr;
  }

  // Reads app.log to its end (resuming from the state directory) through the summarizer.
  void drain(const std::shared_ptr<Summarizer>& sink) {
    EngineOptions options;
    options.state_dir = dir_.file("state");
    options.start_at = StartAt::beginning;
    Engine engine(options);
    ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
    engine.route(engine.add(observers::lines()), sink);
    const Status s = engine.drain();
    EXPECT_TRUE(s.ok()) << s.message();
  }

  std::vector<Diagnostic> diagnostics() const {
    std::lock_guard lock(mu_);
    return diagnostics_;
  }

  test::TempDir dir_;
  mutable std::mutex mu_;
  std::vector<Diagnostic> diagnostics_;
};

// The sentence with its time span written as "<span>": how long a window stayed open on a
// loaded machine is not the point of these tests.
std::string without_span(const std::string& text) {
  static const std::regex span("in the last (second|[0-9]+ seconds|[0-9]+ minutes)");
  return std::regex_replace(text, span, "in the last <span>");
}

SummarizerOptions hour_window() {
  SummarizerOptions o;
  o.window = 1h;
  return o;
}

TEST_F(SummarizerTest, ACleanStopSummarizesTheOpenWindow) {
  dir_.write("app.log", "disk full on /var\ndisk full on /srv\nretrying upload 3\n");
  auto recorder = std::make_shared<Recorder>();
  auto sink = summarizer(hour_window(), recorder);
  drain(sink);
  const auto seen = recorder->seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].event_count, 3u);
  EXPECT_EQ(seen[0].backend, "template");
  EXPECT_EQ(seen[0].sources, std::vector<std::string>{dir_.file("app.log").string()});
  EXPECT_EQ(without_span(seen[0].text),
            "app.log: 3 events in the last <span>, mostly 'disk full on <PATH>' (2); new: "
            "'retrying upload 3'.");
  EXPECT_EQ(sink->counters().summaries, 1u);
}

TEST_F(SummarizerTest, EventsAreAcknowledgedOnlyOnceTheirSummaryIsTaken) {
  dir_.write("app.log", "first failure\nsecond failure\nthird failure\n");
  // The downstream sink refuses the summary: nothing may be committed.
  auto refusing = std::make_shared<Recorder>(/*fail=*/true);
  auto sink = summarizer(hour_window(), refusing);
  drain(sink);
  ASSERT_EQ(refusing->seen().size(), 1u);
  EXPECT_EQ(sink->counters().failed, 1u);
  bool reported = false;
  for (const Diagnostic& d : diagnostics()) {
    reported |= d.kind == DiagnosticKind::sink_error &&
                d.message.find("recorder told to fail") != std::string::npos;
  }
  EXPECT_TRUE(reported);

  // So a restart delivers the same three events again, and this time they are taken ...
  auto recorder = std::make_shared<Recorder>();
  drain(summarizer(hour_window(), recorder));
  ASSERT_EQ(recorder->seen().size(), 1u);
  EXPECT_EQ(recorder->seen()[0].event_count, 3u);

  // ... and committed: a third run has nothing to summarize.
  auto after = std::make_shared<Recorder>();
  drain(summarizer(hour_window(), after));
  EXPECT_TRUE(after->seen().empty());
}

TEST_F(SummarizerTest, WindowsCloseByCountWhileRunning) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "worker " + std::to_string(i) + " crashed\n";
  dir_.write("app.log", text);
  SummarizerOptions o = hour_window();
  o.max_events = 4;
  o.max_per_minute = 0;
  auto recorder = std::make_shared<Recorder>();
  drain(summarizer(o, recorder));
  const auto seen = recorder->seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].event_count, 4u);
  EXPECT_EQ(seen[1].event_count, 4u);
  EXPECT_EQ(seen[2].event_count, 2u);  // the rest, at the clean stop
}

TEST_F(SummarizerTest, TheRateLimitMergesWindowsInAFlood) {
  dir_.write("app.log", "");
  SummarizerOptions o;
  o.window = 50ms;
  o.max_per_minute = 1;
  auto recorder = std::make_shared<Recorder>();
  auto sink = summarizer(o, recorder);

  EngineOptions options;
  options.state_dir = dir_.file("state");
  options.start_at = StartAt::beginning;
  Engine engine(options);
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  engine.route(engine.add(observers::lines()), sink);
  ASSERT_TRUE(engine.start().ok());

  dir_.append("app.log", "a broke\n");
  ASSERT_TRUE(test::wait_until([&] { return recorder->seen().size() == 1; }));
  // Two more bursts, each in a window of its own: the limit holds both back.
  dir_.append("app.log", "b broke\nb broke\n");
  const auto taken = [&](std::uint64_t events) {
    return test::wait_until(
        [&] { return engine.counters().events == events && sink->queued() == 0; });
  };
  ASSERT_TRUE(taken(3));
  std::this_thread::sleep_for(150ms);  // so the next burst falls in a later window
  dir_.append("app.log", "c broke\n");
  ASSERT_TRUE(taken(4));
  EXPECT_EQ(recorder->seen().size(), 1u);

  ASSERT_TRUE(engine.stop().ok());
  const auto seen = recorder->seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].event_count, 3u);
  EXPECT_EQ(without_span(seen[1].text),
            "app.log: 3 events in the last <span>, mostly 'b broke' (2); new: 'c broke'.");
}

TEST_F(SummarizerTest, AFailingBackendFallsBackToTheTemplateSentence) {
  dir_.write("app.log", "payment declined\n");
  auto recorder = std::make_shared<Recorder>();
  auto sink = summarizer(hour_window(), recorder, std::make_unique<FailingBackend>());
  drain(sink);
  const auto seen = recorder->seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].backend, "template");
  EXPECT_EQ(seen[0].fallback_reason, "the model is asleep");
  EXPECT_EQ(without_span(seen[0].text),
            "app.log: 1 event in the last <span>: 'payment declined'.");
  EXPECT_EQ(sink->counters().fallbacks, 1u);
  ASSERT_FALSE(diagnostics().empty());
  EXPECT_EQ(diagnostics()[0].kind, DiagnosticKind::summary_fallback);
  EXPECT_EQ(diagnostics()[0].message,
            "summary backend 'flaky' failed: the model is asleep; the template sentence is "
            "used instead");
}

TEST_F(SummarizerTest, BadOptionsAreRefusedByName) {
  SummarizerOptions o;
  o.window = 0ms;
  auto zero_window = Summarizer::create(o, nullptr, {});
  ASSERT_FALSE(zero_window.ok());
  EXPECT_EQ(zero_window.status().kind(), StatusKind::invalid_argument);
  EXPECT_EQ(zero_window.status().message(),
            "summary window 0 ms: give a window of at least 1 ms");

  SummarizerOptions no_events;
  no_events.max_events = 0;
  EXPECT_FALSE(Summarizer::create(no_events, nullptr, {}).ok());

  auto null_sink = Summarizer::create(SummarizerOptions{}, nullptr, {nullptr});
  ASSERT_FALSE(null_sink.ok());
  EXPECT_EQ(null_sink.status().message(),
            "summarizer downstream sink is null: pass a SummarySink");
}

}  // namespace
}  // namespace logtail
