#include "windows.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace logtail::summarizer {
namespace {

using namespace std::chrono_literals;

const Clock::time_point kT0 = Clock::time_point{} + std::chrono::hours(24 * 365 * 56);

Event incident(std::string_view message, Severity severity = Severity::error,
               std::string_view source = "/var/log/payments.log") {
  Event e;
  e.source = source;
  e.observer = "incidents";
  e.kind = "incident";
  e.severity = severity;
  e.message = message;
  return e;
}

WindowOptions options(std::size_t max_per_minute = 0) {
  WindowOptions o;
  o.window = 5s;
  o.max_events = 100;
  o.history_depth = 1024;
  o.max_per_minute = max_per_minute;
  return o;
}

TEST(WindowsTest, AnEmptyWindowIsNeverDue) {
  Windows w(options());
  EXPECT_TRUE(w.empty());
  EXPECT_FALSE(w.due(kT0 + 1h));
}

TEST(WindowsTest, ClosesByTimeFromItsFirstEvent) {
  Windows w(options());
  w.add(incident("db timeout after 30 ms"), kT0);
  w.add(incident("db timeout after 31 ms"), kT0 + 4s);
  EXPECT_FALSE(w.due(kT0 + 4999ms));
  EXPECT_TRUE(w.due(kT0 + 5s));
  const SummaryRequest r = w.take(kT0 + 5s);
  EXPECT_EQ(r.event_count, 2u);
  EXPECT_EQ(r.window_start, kT0);
  EXPECT_EQ(r.window_end, kT0 + 5s);
  EXPECT_TRUE(w.empty());
  EXPECT_FALSE(w.due(kT0 + 1h));
}

TEST(WindowsTest, ClosesByCountFirstWhenThatComesFirst) {
  WindowOptions o = options();
  o.max_events = 3;
  Windows w(o);
  w.add(incident("a 1"), kT0);
  w.add(incident("a 2"), kT0);
  EXPECT_FALSE(w.due(kT0));
  w.add(incident("a 3"), kT0 + 1ms);
  EXPECT_TRUE(w.due(kT0 + 1ms));
  EXPECT_EQ(w.take(kT0 + 1ms).event_count, 3u);
}

TEST(WindowsTest, CollapsesRepeatsByTemplateMostFrequentFirst) {
  Windows w(options());
  w.add(incident("2026-11-26 10:00:01 ERROR db timeout after 3000 ms"), kT0);
  w.add(incident("2026-11-26 10:00:02 FATAL out of memory", Severity::critical), kT0 + 1s);
  w.add(incident("2026-11-26 10:00:03 ERROR db timeout after 3100 ms"), kT0 + 2s);
  w.add(incident("2026-11-26 10:00:04 ERROR db timeout after 2900 ms"), kT0 + 3s);
  const SummaryRequest r = w.take(kT0 + 5s);
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].text, "<TS> ERROR db timeout after <N> ms");
  EXPECT_EQ(r.groups[0].example, "2026-11-26 10:00:01 ERROR db timeout after 3000 ms");
  EXPECT_EQ(r.groups[0].count, 3u);
  EXPECT_EQ(r.groups[0].first, kT0);
  EXPECT_EQ(r.groups[0].last, kT0 + 3s);
  EXPECT_EQ(r.groups[0].severity, Severity::error);
  EXPECT_EQ(r.groups[1].count, 1u);
  EXPECT_EQ(r.groups[1].severity, Severity::critical);
  EXPECT_EQ(r.sources, std::vector<std::string>{"/var/log/payments.log"});
}

TEST(WindowsTest, NewMeansNotInTheHistory) {
  Windows w(options());
  w.add(incident("db timeout after 3000 ms"), kT0);
  SummaryRequest first = w.take(kT0 + 5s);
  ASSERT_EQ(first.groups.size(), 1u);
  EXPECT_TRUE(first.groups[0].is_new);
  EXPECT_TRUE(first.history.empty());

  w.add(incident("db timeout after 10 ms"), kT0 + 6s);
  w.add(incident("disk full on /var"), kT0 + 6s);
  const SummaryRequest second = w.take(kT0 + 11s);
  ASSERT_EQ(second.groups.size(), 2u);
  for (const SummaryGroup& g : second.groups) {
    EXPECT_EQ(g.is_new, g.text.rfind("disk", 0) == 0) << g.text;
  }
  ASSERT_EQ(second.history.size(), 1u);
  EXPECT_EQ(second.history[0].text, "db timeout after <N> ms");
  EXPECT_EQ(second.history[0].count, 1u);
}

TEST(WindowsTest, HistoryKeepsTheNewestEventsUpToItsDepth) {
  WindowOptions o = options();
  o.history_depth = 5;
  Windows w(o);
  for (int i = 0; i < 4; ++i) w.add(incident("alpha " + std::to_string(i)), kT0);
  (void)w.take(kT0 + 5s);
  EXPECT_EQ(w.history_events(), 4u);
  for (int i = 0; i < 3; ++i) w.add(incident("bravo failed"), kT0 + 6s);
  (void)w.take(kT0 + 11s);
  EXPECT_EQ(w.history_events(), 5u);  // 2 alpha left, 3 bravo

  w.add(incident("charlie"), kT0 + 12s);
  const SummaryRequest r = w.take(kT0 + 17s);
  ASSERT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.history[0].text, "bravo failed");  // most recent first
  EXPECT_EQ(r.history[0].count, 3u);
  EXPECT_EQ(r.history[1].text, "alpha <N>");
  EXPECT_EQ(r.history[1].count, 2u);
  EXPECT_EQ(w.history_events(), 5u);

  // Alpha has left the history entirely after enough newer events: it is new again.
  for (int i = 0; i < 5; ++i) w.add(incident("delta"), kT0 + 18s);
  (void)w.take(kT0 + 23s);
  w.add(incident("alpha 9"), kT0 + 24s);
  const SummaryRequest again = w.take(kT0 + 29s);
  ASSERT_EQ(again.groups.size(), 1u);
  EXPECT_TRUE(again.groups[0].is_new);
}

TEST(WindowsTest, RateLimitMergesWindowsInsteadOfQueueingThem) {
  Windows w(options(/*max_per_minute=*/2));
  w.add(incident("one"), kT0);
  ASSERT_TRUE(w.due(kT0 + 5s));
  (void)w.take(kT0 + 5s);
  w.add(incident("two"), kT0 + 6s);
  ASSERT_TRUE(w.due(kT0 + 11s));
  (void)w.take(kT0 + 11s);

  // Two summaries in the last minute: the next window closes but is not due ...
  w.add(incident("three"), kT0 + 12s);
  EXPECT_FALSE(w.due(kT0 + 17s));
  // ... and keeps collecting past its time and its count.
  w.add(incident("four"), kT0 + 30s);
  EXPECT_FALSE(w.due(kT0 + 64s));
  // A minute after the first summary there is room again: one summary covers both.
  ASSERT_TRUE(w.due(kT0 + 65s + 1ms));
  const SummaryRequest merged = w.take(kT0 + 65s + 1ms);
  EXPECT_EQ(merged.event_count, 2u);
  EXPECT_EQ(merged.window_start, kT0 + 12s);
  EXPECT_EQ(merged.groups.size(), 2u);
}

TEST(WindowsTest, TemplatesPastTheGroupLimitAreCountedAsOtherLines) {
  WindowOptions o = options();
  o.max_groups = 3;
  Windows w(o);
  w.add(incident("alpha broke"), kT0);
  w.add(incident("bravo broke down"), kT0);
  w.add(incident("charlie is on fire today", Severity::critical), kT0);
  w.add(incident("delta went away for good now"), kT0);
  w.add(incident("alpha broke"), kT0);
  const SummaryRequest r = w.take(kT0 + 5s);
  ASSERT_EQ(r.groups.size(), 3u);
  EXPECT_EQ(r.event_count, 5u);
  std::uint64_t total = 0;
  bool other = false;
  for (const SummaryGroup& g : r.groups) {
    total += g.count;
    if (g.text == "other lines") {
      other = true;
      EXPECT_EQ(g.count, 2u);
      EXPECT_EQ(g.severity, Severity::critical);
      EXPECT_FALSE(g.is_new);
    }
  }
  EXPECT_TRUE(other);
  EXPECT_EQ(total, 5u);
}

TEST(WindowsTest, SourcesInOrderOfFirstAppearance) {
  Windows w(options());
  w.add(incident("x", Severity::error, "/b.log"), kT0);
  w.add(incident("x", Severity::error, "/a.log"), kT0);
  w.add(incident("x", Severity::error, "/b.log"), kT0);
  w.add(incident("x", Severity::error, ""), kT0);
  EXPECT_EQ(w.take(kT0 + 5s).sources, (std::vector<std::string>{"/b.log", "/a.log"}));
}

}  // namespace
}  // namespace logtail::summarizer
