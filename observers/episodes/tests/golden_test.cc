// Golden fixture: a proxy's STAGE_TIMINGS log (tests/data/proxy_stage_timings.log) and the
// episodes it holds (tests/data/proxy_stage_timings.expected, one line per episode), compared
// exactly, both on batches fed by hand and through the engine reading the file. Any drift in
// value extraction, timestamp reading, coalescing or wording shows up as a diff here.
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "logtail/builtin_observers.h"
#include "logtail/logtail.h"
#include "logtail/observers/episodes.h"
#include "rules/tests/observer_harness.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

constexpr std::string_view kGoldenSpec =
    R"(regex:total_pre_upstream=(?<ms>\d+)ms,threshold=500ms,gap=5s,max=60s)";

std::filesystem::path data_dir() { return std::filesystem::path(__FILE__).parent_path() / "data"; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(text.substr(start, nl - start));
  EXPECT_EQ(start, text.size()) << "the fixture must end with a newline";
  return lines;
}

std::string field_of(const Event& e, std::string_view key) {
  for (const Field& f : e.fields)
    if (f.key == key) return std::string(f.value);
  return "<none>";
}

// One line per episode, as the .expected file holds them.
std::string render(const std::vector<OwnedEvent>& events) {
  std::string out;
  for (const OwnedEvent& owned : events) {
    const Event& e = owned.view();
    out += fmt::format("offset={} start={} end={} count={} max={} mean={} | {}\n", e.offset,
                       field_of(e, "start"), field_of(e, "end"), field_of(e, "count"),
                       field_of(e, "max"), field_of(e, "mean"), e.message);
  }
  return out;
}

class GoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = read_file(data_dir() / "proxy_stage_timings.log");
    expected_ = read_file(data_dir() / "proxy_stage_timings.expected");
    ASSERT_FALSE(log_.empty());
    ASSERT_FALSE(expected_.empty());
    lines_ = split_lines(log_);
    for (const std::string& l : lines_)
      if (l.find("STAGE_TIMINGS") != std::string::npos) ++stage_lines_;
  }

  std::string log_, expected_;
  std::vector<std::string> lines_;
  std::uint64_t stage_lines_ = 0;
};

TEST_F(GoldenTest, FixtureIsTheOneDescribed) {
  // About 200 lines with several slow stretches, as the docs describe it.
  EXPECT_EQ(lines_.size(), 216u);
  EXPECT_EQ(stage_lines_, 203u);
  EXPECT_EQ(split_lines(expected_).size(), 7u);
}

TEST_F(GoldenTest, BatchesFedByHandYieldTheExpectedEpisodes) {
  auto options = parse_episode_spec(kGoldenSpec);
  ASSERT_TRUE(options.ok()) << options.status().message();
  // Every line carries its own timestamp, so the read time must not matter: it is far away.
  options->clock = [] { return Clock::time_point(std::chrono::hours(24 * 365 * 70)); };
  auto observer = EpisodesObserver::create(*options);
  ASSERT_TRUE(observer.ok());

  // Uneven batches, so episodes cross batch boundaries.
  harness::RecordingEmitter out;
  out.source = "proxy.log";
  std::uint64_t offset = 0;
  for (std::size_t i = 0, size = 1; i < lines_.size(); i += size, size = size % 41 + 7) {
    const std::vector<std::string> part(lines_.begin() + static_cast<std::ptrdiff_t>(i),
                                        lines_.begin() + static_cast<std::ptrdiff_t>(
                                                             std::min(i + size, lines_.size())));
    harness::Batch batch(part, offset);
    offset = batch.end();
    (*observer)->on_batch(batch.view("proxy.log"), out);
  }
  ASSERT_EQ(offset, log_.size());
  (*observer)->on_shutdown(out);

  EXPECT_EQ(render(out.events), expected_) << "episodes drifted from the golden file";
  const EpisodeCounters c = (*observer)->counters();
  EXPECT_EQ(c.values, stage_lines_);
  EXPECT_EQ(c.unreadable_values, 0u);
  EXPECT_EQ(c.episodes, 7u);
}

class GoldenRecorder final : public Sink {
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

TEST_F(GoldenTest, TheEngineReadingTheFileYieldsTheSameEpisodes) {
  logtail::test::TempDir dir;
  dir.write("proxy.log", log_);
  Registry registry;
  ASSERT_TRUE(add_builtin_observers(registry).ok());
  auto made = registry.make_observer("episodes=" + std::string(kGoldenSpec));
  ASSERT_TRUE(made.ok()) << made.status().message();

  EngineOptions options;
  options.start_at = StartAt::beginning;
  options.read_chunk_bytes = 4096;  // several reads, so batches split the file
  Engine engine(options);
  ASSERT_TRUE(engine.watch(dir.file("proxy.log").string()).ok());
  auto& episodes = engine.add(std::move(*made));
  auto recorder = std::make_shared<GoldenRecorder>();
  engine.route(episodes, recorder);
  ASSERT_TRUE(engine.drain().ok());

  const auto events = recorder->events();
  EXPECT_EQ(render(events), expected_) << "episodes drifted from the golden file";
  for (const OwnedEvent& e : events) {
    EXPECT_EQ(e->observer, "episodes");
    EXPECT_EQ(e->kind, "episode");
    EXPECT_EQ(e->severity, Severity::warning);
    EXPECT_EQ(e->source, dir.file("proxy.log").string());
  }
}

}  // namespace
}  // namespace logtail::observers
