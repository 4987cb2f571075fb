// IncidentsObserver on batches built by hand: which lines match, their severities and
// pattern lists, one event per line, and the errors of bad patterns.
// Needs the observer itself, built only with Hyperscan (LOGTAIL_WITH_HYPERSCAN).
#if LOGTAIL_HAVE_HYPERSCAN

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "incidents/tests/recording_emitter.h"
#include "logtail/observers/incidents.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

using test::BuiltBatch;

class IncidentsTest : public ::testing::Test {
 protected:
  static std::unique_ptr<IncidentsObserver> make(
      std::vector<IncidentPattern> patterns = default_incident_patterns()) {
    auto created = IncidentsObserver::create(std::move(patterns));
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? std::move(*created) : nullptr;
  }

  test::TempDir dir_;
};

struct LineCase {
  const char* line;
  bool matches;
  Severity severity;
  const char* patterns;
};

TEST_F(IncidentsTest, DefaultWordsOnWordBoundariesAnyCase) {
  const LineCase cases[] = {
      {"2026-11-26T10:00:00Z ERROR db timeout", true, Severity::error, "error"},
      {"an error occurred", true, Severity::error, "error"},
      {"Error: x", true, Severity::error, "error"},
      {"[WARNING] disk at 91%", true, Severity::warning, "warning"},
      {"warn: retrying", true, Severity::warning, "warn"},
      {"level=Warn", true, Severity::warning, "warn"},
      {"FATAL out of memory", true, Severity::critical, "fatal"},
      {"critical section entered", true, Severity::critical, "critical"},
      {"error", true, Severity::error, "error"},
      {"(error)", true, Severity::error, "error"},
      {"errorless run", false, Severity::info, ""},
      {"rewarning users", false, Severity::info, ""},
      {"errors: 0", false, Severity::info, ""},
      {"warned twice", false, Severity::info, ""},
      {"error_count=0", false, Severity::info, ""},
      {"fatalistic criticality", false, Severity::info, ""},
      {"all good", false, Severity::info, ""},
      {"", false, Severity::info, ""},
  };
  for (const LineCase& c : cases) {
    auto observer = make();
    test::RecordingEmitter out;
    BuiltBatch built(std::string(c.line) + "\n", 100);
    observer->on_batch(built.batch(), out);
    if (!c.matches) {
      EXPECT_TRUE(out.events.empty()) << c.line;
      continue;
    }
    ASSERT_EQ(out.events.size(), 1u) << c.line;
    const auto& e = out.events[0];
    EXPECT_EQ(e.kind, "incident");
    EXPECT_EQ(e.severity, c.severity) << c.line;
    EXPECT_EQ(e.message, c.line);
    EXPECT_EQ(e.offset, 100u);
    EXPECT_EQ(e.source, "test.log");
    EXPECT_EQ(e.field("patterns"), c.patterns) << c.line;
    EXPECT_EQ(e.field("labels"), "<absent>") << c.line;  // the defaults have no labels
  }
}

TEST_F(IncidentsTest, OneEventPerLineWithTheHighestSeverityAndEveryPattern) {
  auto observer = make();
  test::RecordingEmitter out;
  BuiltBatch built(
      "ok line\n"
      "warning: error error error\n"
      "nothing\n"
      "warn then FATAL then warn again\n"
      "last error\n");
  observer->on_batch(built.batch(), out);
  ASSERT_EQ(out.events.size(), 3u);
  EXPECT_EQ(out.events[0].message, "warning: error error error");
  EXPECT_EQ(out.events[0].offset, 8u);
  EXPECT_EQ(out.events[0].severity, Severity::error);
  EXPECT_EQ(out.events[0].field("patterns"), "error,warning");  // definition order
  EXPECT_EQ(out.events[1].message, "warn then FATAL then warn again");
  EXPECT_EQ(out.events[1].severity, Severity::critical);
  EXPECT_EQ(out.events[1].field("patterns"), "warn,fatal");
  EXPECT_EQ(out.events[2].message, "last error");
  EXPECT_EQ(out.events[2].offset, 75u);
  const IncidentCounters counters = observer->counters();
  EXPECT_EQ(counters.batches, 1u);  // one scan for the whole batch
  EXPECT_EQ(counters.incidents, 3u);
  EXPECT_EQ(counters.matches, 8u);
  EXPECT_EQ(counters.bytes, built.batch().bytes().size());
}

TEST_F(IncidentsTest, UserPatternsWithIdsSeveritiesAndLabels) {
  std::vector<IncidentPattern> patterns = {
      {"oom", Severity::critical, "out of memory", "(?i)out of memory"},
      {"slow", Severity::warning, "", "latency_ms=[0-9]{4,}"},
      {"start", Severity::notice, "line start", "^GET "},
      {"end", Severity::info, "line end", "done$"},
  };
  auto observer = make(patterns);
  test::RecordingEmitter out;
  BuiltBatch built(
      "req latency_ms=999 done\n"          // end
      "req latency_ms=1500 GET x\n"        // slow; GET is not at the start
      "GET /a Out Of Memory latency_ms=2000\n"  // start, oom, slow
      "ERROR but no user pattern\n");
  observer->on_batch(built.batch(), out);
  ASSERT_EQ(out.events.size(), 3u);
  EXPECT_EQ(out.events[0].severity, Severity::info);
  EXPECT_EQ(out.events[0].field("patterns"), "end");
  EXPECT_EQ(out.events[0].field("labels"), "line end");
  EXPECT_EQ(out.events[1].severity, Severity::warning);
  EXPECT_EQ(out.events[1].field("patterns"), "slow");
  EXPECT_EQ(out.events[1].field("labels"), "<absent>");  // no label: no field
  EXPECT_EQ(out.events[2].severity, Severity::critical);
  EXPECT_EQ(out.events[2].field("patterns"), "oom,slow,start");
  EXPECT_EQ(out.events[2].field("labels"), "out of memory,line start");
}

TEST_F(IncidentsTest, MatchesInBytesOutsideLinesAreIgnored) {
  // The second line is cut at 10 bytes; its skipped rest holds "error".
  auto observer = make();
  test::RecordingEmitter out;
  BuiltBatch built("first\nshort line but error here\nthird\n", 0, 10);
  ASSERT_TRUE(built.lines()[1].truncated());
  observer->on_batch(built.batch(), out);
  EXPECT_TRUE(out.events.empty());

  BuiltBatch kept("first\nerror here but long\nthird\n", 0, 10);
  observer->on_batch(kept.batch(), out);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].message, "error here");
  EXPECT_TRUE(out.events[0].truncated);
}

TEST_F(IncidentsTest, CarriageReturnsAndEmptyBatches) {
  auto observer = make();
  test::RecordingEmitter out;
  BuiltBatch crlf("ok\r\nan error\r\n");
  observer->on_batch(crlf.batch(), out);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].message, "an error");
  BuiltBatch empty("");
  observer->on_batch(empty.batch(), out);
  EXPECT_EQ(out.events.size(), 1u);
  EXPECT_EQ(observer->counters().batches, 1u);
}

TEST_F(IncidentsTest, OnLineScansOneLine) {
  auto observer = make();
  test::RecordingEmitter out;
  observer->on_line(Line("fatal: disk gone", 42), out);
  observer->on_line(Line("fine", 60), out);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].offset, 42u);
  EXPECT_EQ(out.events[0].severity, Severity::critical);
}

TEST_F(IncidentsTest, ManyLinesInOneBatch) {
  std::string text;
  std::vector<std::size_t> expected;
  for (std::size_t i = 0; i < 20000; ++i) {
    if (i % 7 == 3) {
      text += "line " + std::to_string(i) + " error\n";
      expected.push_back(i);
    } else {
      text += "line " + std::to_string(i) + " errorless\n";
    }
  }
  auto observer = make();
  test::RecordingEmitter out;
  BuiltBatch built(text, 1000);
  observer->on_batch(built.batch(), out);
  ASSERT_EQ(out.events.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(out.events[k].message, "line " + std::to_string(expected[k]) + " error");
    EXPECT_EQ(out.events[k].offset, built.lines()[expected[k]].offset());
  }
}

struct RejectCase {
  IncidentPattern pattern;
  const char* error_start;
};

TEST_F(IncidentsTest, BadPatternsAreClearErrors) {
  const RejectCase cases[] = {
      {{"backref", Severity::error, "", "(a)\\1"},
       "incidents: pattern 'backref' ((a)\\1) is rejected by Hyperscan: "},
      {{"open", Severity::error, "", "(unclosed"},
       "incidents: pattern 'open' ((unclosed) is rejected by Hyperscan: "},
      {{"empty-match", Severity::error, "", "a*"},
       "incidents: pattern 'empty-match' (a*) is rejected by Hyperscan: "},
      {{"bad id", Severity::error, "", "x"},
       "incidents: pattern id 'bad id' is not valid; use letters, digits, '_', '-' and '.'"},
      {{"e", Severity::error, "", ""}, "incidents: pattern 'e' has an empty regex"},
      {{"nul", Severity::error, "", std::string("a\0b", 3)},
       "incidents: pattern 'nul' holds a NUL byte; write \\x00 instead"},
  };
  for (const RejectCase& c : cases) {
    auto created = IncidentsObserver::create({{"fine", Severity::error, "", "ok"}, c.pattern});
    ASSERT_FALSE(created.ok()) << c.pattern.id;
    EXPECT_EQ(created.status().kind(), StatusKind::invalid_argument);
    EXPECT_TRUE(created.status().message().starts_with(c.error_start))
        << created.status().message();
    EXPECT_EQ(created.status().message().find('\n'), std::string::npos);
  }
  // Hyperscan's own reason is part of the message.
  auto backref = IncidentsObserver::create({{"backref", Severity::error, "", "(a)\\1"}});
  ASSERT_FALSE(backref.ok());
  EXPECT_EQ(backref.status().message(),
            "incidents: pattern 'backref' ((a)\\1) is rejected by Hyperscan: Back-references "
            "are unsupported; see docs/observers/incidents.md for the syntax it supports");

  auto duplicate = IncidentsObserver::create(
      {{"same", Severity::error, "", "a"}, {"same", Severity::error, "", "b"}});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().message(),
            "incidents: pattern id 'same' is used twice; give each pattern its own id");
  auto none = IncidentsObserver::create({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(),
            "incidents: no patterns; give at least one, or use the defaults");
}

TEST_F(IncidentsTest, RegistryFactoryTakesDefaultsOrAPatternsFile) {
  auto defaults = make_incidents_observer("");
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ((*defaults)->name(), "incidents");

  dir_.write("p.tsv", "oom\tcritical\tout of memory\tout of memory\n");
  auto from_file = make_incidents_observer(dir_.file("p.tsv").string());
  ASSERT_TRUE(from_file.ok()) << from_file.status().message();
  test::RecordingEmitter out;
  BuiltBatch built("an error\nout of memory\n");
  (*from_file)->on_batch(built.batch(), out);
  ASSERT_EQ(out.events.size(), 1u);  // the file replaces the defaults
  EXPECT_EQ(out.events[0].field("patterns"), "oom");

  dir_.write("bad.tsv", "x\tcritical\tl\t(?<name>a)\\k<name>\n");
  auto bad = make_incidents_observer(dir_.file("bad.tsv").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().message().starts_with("incidents: pattern 'x' ("))
      << bad.status().message();
  auto missing = make_incidents_observer(dir_.file("nope.tsv").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), StatusKind::not_found);
}

}  // namespace
}  // namespace logtail::observers

#endif  // LOGTAIL_HAVE_HYPERSCAN
