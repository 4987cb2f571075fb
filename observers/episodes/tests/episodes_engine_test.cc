// The episodes observer through the engine on real files: a glob over two services' logs,
// each with its own episodes, read from the beginning with drain(); the open episodes are
// closed when the engine stops.
#include <algorithm>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logtail/logtail.h"
#include "logtail/observers/episodes.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

class Recorder final : public Sink {
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

TEST(EpisodesEngineTest, EachFileHasItsOwnEpisodes) {
  logtail::test::TempDir dir;
  // gc.log: pauses in seconds; the episode is still open at the end of the file.
  dir.write("gc.log",
            "2026-11-22T10:00:00.000Z gc pause=0.010s\n"
            "2026-11-22T10:00:01.000Z gc pause=0.350s\n"
            "2026-11-22T10:00:02.000Z gc pause=1.2s\n"
            "2026-11-22T10:00:03.500Z gc pause=0.020s\n");
  // db.log: its slow stretch overlaps gc.log's in time but is its own episode.
  const std::string db_first = "2026-11-22T10:00:00.500Z db pause=0.001s\n";
  dir.write("db.log", db_first +
                          "2026-11-22T10:00:01.500Z db pause=250ms\n"
                          "2026-11-22T10:00:09.000Z db pause=0.5s\n"
                          "2026-11-22T10:00:30.000Z db pause=0.001s\n");

  EpisodeOptions options;
  options.regex = R"(pause=(?<value>[\d.]+m?s))";
  options.threshold_ms = 200;
  options.gap = std::chrono::seconds(5);
  auto observer = EpisodesObserver::create(options);
  ASSERT_TRUE(observer.ok()) << observer.status().message();
  EpisodesObserver* episodes = observer->get();

  EngineOptions engine_options;
  engine_options.start_at = StartAt::beginning;
  Engine engine(engine_options);
  ASSERT_TRUE(engine.watch((dir.path() / "*.log").string()).ok());
  auto& added = engine.add(std::move(*observer), "pauses");
  auto recorder = std::make_shared<Recorder>();
  engine.route(added, recorder);
  ASSERT_TRUE(engine.drain().ok());

  auto events = recorder->events();
  ASSERT_EQ(events.size(), 3u);
  std::vector<std::string> seen;
  for (const OwnedEvent& e : events) {
    EXPECT_EQ(e->observer, "pauses");
    const std::string file = std::filesystem::path(std::string(e->source)).filename().string();
    seen.push_back(file + " " + std::to_string(e->offset) + " " + std::string(e->message));
    if (file == "gc.log") {
      EXPECT_EQ(field_of(e, "start"), "2026-11-22T10:00:01.000Z");
      EXPECT_EQ(field_of(e, "end"), "2026-11-22T10:00:02.000Z");
      EXPECT_EQ(field_of(e, "count"), "2");
    }
  }
  std::sort(seen.begin(), seen.end());
  const std::vector<std::string> expected = {
      "db.log " + std::to_string(db_first.size()) +
          " slow episode: 1 line over 200 ms from 10:00:01 to 10:00:01, max 250 ms, mean 250 ms",
      "db.log 81 slow episode: 1 line over 200 ms from 10:00:09 to 10:00:09, max 500 ms, "
      "mean 500 ms",
      "gc.log 41 slow episode: 2 lines over 200 ms from 10:00:01 to 10:00:02, max 1200 ms, "
      "mean 775 ms",
  };
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(episodes->counters().values, 8u);
}

}  // namespace
}  // namespace logtail::observers
