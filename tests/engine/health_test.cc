// Engine::health() on real files: offsets, lag, identity, watch mode and back-pressure as the
// engine sees them.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "engine/engine_fixture.h"
#include "support/wait.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;
using test::EngineTest;
using test::Recorder;
using test::wait_until;

class HealthTest : public EngineTest {
 protected:
  // The health entry of `file` (the path a stream reads), waiting until `ready` holds for it.
  template <class Ready>
  std::optional<FileHealth> wait_for(const Engine& engine, const std::string& path,
                                     Ready ready) {
    std::optional<FileHealth> found;
    wait_until([&] {
      for (const FileHealth& f : engine.health().files) {
        if (f.path == path && ready(f)) {
          found = f;
          return true;
        }
      }
      return false;
    });
    return found;
  }

  EngineOptions quick() const {
    EngineOptions o = beginning();
    o.tick_interval = 50ms;
    return o;
  }
};

TEST_F(HealthTest, AFileReadAndAcknowledgedHasNoLag) {
  dir_.write("app.log", "one\ntwo\nthree\n");
  auto recorder = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), quick(), recorder);
  ASSERT_TRUE(engine->start().ok());
  const auto f = wait_for(*engine, path("app.log"), [](const FileHealth& h) {
    return h.committed_offset == 14;
  });
  ASSERT_TRUE(f) << "the committed offset never reached the end of the file";
  struct stat st {};
  ASSERT_EQ(::stat(path("app.log").c_str(), &st), 0);
  EXPECT_EQ(f->file, path("app.log"));
  EXPECT_EQ(f->role, "live");
  EXPECT_EQ(f->identity.inode, static_cast<std::uint64_t>(st.st_ino));
  EXPECT_EQ(f->identity.device, static_cast<std::uint64_t>(st.st_dev));
  EXPECT_EQ(f->size, 14u);
  EXPECT_EQ(f->read_offset, 14u);
  EXPECT_EQ(f->lag_bytes, 0u);
  EXPECT_EQ(f->watch, WatchMode::events);
  EXPECT_FALSE(f->paused);
  EXPECT_TRUE(f->last_data.has_value());
  EXPECT_EQ(f->condition, "");
  ASSERT_TRUE(engine->stop().ok());
}

// A sink that holds its tickets: the lines are read but not committed, and the lag says how
// much is waiting. Reading pauses at the in-flight bound; releasing the tickets clears both.
TEST_F(HealthTest, LagAndPauseFollowAcknowledgements) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line number " + std::to_string(i) + "\n";
  dir_.write("app.log", text);
  auto recorder = std::make_shared<Recorder>();
  recorder->hold(true);
  EngineOptions o = quick();
  o.read_chunk_bytes = 4096;
  o.max_inflight_bytes = 8192;
  auto engine = make(path("app.log"), o, recorder);
  ASSERT_TRUE(engine->start().ok());
  const auto held = wait_for(*engine, path("app.log"), [](const FileHealth& h) {
    return h.paused;
  });
  ASSERT_TRUE(held) << "reading never paused with every ticket held";
  EXPECT_EQ(held->committed_offset, 0u);
  EXPECT_GT(held->read_offset, 0u);
  EXPECT_LT(held->read_offset, text.size());
  EXPECT_EQ(held->lag_bytes, text.size());

  recorder->hold(false);
  recorder->release();
  const auto done = wait_for(*engine, path("app.log"), [&](const FileHealth& h) {
    return h.committed_offset == text.size();
  });
  ASSERT_TRUE(done) << "the lag never cleared after the tickets were acknowledged";
  EXPECT_FALSE(done->paused);
  EXPECT_EQ(done->lag_bytes, 0u);
  ASSERT_TRUE(engine->stop().ok());
}

TEST_F(HealthTest, PollingOnlyAndWaitingPathsAreShownAsSuch) {
  auto recorder = std::make_shared<Recorder>();
  EngineOptions o = quick();
  o.file_events = false;
  auto engine = make(path("later.log"), o, recorder);
  ASSERT_TRUE(engine->start().ok());
  const auto waiting = wait_for(*engine, path("later.log"), [](const FileHealth& h) {
    return h.role == "waiting";
  });
  ASSERT_TRUE(waiting);
  EXPECT_EQ(waiting->file, "");
  EXPECT_EQ(waiting->watch, WatchMode::polling);

  dir_.write("later.log", "here now\n");
  const auto live = wait_for(*engine, path("later.log"), [](const FileHealth& h) {
    return h.role == "live" && h.committed_offset == 9;
  });
  ASSERT_TRUE(live) << "the new file never showed up in health()";
  EXPECT_EQ(live->watch, WatchMode::polling);
  ASSERT_TRUE(engine->stop().ok());
}

// A file renamed away is drained as "rotated" while the new file at the path is "live".
TEST_F(HealthTest, ARotatedFileIsListedBesideTheNewOne) {
  dir_.write("app.log", "old one\nold two\n");
  auto recorder = std::make_shared<Recorder>();
  recorder->hold(true);  // keeps the rotated file from retiring while it is looked at
  EngineOptions o = quick();
  o.rotate_grace = 60s;
  auto engine = make(path("app.log"), o, recorder);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return recorder->count() == 2; }));
  std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
  dir_.write("app.log", "new one\n");
  ASSERT_TRUE(wait_until([&] {
    bool rotated = false, live = false;
    for (const FileHealth& f : engine->health().files) {
      rotated |= f.role == "rotated" && f.read_offset == 16 && f.lag_bytes == 16;
      live |= f.role == "live" && f.read_offset == 8;
    }
    return rotated && live;
  })) << "health() never showed the rotated file and the new one";
  recorder->hold(false);
  recorder->release();
  ASSERT_TRUE(engine->stop().ok());
}

}  // namespace
}  // namespace logtail
