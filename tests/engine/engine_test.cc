// The engine through its public API on real files: appends, start positions, rotations,
// truncations, restarts from checkpoints, back-pressure and acknowledgements.
#include <sys/stat.h>
#include <uv.h>
#include <zlib.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "logtail/logtail.h"
#include "engine/engine_fixture.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;
using test::EngineTest;
using test::Recorder;
using test::TempDir;
using test::wait_until;

std::vector<std::string> numbered(const std::string& prefix, int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST_F(EngineTest, DeliversExistingAndAppendedLinesOnceWithOffsets) {
  dir_.write("app.log", "alpha\nbeta\r\n");
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), beginning(), rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 2; }));
  dir_.append("app.log", "gam");
  dir_.append("app.log", "ma\n");
  ASSERT_TRUE(wait_until([&] { return rec->count() == 3; }));
  ASSERT_TRUE(engine->stop().ok());
  auto seen = rec->seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].message, "alpha");
  EXPECT_EQ(seen[0].offset, 0u);
  EXPECT_EQ(seen[1].message, "beta");
  EXPECT_EQ(seen[1].offset, 6u);
  EXPECT_EQ(seen[2].message, "gamma");
  EXPECT_EQ(seen[2].offset, 12u);
  EXPECT_EQ(seen[2].source, path("app.log"));
}

TEST_F(EngineTest, StartAtEndSkipsExistingContentAndThePartialLine) {
  dir_.write("app.log", "old\npart");
  auto rec = std::make_shared<Recorder>();
  EngineOptions o = beginning();
  o.start_at = StartAt::end;
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->start().ok());
  dir_.append("app.log", "ial\nnew\n");
  ASSERT_TRUE(wait_until([&] { return rec->count() >= 1; }));
  ASSERT_TRUE(engine->stop().ok());
  EXPECT_EQ(rec->messages(), std::vector<std::string>{"new"});
}

TEST_F(EngineTest, WaitsForAFileThatDoesNotExistYetAndReadsItFromTheStart) {
  auto rec = std::make_shared<Recorder>();
  EngineOptions o = beginning();
  o.start_at = StartAt::end;  // applies only to files present at start
  auto engine = make(path("later.log"), o, rec);
  ASSERT_TRUE(engine->start().ok());
  dir_.write("later.log", "first\nsecond\n");
  ASSERT_TRUE(wait_until([&] { return rec->count() == 2; }));
  ASSERT_TRUE(engine->stop().ok());
  EXPECT_EQ(rec->messages(), (std::vector<std::string>{"first", "second"}));
}

TEST_F(EngineTest, GlobPicksUpNewFilesFromTheirBeginning) {
  dir_.write("a.log", "a1\n");
  dir_.write("ignored.txt", "x\n");
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("*.log"), beginning(), rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 1; }));
  dir_.write("b.log", "b1\nb2\n");
  ASSERT_TRUE(wait_until([&] { return rec->count() == 3; }));
  ASSERT_TRUE(engine->stop().ok());
  auto msgs = rec->messages();
  std::sort(msgs.begin(), msgs.end());
  EXPECT_EQ(msgs, (std::vector<std::string>{"a1", "b1", "b2"}));
}

TEST_F(EngineTest, FollowsRenameRotationWithoutLossOrDuplicates) {
  auto rec = std::make_shared<Recorder>();
  dir_.write("app.log", joined(numbered("l", 0, 10)));
  auto engine = make(path("app.log"), beginning(), rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 10; }));
  // The writer still holds the old file for a moment after the rename.
  {
    std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
    dir_.append("app.log.1", joined(numbered("l", 10, 15)));
    dir_.write("app.log", joined(numbered("l", 15, 25)));
  }
  ASSERT_TRUE(wait_until([&] { return rec->count() >= 25; }));
  ASSERT_TRUE(engine->stop().ok());
  auto msgs = rec->messages();
  std::sort(msgs.begin(), msgs.end());
  auto want = numbered("l", 0, 25);
  std::sort(want.begin(), want.end());
  EXPECT_EQ(msgs, want);
}

TEST_F(EngineTest, CopytruncateStartsOverAtZero) {
  auto rec = std::make_shared<Recorder>();
  dir_.write("app.log", joined(numbered("old", 0, 5)));
  auto engine = make(path("app.log"), beginning(), rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 5; }));
  std::filesystem::resize_file(dir_.file("app.log"), 0);
  dir_.append("app.log", "new0\n");
  ASSERT_TRUE(wait_until([&] { return rec->count() == 6; }));
  ASSERT_TRUE(engine->stop().ok());
  EXPECT_EQ(rec->seen().back().message, "new0");
  EXPECT_EQ(rec->seen().back().offset, 0u);
}

TEST_F(EngineTest, RewrittenFileWithSameInodeIsReadAgainFromZero) {
  auto rec = std::make_shared<Recorder>();
  dir_.write("app.log", "aaaa\n");
  auto engine = make(path("app.log"), beginning(), rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 1; }));
  // Truncated and regrown past the old offset before the engine looks: only the first
  // bytes tell.
  {
    std::FILE* f = std::fopen(path("app.log").c_str(), "r+");
    ASSERT_NE(f, nullptr);
    std::fputs("bbbb\ncccc\n", f);
    std::fclose(f);
  }
  ASSERT_TRUE(wait_until([&] { return rec->count() == 3; }));
  ASSERT_TRUE(engine->stop().ok());
  EXPECT_EQ(rec->messages(), (std::vector<std::string>{"aaaa", "bbbb", "cccc"}));
}

TEST_F(EngineTest, RestartResumesRightAfterTheLastAcknowledgedLine) {
  dir_.write("app.log", "one\ntwo\n");
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = make(path("app.log"), stateful(), rec);
    ASSERT_TRUE(engine->drain().ok());
    EXPECT_EQ(rec->messages(), (std::vector<std::string>{"one", "two"}));
  }
  dir_.append("app.log", "three\nfour");
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = make(path("app.log"), stateful(), rec);
    ASSERT_TRUE(engine->drain().ok());
    EXPECT_EQ(rec->messages(), (std::vector<std::string>{"three"}));
  }
  dir_.append("app.log", "\n");
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = make(path("app.log"), stateful(), rec);
    ASSERT_TRUE(engine->drain().ok());
    EXPECT_EQ(rec->messages(), (std::vector<std::string>{"four"}));
  }
}

void gzip_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::string bytes;
  {
    std::FILE* f = std::fopen(from.c_str(), "rb");
    ASSERT_NE(f, nullptr);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
    std::fclose(f);
  }
  gzFile gz = gzopen(to.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(gz);
  std::filesystem::remove(from);
}

TEST_F(EngineTest, DrainsRotatedSiblingsOldestFirstAfterRotationsWhileStopped) {
  dir_.write("app.log", joined(numbered("a", 0, 3)));
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = make(path("app.log"), stateful(), rec);
    ASSERT_TRUE(engine->drain().ok());
    ASSERT_EQ(rec->count(), 3u);
  }
  // While stopped: more lines, then two logrotate-style rotations with delaycompress.
  dir_.append("app.log", joined(numbered("a", 3, 5)));
  std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
  dir_.write("app.log", joined(numbered("b", 0, 2)));
  gzip_file(dir_.file("app.log.1"), dir_.file("app.log.2.gz"));
  std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
  dir_.write("app.log", joined(numbered("c", 0, 2)));
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = make(path("app.log"), stateful(), rec);
    ASSERT_TRUE(engine->drain().ok());
    EXPECT_EQ(rec->messages(), (std::vector<std::string>{"a3", "a4", "b0", "b1", "c0", "c1"}));
    auto seen = rec->seen();
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen[0].offset, 9u);  // uncompressed bytes of the .gz
  }
}

TEST_F(EngineTest, ReportsAMissedRotationWhenTheOldFileIsGone) {
  dir_.write("app.log", "one\n");
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = make(path("app.log"), stateful(), rec);
    ASSERT_TRUE(engine->drain().ok());
  }
  std::filesystem::remove(dir_.file("app.log"));
  dir_.write("app.log", "fresh\n");
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), stateful(), rec);
  ASSERT_TRUE(engine->drain().ok());
  EXPECT_TRUE(saw_diagnostic(DiagnosticKind::missed_rotation));
  EXPECT_EQ(rec->messages(), std::vector<std::string>{"fresh"});
}

TEST_F(EngineTest, CorruptStateIsAnErrorNamingTheFileAndIsKept) {
  std::filesystem::create_directories(dir_.file("state"));
  dir_.write("state/checkpoints", "garbage");
  dir_.write("app.log", "x\n");
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), stateful(), rec);
  Status st = engine->drain();
  EXPECT_EQ(st.kind(), StatusKind::corrupt);
  EXPECT_NE(st.message().find("checkpoints"), std::string::npos) << st.message();
  EXPECT_EQ(dir_.read("state/checkpoints"), "garbage");
  EXPECT_EQ(rec->count(), 0u);
}

TEST_F(EngineTest, BackPressurePausesReadingUntilSinksAcknowledge) {
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + " padding padding\n";
  dir_.write("app.log", content);
  auto rec = std::make_shared<Recorder>();
  rec->hold(true);
  EngineOptions o = beginning();
  o.max_inflight_bytes = 64 * 1024;
  o.read_chunk_bytes = 16 * 1024;
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() > 0; }));
  // Held tickets stop the reading at the bound (plus at most one chunk).
  ASSERT_TRUE(wait_until([&] { return engine->counters().bytes_read >= 64 * 1024; }));
  const auto stalled = engine->counters().bytes_read;
  EXPECT_LE(stalled, 64u * 1024 + 16 * 1024);
  EXPECT_LT(rec->count(), 20000u);
  rec->hold(false);
  rec->release();
  ASSERT_TRUE(wait_until([&] {
    rec->release();
    return rec->count() == 20000;
  }));
  ASSERT_TRUE(engine->stop().ok());
}

TEST_F(EngineTest, AFailedDeliveryIsDeliveredAgainAfterARestart) {
  dir_.write("app.log", "one\n");
  {
    auto rec = std::make_shared<Recorder>();
    rec->fail(true);
    auto engine = make(path("app.log"), stateful(), rec);
    EXPECT_FALSE(engine->drain().ok());
    EXPECT_TRUE(saw_diagnostic(DiagnosticKind::sink_error));
  }
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), stateful(), rec);
  ASSERT_TRUE(engine->drain().ok());
  EXPECT_EQ(rec->messages(), std::vector<std::string>{"one"});
}

TEST_F(EngineTest, LongLinesAreCutAtTheCapAndTheRestSkipped) {
  std::string big(3000, 'x');
  dir_.write("app.log", big + "\nafter\n");
  auto rec = std::make_shared<Recorder>();
  EngineOptions o = beginning();
  o.max_line_bytes = 1000;
  o.read_chunk_bytes = 512;
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->drain().ok());
  auto seen = rec->seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].message, std::string(1000, 'x'));
  EXPECT_TRUE(seen[0].truncated);
  EXPECT_EQ(seen[1].message, "after");
  EXPECT_EQ(seen[1].offset, 3001u);
  EXPECT_EQ(engine->counters().truncated_lines, 1u);
  EXPECT_TRUE(saw_diagnostic(DiagnosticKind::truncated_line));
}

TEST_F(EngineTest, RunsOnAHostLoop) {
  dir_.write("app.log", "hosted\n");
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), beginning(), rec);
  uv_loop_t loop;
  uv_loop_init(&loop);
  ASSERT_TRUE(engine->attach(&loop).ok());
  // Run the host loop until the line arrives, then stop from the loop thread.
  uv_timer_t check;
  uv_timer_init(&loop, &check);
  struct Ctx {
    Engine* engine;
    Recorder* rec;
  } ctx{engine.get(), rec.get()};
  check.data = &ctx;
  uv_timer_start(&check, [](uv_timer_t* t) {
    auto* c = static_cast<Ctx*>(t->data);
    if (c->rec->count() == 0) return;
    (void)c->engine->stop();
    uv_close(reinterpret_cast<uv_handle_t*>(t), nullptr);
  }, 10, 10);
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
  EXPECT_EQ(rec->messages(), std::vector<std::string>{"hosted"});
}

TEST_F(EngineTest, ASecondEngineOnTheSameStateDirectoryIsRefused) {
  dir_.write("app.log", "x\n");
  auto rec = std::make_shared<Recorder>();
  auto first = make(path("app.log"), stateful(), rec);
  ASSERT_TRUE(first->start().ok());
  auto second = make(path("app.log"), stateful(), rec);
  Status st = second->start();
  EXPECT_EQ(st.kind(), StatusKind::busy) << st.message();
  ASSERT_TRUE(first->stop().ok());
}

}  // namespace
}  // namespace logtail

namespace logtail {
namespace {

TEST_F(EngineTest, MultilineRecordsSurviveChunkBoundariesAndRestarts) {
  std::string trace = "ERROR boom\n";
  for (int i = 0; i < 50; ++i) trace += "\tat frame" + std::to_string(i) + "\n";
  dir_.write("app.log", "INFO a\n" + trace + "INFO b\n");
  EngineOptions o = stateful();
  o.read_chunk_bytes = 64;  // the trace spans many reads
  SourceOptions src;
  src.multiline = MultilineOptions{};
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = std::make_unique<Engine>(o);
    ASSERT_TRUE(engine->watch(path("app.log"), src).ok());
    engine->route(engine->add(observers::lines()), rec);
    ASSERT_TRUE(engine->drain().ok());
    auto seen = rec->seen();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[1].message + "\n", trace);
    EXPECT_EQ(seen[1].offset, 7u);
    EXPECT_EQ(seen[2].message, "INFO b");
  }
  // A trace still being written when the engine stops is not split by the checkpoint.
  dir_.append("app.log", "ERROR again\n\tat one\n");
  {
    auto rec = std::make_shared<Recorder>();
    auto engine = std::make_unique<Engine>(o);
    ASSERT_TRUE(engine->watch(path("app.log"), src).ok());
    engine->route(engine->add(observers::lines()), rec);
    ASSERT_TRUE(engine->start().ok());
    // Held until the flush timeout passes (no more lines come).
    ASSERT_TRUE(wait_until([&] { return rec->count() == 1; }));
    EXPECT_EQ(rec->seen()[0].message, "ERROR again\n\tat one");
    ASSERT_TRUE(engine->stop().ok());
  }
}

TEST_F(EngineTest, ABadMultilinePatternIsRefusedByWatch) {
  Engine engine;
  SourceOptions src;
  src.multiline = MultilineOptions{.start_pattern = "(["};
  Status st = engine.watch(path("app.log"), src);
  EXPECT_EQ(st.kind(), StatusKind::invalid_argument);
  EXPECT_NE(st.message().find("app.log"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace logtail
