// The incidents observer through the engine on a real file, from code and from the
// registry, as `logtail --observer incidents[=PATH]` builds it.
// Needs the observer itself, built only with Hyperscan (LOGTAIL_WITH_HYPERSCAN).
#if LOGTAIL_HAVE_HYPERSCAN

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "logtail/builtin_observers.h"
#include "logtail/logtail.h"
#include "logtail/observers/incidents.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

struct Seen {
  std::string observer;
  std::string kind;
  std::uint64_t offset;
  Severity severity;
  std::string message;
  std::string patterns;
};

class IncidentsEngineTest : public ::testing::Test {
 protected:
  // Runs `observer` over the file once, from its beginning, and returns what it emitted.
  std::vector<Seen> drain(std::unique_ptr<LineObserver> observer, const std::string& file) {
    std::vector<Seen> seen;
    EngineOptions options;
    options.start_at = StartAt::beginning;
    Engine engine(options);
    EXPECT_TRUE(engine.watch(dir_.file(file).string()).ok());
    auto& added = engine.add(std::move(observer));
    engine.route(added, sinks::callback([&seen](const Event& e) {
      std::string patterns;
      for (const Field& f : e.fields) {
        if (f.key == "patterns") patterns = f.value;
      }
      seen.push_back({std::string(e.observer), std::string(e.kind), e.offset, e.severity,
                      std::string(e.message), patterns});
      return Status{};
    }));
    const Status s = engine.drain();
    EXPECT_TRUE(s.ok()) << s.message();
    return seen;
  }

  test::TempDir dir_;
};

TEST_F(IncidentsEngineTest, FindsTheIncidentLinesOfARealFile) {
  std::string text;
  std::vector<std::uint64_t> offsets;
  for (int i = 0; i < 5000; ++i) {
    std::string line;
    if (i % 100 == 7) {
      line = "2026-11-26T10:00:00Z ERROR payments: timeout id=" + std::to_string(i);
    } else if (i % 250 == 11) {
      line = "2026-11-26T10:00:00Z Fatal: out of memory id=" + std::to_string(i);
    } else {
      line = "2026-11-26T10:00:00Z INFO payments: errorless request id=" + std::to_string(i);
    }
    if (line.find("ERROR") != std::string::npos || line.find("Fatal") != std::string::npos) {
      offsets.push_back(text.size());
    }
    text += line + "\n";
  }
  dir_.write("app.log", text + "a partial error line without its newline");
  auto observer = IncidentsObserver::create();
  ASSERT_TRUE(observer.ok()) << observer.status().message();
  const auto seen = drain(std::move(*observer), "app.log");
  ASSERT_EQ(seen.size(), offsets.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].offset, offsets[i]);
    EXPECT_EQ(seen[i].observer, "incidents");
    EXPECT_EQ(seen[i].kind, "incident");
    const bool fatal = seen[i].message.find("Fatal") != std::string::npos;
    EXPECT_EQ(seen[i].severity, fatal ? Severity::critical : Severity::error);
    EXPECT_EQ(seen[i].patterns, fatal ? "fatal" : "error");
    EXPECT_EQ(seen[i].message, text.substr(offsets[i], seen[i].message.size()));
  }
}

TEST_F(IncidentsEngineTest, BuiltFromTheRegistryWithAPatternsFile) {
  Registry registry;
  ASSERT_TRUE(add_builtin_observers(registry).ok());
  dir_.write("patterns.tsv",
             "# id\tseverity\tlabel\tregex\n"
             "db\terror\tdatabase\tdb timeout after [0-9]+ ms\n"
             "disk\tcritical\tdisk full\t^disk full\n");
  dir_.write("app.log",
             "db timeout after 5000 ms\n"
             "ERROR not in the file's patterns\n"
             "disk full: /var/lib/x\n"
             "not a disk full at the start\n");
  auto observer = registry.make_observer("incidents=" + dir_.file("patterns.tsv").string());
  ASSERT_TRUE(observer.ok()) << observer.status().message();
  const auto seen = drain(std::move(*observer), "app.log");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].offset, 0u);
  EXPECT_EQ(seen[0].patterns, "db");
  EXPECT_EQ(seen[0].severity, Severity::error);
  EXPECT_EQ(seen[1].message, "disk full: /var/lib/x");
  EXPECT_EQ(seen[1].severity, Severity::critical);

  dir_.write("broken.tsv", "db\terror\tdatabase\n");
  auto broken = registry.make_observer("incidents=" + dir_.file("broken.tsv").string());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message(),
            "incidents: " + dir_.file("broken.tsv").string() +
                ":1: expected four tab-separated fields: id, severity, label, regex (the label "
                "may be empty, the tabs may not be left out)");
}

}  // namespace
}  // namespace logtail::observers

#endif  // LOGTAIL_HAVE_HYPERSCAN
