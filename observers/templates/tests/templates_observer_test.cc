// The templates observer by hand and through the engine on a real file.
#include <gtest/gtest.h>

#include <string>
#include <fmt/format.h>
#include <vector>

#include "incidents/tests/recording_emitter.h"
#include "logtail/builtin_observers.h"
#include "logtail/logtail.h"
#include "logtail/observers/templates.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {


class TemplatesObserverTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(TemplatesObserverTest, EmitsTheFirstLineOfEachNewTemplateAtWarningOrAbove) {
  TemplatesObserver observer;
  test::RecordingEmitter out;
  const char* lines[] = {
      "2026-11-26T10:00:00Z INFO request id=1 took 3 ms",             // info: ignored
      "2026-11-26T10:00:01Z ERROR db timeout after 5000 ms host=db-1",  // new
      "2026-11-26T10:00:02Z ERROR db timeout after 1003 ms host=db-3",  // repeat
      "2026-11-26T10:00:03Z WARN disk at 91% on /var/lib/x",            // new
      "2026-11-26T10:00:04Z FATAL out of memory",                       // new
      "2026-11-26T10:00:05Z ERROR db timeout after 7 ms host=db-2",     // repeat
      "2026-11-26T10:00:06Z WARN db timeout after 5000 ms host=db-1",   // new: other level
  };
  std::uint64_t offset = 0;
  for (const char* text : lines) {
    observer.on_line(Line(text, offset), out);
    offset += std::string_view(text).size() + 1;
  }
  ASSERT_EQ(out.events.size(), 4u);
  const auto& db = out.events[0];
  EXPECT_EQ(db.kind, "new_template");
  EXPECT_EQ(db.severity, Severity::error);
  EXPECT_EQ(db.message, lines[1]);
  EXPECT_EQ(db.field("template"), "<TS> ERROR db timeout after <N> ms host=db-<N>");
  EXPECT_EQ(db.field("template_id"),
            fmt::format("{:016x}", template_id("<TS> ERROR db timeout after <N> ms host=db-<N>")));
  EXPECT_EQ(db.field("template_id").size(), 16u);
  EXPECT_EQ(out.events[1].severity, Severity::warning);
  EXPECT_EQ(out.events[1].field("template"), "<TS> WARN disk at <N>% on <PATH>");
  EXPECT_EQ(out.events[2].severity, Severity::critical);
  EXPECT_EQ(out.events[3].message, lines[6]);
  EXPECT_EQ(observer.new_templates(), 4u);
  EXPECT_EQ(observer.templates(), 4u);  // the info line was never indexed
}

struct ArgCase {
  const char* arg;
  std::size_t events;  // of the four lines below
};

TEST_F(TemplatesObserverTest, RegistryArgIsTheMinimumSeverity) {
  const char* lines[] = {"plain info line", "a warning here", "an error there",
                         "critical failure"};
  const ArgCase cases[] = {{"", 3}, {"warning", 3}, {"error", 2}, {"crit", 1}, {"info", 4},
                           {"debug", 4}};
  for (const ArgCase& c : cases) {
    auto observer = make_templates_observer(c.arg);
    ASSERT_TRUE(observer.ok()) << observer.status().message();
    test::RecordingEmitter out;
    for (const char* text : lines) (*observer)->on_line(Line(text, 0), out);
    EXPECT_EQ(out.events.size(), c.events) << c.arg;
  }
  auto bad = make_templates_observer("loud");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "templates: unknown minimum severity 'loud'; use debug, info, notice, warning, "
            "error or critical (e.g. templates=error)");
}

TEST_F(TemplatesObserverTest, NewKindsOfErrorsInARealFileThroughTheEngine) {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += "2026-11-26T10:00:00Z INFO request id=" + std::to_string(i) + " ok\n";
    if (i % 10 == 0) {
      text += "2026-11-26T10:00:00Z ERROR db timeout after " + std::to_string(i) +
              " ms query=load_session\n";
    }
    if (i == 1500) text += "2026-11-26T10:00:00Z CRITICAL disk full: /var/lib/a.dat\n";
    if (i == 2000) text += "2026-11-26T10:00:00Z CRITICAL disk full: /var/lib/b.dat\n";
  }
  dir_.write("app.log", text);
  Registry registry;
  ASSERT_TRUE(add_builtin_observers(registry).ok());
  auto observer = registry.make_observer("templates");
  ASSERT_TRUE(observer.ok()) << observer.status().message();

  EngineOptions options;
  options.start_at = StartAt::beginning;
  Engine engine(options);
  ASSERT_TRUE(engine.watch(dir_.file("app.log").string()).ok());
  auto& added = engine.add(std::move(*observer));
  std::vector<std::pair<std::uint64_t, std::string>> seen;
  engine.route(added, sinks::callback([&seen](const Event& e) {
    EXPECT_EQ(e.observer, "templates");
    EXPECT_EQ(e.kind, "new_template");
    seen.emplace_back(e.offset, std::string(e.message));
    return Status{};
  }));
  ASSERT_TRUE(engine.drain().ok());
  ASSERT_EQ(seen.size(), 2u);
  const std::string first_error =
      "2026-11-26T10:00:00Z ERROR db timeout after 0 ms query=load_session";
  EXPECT_EQ(seen[0].second, first_error);
  EXPECT_EQ(seen[0].first, text.find(first_error));
  EXPECT_EQ(seen[1].second, "2026-11-26T10:00:00Z CRITICAL disk full: /var/lib/a.dat");
}

}  // namespace
}  // namespace logtail::observers
