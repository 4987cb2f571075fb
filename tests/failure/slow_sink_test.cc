// Failure mode 7: a sink that stops taking lines while the writer rotates and deletes old
// files. The engine runs in-process with a QueuedSink (block policy) whose worker waits at a
// gate: "blocked for a minute" is scaled down to the few seconds the rotations take, and the
// hold bound to 300 ms where it is hit (60 s where it is not).
//
// While the sink is blocked: reading stops after a few chunks (bytes read stay bounded, so
// memory is flat however much is written), every rotation is counted, every new file is
// opened and listed by health(). The deleted files are held open (their disk space pinned)
// only up to max_hold_deleted; when that is hit their unread bytes are reported and counted
// as lost. Once the gate opens, everything retained comes, in the order it was written.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/engine_fixture.h"
#include "engine/gated_sink.h"
#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

constexpr int kLinesPerFile = 300;
constexpr int kRotations = 4;  // five files in all: gen-0 ... gen-4

// "gen-G line-I" padded to 60 bytes with its newline, so files are some 18 KB each.
std::string gen_line(int gen, int i) {
  std::string line = "gen-" + std::to_string(gen) + " line-" + std::to_string(i) + " ";
  line.resize(59, '.');
  return line;
}

std::string gen_file(int gen) {
  std::string out;
  for (int i = 0; i < kLinesPerFile; ++i) out += gen_line(gen, i) + "\n";
  return out;
}

// How many open fds of this process lead to a deleted file in `dir`.
std::size_t deleted_files_held(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(entry.path(), ec).string();
    if (!ec && target.starts_with(dir.string() + "/") && target.ends_with(" (deleted)")) ++n;
  }
  return n;
}

class SlowSinkTest : public EngineTest {
 protected:
  EngineOptions options(std::chrono::milliseconds hold) const {
    EngineOptions o = beginning();
    o.poll_interval = 50ms;
    o.tick_interval = 50ms;
    o.read_chunk_bytes = 4096;
    o.max_inflight_bytes = 16384;
    o.max_hold_deleted = hold;
    return o;
  }

  // The engine on app.log with every line going to a gated sink (capacity 8, block).
  void start(std::chrono::milliseconds hold) {
    gate_ = std::make_shared<GatedSink>(QueueOptions{.capacity = 8});
    engine_ = std::make_unique<Engine>(options(hold));
    engine_->on_diagnostic([this](const Diagnostic& d) {
      std::lock_guard lock(diag_mu_);
      diagnostics_.push_back(d);
    });
    ASSERT_TRUE(engine_->watch(path("app.log")).ok());
    auto& lines = engine_->add(observers::lines());
    engine_->route(lines, gate_);
    ASSERT_TRUE(engine_->start().ok());
  }

  // Whether health() lists app.log's live file as the file now at the path.
  bool live_is_current() const {
    const auto inode = inode_of(dir_.file("app.log"));
    for (const FileHealth& f : engine_->health().files)
      if (f.role == "live" && inode && f.identity.inode == *inode) return true;
    return false;
  }

  // Writes gen-0 to app.log, then rotates kRotations times while the sink is blocked: the
  // oldest rotated file is deleted (logrotate's `rotate 1`), app.log becomes app.log.1 and a
  // new app.log gets the next generation. Each rotation is waited for (counted, and the new
  // file listed by health) before the next, as a writer rotating once a minute would be.
  // Returns the bytes written.
  std::uint64_t write_and_rotate() {
    dir_.write("app.log", gen_file(0));
    EXPECT_TRUE(wait_until([&] { return live_is_current(); }, 30s));
    std::uint64_t written = kLinesPerFile * 60;
    for (int gen = 1; gen <= kRotations; ++gen) {
      std::filesystem::remove(dir_.file("app.log.1"));
      std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
      dir_.write("app.log", gen_file(gen));
      written += kLinesPerFile * 60;
      EXPECT_TRUE(wait_until([&] {
        return engine_->counters().rotations >= static_cast<std::uint64_t>(gen) &&
               live_is_current();
      }, 30s)) << "rotation " << gen << " was not followed";
    }
    return written;
  }

  std::vector<Diagnostic> diagnostics_of(DiagnosticKind kind) {
    std::lock_guard lock(diag_mu_);
    std::vector<Diagnostic> out;
    for (const auto& d : diagnostics_)
      if (d.kind == kind) out.push_back(d);
    return out;
  }

  std::shared_ptr<GatedSink> gate_;
  std::unique_ptr<Engine> engine_;
};

// Memory stays flat: with the gate shut, reading stops once the queue is full, so bytes read
// stay within a few chunks and the bytes in flight while the files hold 90 KB.
void expect_reading_paused(Engine& engine, std::uint64_t written) {
  const EngineCounters c = engine.counters();
  EXPECT_LT(c.bytes_read, 3u * 16384) << "reading did not pause for the blocked sink";
  EXPECT_GT(written, 4 * c.bytes_read);
  std::uint64_t inflight = 0;
  for (const FileHealth& f : engine.health().files) inflight += f.read_offset - f.committed_offset;
  EXPECT_LE(inflight, 3u * 16384);
}

TEST_F(SlowSinkTest, EverythingRetainedComesOnceTheSinkReturnsWithinTheHoldBound) {
  start(60s);
  const std::uint64_t written = write_and_rotate();
  expect_reading_paused(*engine_, written);
  EXPECT_EQ(engine_->counters().rotations, static_cast<std::uint64_t>(kRotations));

  // Every file written is still open: gen-0 ... gen-2 deleted, gen-3 rotated, gen-4 live.
  const EngineHealth h = engine_->health();
  ASSERT_EQ(h.files.size(), static_cast<std::size_t>(kRotations) + 1);
  for (std::size_t i = 0; i < h.files.size(); ++i)
    EXPECT_EQ(h.files[i].role, i + 1 < h.files.size() ? "rotated" : "live") << i;
  EXPECT_EQ(deleted_files_held(dir_.path()), static_cast<std::size_t>(kRotations) - 1);

  gate_->open();
  const std::size_t total = (kRotations + 1) * kLinesPerFile;
  ASSERT_TRUE(wait_until([&] { return gate_->delivered_count() >= total; }, 30s))
      << gate_->delivered_count() << " of " << total;
  ASSERT_TRUE(engine_->stop().ok());

  std::vector<std::string> expected;
  for (int gen = 0; gen <= kRotations; ++gen)
    for (int i = 0; i < kLinesPerFile; ++i) expected.push_back(gen_line(gen, i));
  EXPECT_EQ(gate_->delivered(), expected);
  EXPECT_EQ(engine_->counters().hold_expired, 0u);
  EXPECT_EQ(engine_->counters().unread_bytes_lost, 0u);
  EXPECT_TRUE(diagnostics_of(DiagnosticKind::hold_expired).empty());
  EXPECT_EQ(deleted_files_held(dir_.path()), 0u);
}

TEST_F(SlowSinkTest, DeletedFilesAreClosedAtTheHoldBoundAndTheirUnreadBytesReported) {
  start(300ms);
  const std::uint64_t written = write_and_rotate();
  expect_reading_paused(*engine_, written);

  // gen-0 ... gen-2 were deleted unread; each is closed 300 ms (and up to a tick) after.
  constexpr std::uint64_t kDeleted = kRotations - 1;
  ASSERT_TRUE(wait_until([&] { return engine_->counters().hold_expired >= kDeleted; }, 30s))
      << engine_->counters().hold_expired;
  EXPECT_TRUE(wait_until([&] { return deleted_files_held(dir_.path()) == 0; }, 30s));
  const EngineCounters c = engine_->counters();
  EXPECT_EQ(c.hold_expired, kDeleted);

  // One report per file, naming the path and the bytes; health() shows it as a condition.
  const auto reports = diagnostics_of(DiagnosticKind::hold_expired);
  ASSERT_EQ(reports.size(), kDeleted);
  for (const Diagnostic& d : reports) {
    EXPECT_EQ(d.path, path("app.log"));
    EXPECT_EQ(d.severity, Severity::error);
    EXPECT_TRUE(has_substr(d.message, "bytes from offset")) << d.message;
    EXPECT_TRUE(has_substr(d.message, "--hold-deleted")) << d.message;
  }
  EXPECT_TRUE(wait_until([&] {
    for (const FileHealth& f : engine_->health().files)
      if (f.condition.starts_with("hold_expired: ")) return true;
    return false;
  }, 30s));

  gate_->open();
  // What was read of gen-0 before the gate shut, then gen-3 and gen-4 whole.
  const std::size_t whole = 2 * kLinesPerFile;
  ASSERT_TRUE(wait_until([&] { return gate_->delivered_count() >= whole; }, 30s));
  ASSERT_TRUE(engine_->stop().ok());

  const std::vector<std::string> got = gate_->delivered();
  ASSERT_GE(got.size(), whole);
  const std::size_t head = got.size() - whole;  // the lines of gen-0 read before it was closed
  ASSERT_GT(head, 0u);
  ASSERT_LT(head, static_cast<std::size_t>(kLinesPerFile));
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < head; ++i) expected.push_back(gen_line(0, static_cast<int>(i)));
  for (int gen = kRotations - 1; gen <= kRotations; ++gen)
    for (int i = 0; i < kLinesPerFile; ++i) expected.push_back(gen_line(gen, i));
  EXPECT_EQ(got, expected);
  // Nothing else is lost: the bytes reported are exactly those not delivered.
  EXPECT_EQ(c.unread_bytes_lost, (kLinesPerFile - head) * 60 + (kDeleted - 1) * kLinesPerFile * 60);
}

}  // namespace
}  // namespace logtail::test
