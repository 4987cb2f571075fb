#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "logtail/summary_backend.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(24 * 365 * 56);

SummaryGroup group(std::string text, std::uint64_t count, Severity severity, bool is_new,
                   std::string example = "", Clock::time_point first = kStart) {
  SummaryGroup g;
  g.text = std::move(text);
  g.example = example.empty() ? g.text : std::move(example);
  g.count = count;
  g.severity = severity;
  g.is_new = is_new;
  g.first = first;
  g.last = first;
  return g;
}

SummaryRequest request(std::vector<SummaryGroup> groups,
                       std::vector<std::string> sources = {"/var/log/payments.log"},
                       std::chrono::milliseconds span = 5s) {
  SummaryRequest r;
  r.sources = std::move(sources);
  r.window_start = kStart;
  r.window_end = kStart + span;
  for (const SummaryGroup& g : groups) r.event_count += g.count;
  r.groups = std::move(groups);
  return r;
}

TEST(TemplateBackendTest, TheIssuesExampleSentence) {
  const auto r = request({
      group("<TS> ERROR db timeout after <N> ms", 30, Severity::error, false),
      group("<TS> ERROR payment <HEX> declined", 11, Severity::error, false),
      group("<TS> FATAL out of memory", 1, Severity::critical, true,
            "2026-11-26 10:15:02 FATAL out of memory"),
  });
  EXPECT_EQ(template_sentence(r),
            "payments.log: 42 incidents (1 critical, 41 errors) in the last 5 seconds, mostly "
            "'db timeout after <N> ms' (30); new: 'FATAL out of memory'.");
  EXPECT_EQ(template_title(r), "payments.log: 42 incidents");
}

TEST(TemplateBackendTest, OneKindOfSeverityIsNamedByIt) {
  const auto r = request({
      group("<TS> ERROR db timeout after <N> ms", 30, Severity::error, false),
      group("[<TS>] ERROR disk full on <PATH>", 12, Severity::error, true),
  });
  EXPECT_EQ(template_sentence(r),
            "payments.log: 42 errors in the last 5 seconds, mostly 'db timeout after <N> ms' "
            "(30); new: 'disk full on <PATH>'.");
  EXPECT_EQ(template_title(r), "payments.log: 42 errors");
}

TEST(TemplateBackendTest, ASingleEventIsQuotedAsWritten) {
  const auto r = request({group("<TS> WARN cache miss ratio <N>%", 1, Severity::warning, true,
                                "2026-11-26T10:15:02Z WARN cache miss ratio 93%")},
                         {"/srv/app.log"}, 300ms);
  EXPECT_EQ(template_sentence(r), "app.log: 1 warning in the last second: 'cache miss ratio 93%'.");
  EXPECT_EQ(template_title(r), "app.log: 1 warning");
}

TEST(TemplateBackendTest, OneRepeatedKindIsAll) {
  const auto r = request({group("critical: raid degraded on <PATH>", 3, Severity::critical, false)},
                         {"/var/log/kern.log", "/var/log/syslog"}, 12s);
  EXPECT_EQ(template_sentence(r),
            "kern.log and syslog: 3 critical incidents in the last 12 seconds, all 'raid "
            "degraded on <PATH>'.");
}

TEST(TemplateBackendTest, DistinctLinesAreListedMostSevereFirst) {
  const auto r = request(
      {
          group("a warning here", 1, Severity::warning, true, "", kStart),
          group("an error there", 1, Severity::error, true, "", kStart + 1s),
          group("another error", 1, Severity::error, true, "", kStart + 2s),
          group("one more warning", 1, Severity::warning, true, "", kStart + 3s),
      },
      {"/a.log", "/b.log", "/c.log"}, 150s);
  EXPECT_EQ(template_sentence(r),
            "a.log and 2 other files: 4 incidents (2 errors, 2 warnings) in the last 3 minutes: "
            "'an error there', 'another error' and 2 more.");
}

TEST(TemplateBackendTest, NewListedUpToTwoThenCounted) {
  const auto r = request(
      {
          group("retrying <N>", 9, Severity::warning, false),
          group("new one", 1, Severity::warning, true, "", kStart + 1s),
          group("new two", 1, Severity::warning, true, "", kStart + 2s),
          group("new three", 1, Severity::warning, true, "", kStart + 3s),
          group("seen before", 1, Severity::warning, false, "", kStart + 4s),
      },
      {});
  EXPECT_EQ(template_sentence(r),
            "logtail: 13 warnings in the last 5 seconds, mostly 'retrying <N>' (9); new: 'new "
            "one', 'new two' and 1 more.");
}

TEST(TemplateBackendTest, LongTextIsCutAtAWord) {
  const std::string longer =
      "upstream connect error or disconnect/reset before headers reset reason connection "
      "failure transport failure reason delayed connect error";
  const auto r = request({group(longer, 2, Severity::error, true)});
  EXPECT_EQ(template_sentence(r),
            "payments.log: 2 errors in the last 5 seconds, all 'upstream connect error or "
            "disconnect/reset before headers...'.");
}

TEST(TemplateBackendTest, ALevelWordThatIsNotTheUsualSeverityStays) {
  const auto r = request({
      group("<TS> [WARN] slow query <N>ms", 5, Severity::warning, false),
      group("<TS> [ERROR] slow query <N>ms", 2, Severity::error, true),
  });
  EXPECT_EQ(template_sentence(r),
            "payments.log: 7 incidents (2 errors, 5 warnings) in the last 5 seconds, mostly "
            "'slow query <N>ms' (5); new: '[ERROR] slow query <N>ms'.");
}

TEST(TemplateBackendTest, BackendFillsTextTitleAndSeverity) {
  auto backend = make_template_backend();
  EXPECT_EQ(backend->name(), "template");
  const auto r = request({group("x failed", 2, Severity::warning, true),
                          group("y failed hard", 1, Severity::critical, true)});
  auto summary = backend->summarize(r);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->text, template_sentence(r));
  EXPECT_EQ(summary->title, template_title(r));
  EXPECT_EQ(summary->severity, Severity::critical);
  EXPECT_EQ(summary->backend, "template");
}

}  // namespace
}  // namespace logtail
