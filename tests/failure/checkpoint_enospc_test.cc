// Failure mode 10, third part: the disk holding the state directory fills up (ENOSPC) while
// the engine runs. Checkpoint writes fail; that is reported once per run of failures (not
// per save), reading goes on from the offsets held in memory (nothing is read again), and
// once there is room the next save stores the right offsets, so a restart delivers nothing
// twice and loses nothing.
//
// Two ways to fill the disk: a host CheckpointStore (EngineOptions::store) wrapping the real
// file store that fails saves with ENOSPC while told to (always runs), and a real 64 KiB tmpfs
// filled with a file (runs where mount(2) is permitted, as root; skipped with a message
// elsewhere).
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/engine_fixture.h"
#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

// The real file store, failing every save as a full disk would while `full` is set.
class FullDiskStore final : public CheckpointStore {
 public:
  explicit FullDiskStore(std::unique_ptr<CheckpointStore> real) : real_(std::move(real)) {}
  Result<std::vector<CheckpointEntry>> load() override { return real_->load(); }
  Status save(const std::vector<CheckpointEntry>& entries) override {
    if (full.load()) {
      failed_saves.fetch_add(1);
      return Status(StatusKind::io_error,
                    "cannot write state/.checkpoints.tmp: No space left on device");
    }
    return real_->save(entries);
  }
  std::atomic<bool> full{false};
  std::atomic<int> failed_saves{0};

 private:
  std::unique_ptr<CheckpointStore> real_;
};

class CheckpointEnospcTest : public EngineTest {
 protected:
  EngineOptions options() const {
    EngineOptions o = beginning();
    o.checkpoint_interval = 20ms;  // many saves, so one report per save would show
    return o;
  }

  std::vector<Diagnostic> checkpoint_errors() {
    std::lock_guard lock(diag_mu_);
    std::vector<Diagnostic> out;
    for (const auto& d : diagnostics_)
      if (d.kind == DiagnosticKind::checkpoint_error) out.push_back(d);
    return out;
  }

  // Appends batch after batch (each waited for) while saves fail; returns the lines written.
  int append_batches(const std::shared_ptr<Recorder>& rec, int first, int batches) {
    for (int b = 0; b < batches; ++b) {
      const int from = first + b * 10;
      dir_.append("app.log", numbered_lines("full", from, from + 9));
      const auto want = static_cast<std::size_t>(from + 10);
      EXPECT_TRUE(wait_until([&] { return rec->count() >= want; }, 30s));
    }
    return batches * 10;
  }

  // The committed offset the state directory holds for app.log (the engine stopped).
  std::uint64_t stored_offset() {
    auto store = open_file_checkpoint_store(dir_.file("state"));
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return 0;
    auto entries = (*store)->load();
    EXPECT_TRUE(entries.ok()) << entries.status().message();
    if (!entries.ok() || entries->size() != 1) return 0;
    return entries->front().offset;
  }

  // A restart on the same state: only the lines written since come.
  void expect_restart_resumes(int written) {
    dir_.append("app.log", "after-restart\n");
    auto rec = std::make_shared<Recorder>();
    EngineOptions o = options();
    o.state_dir = dir_.file("state");
    auto engine = make(path("app.log"), o, rec);
    ASSERT_TRUE(engine->drain().ok());
    EXPECT_EQ(rec->messages(), (std::vector<std::string>{"after-restart"}))
        << "after " << written << " lines";
  }
};

TEST_F(CheckpointEnospcTest, FailedSavesAreReportedOnceAndTheOffsetsAreKeptUntilThereIsRoom) {
  dir_.write("app.log", numbered_lines("full", 0, 9));
  auto real = open_file_checkpoint_store(dir_.file("state"));
  ASSERT_TRUE(real.ok()) << real.status().message();
  auto store = std::make_shared<FullDiskStore>(std::move(*real));
  EngineOptions o = options();
  o.store = store;
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 10; }, 30s));
  ASSERT_TRUE(wait_until([&] { return engine->counters().checkpoints_written >= 1; }, 30s));

  store->full = true;
  const int written = 10 + append_batches(rec, 10, 5);
  ASSERT_TRUE(wait_until([&] { return store->failed_saves.load() >= 5; }, 30s));

  // One report for the whole run of failures, naming the cause.
  const auto errors = checkpoint_errors();
  ASSERT_EQ(errors.size(), 1u) << store->failed_saves.load() << " failed saves";
  EXPECT_EQ(errors[0].severity, Severity::error);
  EXPECT_TRUE(has_substr(errors[0].message, "No space left on device")) << errors[0].message;
  // No re-reading: every byte read once, every line delivered once.
  const std::uint64_t size = std::filesystem::file_size(dir_.file("app.log"));
  EXPECT_EQ(engine->counters().bytes_read, size);
  EXPECT_EQ(rec->messages(), numbered_messages("full", 0, written - 1));
  EXPECT_EQ(engine->counters().truncations, 0u);

  // Room again: the next save goes through, with the offsets held meanwhile.
  const std::uint64_t before = engine->counters().checkpoints_written;
  store->full = false;
  ASSERT_TRUE(wait_until([&] { return engine->counters().checkpoints_written > before; }, 30s));
  EXPECT_TRUE(wait_until([&] { return checkpoint_errors().size() == 2; }, 30s));
  EXPECT_EQ(checkpoint_errors().back().severity, Severity::notice);
  auto saved = store->load();
  ASSERT_TRUE(saved.ok());
  ASSERT_EQ(saved->size(), 1u);
  EXPECT_EQ(saved->front().offset, size);

  ASSERT_TRUE(engine->stop().ok());
  // The store (and the state directory's lock) goes with its last owner.
  engine.reset();
  o.store.reset();
  store.reset();
  EXPECT_EQ(stored_offset(), size);
  expect_restart_resumes(written);
}

// A 64 KiB tmpfs mounted over `dir`, unmounted when done.
class SmallTmpfs {
 public:
  explicit SmallTmpfs(const std::filesystem::path& dir) : dir_(dir) {
    std::filesystem::create_directories(dir);
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=64k") == 0) {
      mounted_ = true;
    } else {
      why_ = std::strerror(errno);
    }
  }
  ~SmallTmpfs() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;
  bool mounted() const { return mounted_; }
  const std::string& why() const { return why_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string why_;
};

// Writes `path` until the file system is full; true when it ended with ENOSPC.
bool fill_up(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const std::string block(4096, 'x');
  int err = 0;
  for (int i = 0; i < 1024; ++i) {
    if (::write(fd, block.data(), block.size()) < 0) {
      err = errno;
      break;
    }
  }
  ::close(fd);
  return err == ENOSPC;
}

TEST_F(CheckpointEnospcTest, ARealFullFileSystemUnderTheStateDirectory) {
  SmallTmpfs fs(dir_.file("state"));
  if (!fs.mounted()) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << fs.why()
                 << "); the injected ENOSPC test covers this failure mode";
  }
  dir_.write("app.log", numbered_lines("full", 0, 9));
  EngineOptions o = options();
  o.state_dir = dir_.file("state");
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 10; }, 30s));
  ASSERT_TRUE(wait_until([&] { return engine->counters().checkpoints_written >= 1; }, 30s));

  ASSERT_TRUE(fill_up(dir_.file("state/filler")));
  const std::uint64_t written_before = engine->counters().checkpoints_written;
  const int written = 10 + append_batches(rec, 10, 5);
  ASSERT_TRUE(wait_until([&] { return !checkpoint_errors().empty(); }, 30s));
  // A failed save is retried every checkpoint_interval (20 ms): this lets some fifteen more
  // fail, which must not be reported again.
  std::this_thread::sleep_for(300ms);
  const auto errors = checkpoint_errors();
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_TRUE(has_substr(errors[0].message, "No space left on device")) << errors[0].message;
  EXPECT_EQ(engine->counters().checkpoints_written, written_before);
  const std::uint64_t size = std::filesystem::file_size(dir_.file("app.log"));
  EXPECT_EQ(engine->counters().bytes_read, size);
  EXPECT_EQ(rec->messages(), numbered_messages("full", 0, written - 1));

  std::filesystem::remove(dir_.file("state/filler"));
  ASSERT_TRUE(wait_until([&] { return engine->counters().checkpoints_written > written_before; },
                         30s));
  ASSERT_TRUE(engine->stop().ok());
  engine.reset();
  EXPECT_EQ(stored_offset(), size);
  expect_restart_resumes(written);
}

}  // namespace
}  // namespace logtail::test
