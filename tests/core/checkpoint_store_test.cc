#include "checkpoint_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checkpoint_codec.h"
#include "support/fake_fs.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

namespace fs = std::filesystem;

CheckpointEntry store_entry(std::string path, std::uint64_t generation, std::uint64_t offset) {
  CheckpointEntry e;
  e.path = std::move(path);
  e.generation = generation;
  e.offset = offset;
  e.identity = {.device = 64769, .inode = 1000 + generation, .fingerprint_size = 512,
                .fingerprint = 0xfeedfacecafebeefULL + generation};
  return e;
}

const std::vector<CheckpointEntry> kFirst = {store_entry("/logs/app.log", 1, 4096),
                                             store_entry("/logs/app.log", 2, 17)};
const std::vector<CheckpointEntry> kSecond = {store_entry("/logs/app.log", 2, 9000),
                                              store_entry("/logs/db.log", 1, 123456)};

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& item : fs::directory_iterator(dir)) names.push_back(item.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

class CheckpointStoreTest : public ::testing::Test {
 protected:
  fs::path state_dir() const { return dir_.file("state"); }
  fs::path checkpoint_file() const { return state_dir() / "checkpoints"; }

  std::unique_ptr<CheckpointStore> open_store(platform::Fs& fs = platform::posix_fs()) {
    auto store = open_file_checkpoint_store(state_dir(), fs);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Loads through a store of its own, as the next run would.
  std::vector<CheckpointEntry> load_fresh() {
    auto store = open_store();
    if (!store) return {};
    auto loaded = store->load();
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() ? *loaded : std::vector<CheckpointEntry>{};
  }

  test::TempDir dir_;
};

TEST_F(CheckpointStoreTest, NoStateIsAnEmptySet) {
  auto store = open_store();
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(loaded->empty());
  EXPECT_TRUE(fs::is_directory(state_dir()));
}

TEST_F(CheckpointStoreTest, CreatesNestedStateDirectories) {
  auto store = open_file_checkpoint_store(dir_.file("a/b/c"));
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_TRUE(fs::is_directory(dir_.file("a/b/c")));
}

TEST_F(CheckpointStoreTest, SavedSetLoadsBackInThisAndTheNextStore) {
  {
    auto store = open_store();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save(kFirst).ok());
    auto loaded = store->load();
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    EXPECT_EQ(*loaded, kFirst);
    Status saved = store->save(kSecond);
    ASSERT_TRUE(saved.ok()) << saved.message();
  }
  EXPECT_EQ(load_fresh(), kSecond);
  EXPECT_EQ(dir_.read("state/checkpoints"), encode_checkpoints(kSecond));
  // Only the lock and the checkpoints: no temp file left behind.
  EXPECT_EQ(names_in(state_dir()), (std::vector<std::string>{"checkpoints", "lock"}));
}

TEST_F(CheckpointStoreTest, SavingAnEmptySetReplacesTheOldOne) {
  auto store = open_store();
  ASSERT_TRUE(store->save(kFirst).ok());
  ASSERT_TRUE(store->save({}).ok());
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(loaded->empty());
}

TEST_F(CheckpointStoreTest, SecondStoreOnTheSameDirectoryIsBusy) {
  auto first = open_store();
  ASSERT_TRUE(first);
  auto second = open_file_checkpoint_store(state_dir());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().kind(), StatusKind::busy);
  EXPECT_EQ(second.status().message(),
            fmt::format("state directory {} is in use by another logtail (pid {}); stop it or "
                        "give this one another state directory",
                        state_dir().string(), ::getpid()));
}

TEST_F(CheckpointStoreTest, LockIsReleasedWhenTheStoreIsDestroyed) {
  auto first = open_store();
  ASSERT_TRUE(first);
  first.reset();
  auto second = open_file_checkpoint_store(state_dir());
  EXPECT_TRUE(second.ok()) << second.status().message();
}

struct BadFile {
  std::string name;
  std::string bytes;
};

TEST_F(CheckpointStoreTest, CorruptFileIsReportedAndLeftUntouched) {
  std::string torn = encode_checkpoints(kFirst);
  torn.resize(torn.size() / 2);
  const std::vector<BadFile> cases = {
      {"zero bytes", ""},
      {"garbage", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)},
      {"torn write", torn},
  };
  for (const BadFile& c : cases) {
    SCOPED_TRACE(c.name);
    dir_.write("state/checkpoints", c.bytes);
    const auto before = fs::last_write_time(checkpoint_file());
    auto store = open_store();
    ASSERT_TRUE(store);
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto loaded = store->load();
      ASSERT_FALSE(loaded.ok());
      EXPECT_EQ(loaded.status().kind(), StatusKind::corrupt);
      EXPECT_NE(loaded.status().message().find(checkpoint_file().string()), std::string::npos)
          << loaded.status().message();
      EXPECT_NE(loaded.status().message().find("--reset-state"), std::string::npos)
          << loaded.status().message();
    }
    store.reset();
    EXPECT_EQ(dir_.read("state/checkpoints"), c.bytes);
    EXPECT_EQ(fs::last_write_time(checkpoint_file()), before);
  }
}

TEST_F(CheckpointStoreTest, UnreadableFileIsAnIoErrorNamingIt) {
  // A directory where the file should be fails to read for root as well.
  fs::create_directories(checkpoint_file());
  auto store = open_store();
  ASSERT_TRUE(store);
  auto loaded = store->load();
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().kind(), StatusKind::io_error);
  EXPECT_EQ(loaded.status().message(),
            fmt::format("cannot read {}: Is a directory", checkpoint_file().string()));
}

TEST_F(CheckpointStoreTest, DuplicateEntriesAreRefusedAndTheOldSetKept) {
  auto store = open_store();
  ASSERT_TRUE(store->save(kFirst).ok());
  Status s = store->save({store_entry("/logs/x.log", 4, 1), store_entry("/logs/x.log", 4, 2)});
  EXPECT_EQ(s.kind(), StatusKind::invalid_argument);
  EXPECT_NE(s.message().find("two entries for path /logs/x.log generation 4"), std::string::npos)
      << s.message();
  store.reset();
  EXPECT_EQ(load_fresh(), kFirst);
}

TEST_F(CheckpointStoreTest, SaveSyncsTheFileBeforeTheRenameAndTheDirectoryAfter) {
  test::FakeFs fake;
  auto store = open_store(fake);
  ASSERT_TRUE(store->save(kFirst).ok());
  EXPECT_EQ(fake.syncs(), 1);
  EXPECT_EQ(fake.renames(), 1);
  EXPECT_EQ(fake.dir_syncs(), 1);
}

struct SaveFailure {
  std::string name;
  void (test::FakeFs::*inject)(int);
  int err;
  std::string says;
};

TEST_F(CheckpointStoreTest, FailedSaveReportsTheErrorAndKeepsThePreviousSet) {
  const std::vector<SaveFailure> cases = {
      {"write fills the disk", &test::FakeFs::fail_writes, ENOSPC,
       "cannot write {dir}/.checkpoints.tmp: No space left on device"},
      {"fsync fails", &test::FakeFs::fail_syncs, EIO,
       "cannot fsync {dir}/.checkpoints.tmp: Input/output error"},
      {"rename fails", &test::FakeFs::fail_renames, ENOSPC,
       "cannot rename {dir}/.checkpoints.tmp to {dir}/checkpoints: No space left on device"},
  };
  for (const SaveFailure& c : cases) {
    SCOPED_TRACE(c.name);
    test::FakeFs fake;
    auto store = open_store(fake);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->save(kFirst).ok());
    (fake.*c.inject)(c.err);
    Status s = store->save(kSecond);
    EXPECT_EQ(s.kind(), StatusKind::io_error);
    EXPECT_EQ(s.message(),
              fmt::format(fmt::runtime(c.says), fmt::arg("dir", state_dir().string())));
    fake.clear_failures();
    auto loaded = store->load();
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    EXPECT_EQ(*loaded, kFirst);
    EXPECT_EQ(names_in(state_dir()), (std::vector<std::string>{"checkpoints", "lock"}));
    // A crash now loses nothing that was reported saved.
    fake.drop_unsynced_writes();
    store.reset();
    EXPECT_EQ(load_fresh(), kFirst);
    // And the store still works once the disk does.
    store = open_store(fake);
    ASSERT_TRUE(store->save(kSecond).ok());
    store.reset();
    EXPECT_EQ(load_fresh(), kSecond);
  }
}

TEST_F(CheckpointStoreTest, FailedDirectorySyncIsReported) {
  test::FakeFs fake;
  auto store = open_store(fake);
  ASSERT_TRUE(store->save(kFirst).ok());
  fake.fail_dir_syncs(EIO);
  Status s = store->save(kSecond);
  EXPECT_EQ(s.kind(), StatusKind::io_error);
  EXPECT_EQ(s.message(),
            fmt::format("cannot fsync directory {}: Input/output error", state_dir().string()));
  // The rename happened: either set may survive a crash now, and both load cleanly.
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_TRUE(*loaded == kFirst || *loaded == kSecond);
}

TEST_F(CheckpointStoreTest, CrashAfterASaveKeepsTheSavedSet) {
  test::FakeFs fake;
  auto store = open_store(fake);
  ASSERT_TRUE(store->save(kFirst).ok());
  ASSERT_TRUE(store->save(kSecond).ok());
  // Had the store renamed before fsyncing, the file would now be empty.
  fake.drop_unsynced_writes();
  store.reset();
  EXPECT_EQ(load_fresh(), kSecond);
}

TEST_F(CheckpointStoreTest, CrashThatLosesTheTempFileKeepsThePreviousSet) {
  test::FakeFs fake;
  auto store = open_store(fake);
  ASSERT_TRUE(store->save(kFirst).ok());
  // The process dies inside fsync: nothing of the new temp file reached the disk.
  fake.fail_syncs(EIO);
  EXPECT_FALSE(store->save(kSecond).ok());
  fake.drop_unsynced_writes();
  store.reset();
  EXPECT_EQ(load_fresh(), kFirst);
}

TEST_F(CheckpointStoreTest, FakeDropsWritesThatWereNeverSynced) {
  // The crash tests above mean something only if the fake really loses unsynced bytes.
  test::FakeFs fake;
  auto file = fake.create_file(dir_.file("f"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->append("synced ").ok());
  ASSERT_TRUE((*file)->sync().ok());
  ASSERT_TRUE((*file)->append("lost").ok());
  ASSERT_TRUE((*file)->close().ok());
  ASSERT_TRUE(fake.rename(dir_.file("f"), dir_.file("g")).ok());
  EXPECT_EQ(dir_.read("g"), "synced lost");
  fake.drop_unsynced_writes();
  EXPECT_EQ(dir_.read("g"), "synced ");
}

class ResetStateTest : public CheckpointStoreTest {
 protected:
  // 2026-11-22 10:15:00 UTC.
  static std::chrono::system_clock::time_point fixed_time() {
    using namespace std::chrono;
    return sys_days{year{2026} / November / 22} + hours{10} + minutes{15} + seconds{0} +
           milliseconds{999};
  }
};

TEST_F(ResetStateTest, MovesTheFileAsideAndTheNextLoadIsEmpty) {
  dir_.write("state/checkpoints", "not a checkpoint file");
  Status s = reset_checkpoint_state(state_dir());
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_FALSE(fs::exists(checkpoint_file()));
  std::vector<std::string> moved;
  for (const std::string& name : names_in(state_dir())) {
    if (name.starts_with("checkpoints.reset-")) moved.push_back(name);
  }
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0].size(), std::string("checkpoints.reset-20261122T101500Z").size());
  EXPECT_EQ(dir_.read("state/" + moved[0]), "not a checkpoint file");
  EXPECT_TRUE(load_fresh().empty());
}

TEST_F(ResetStateTest, NamesTheFileAfterTheUtcTimeAndCountsClashes) {
  for (int i = 0; i < 3; ++i) {
    dir_.write("state/checkpoints", fmt::format("state {}", i));
    Status s = reset_checkpoint_state(state_dir(), platform::posix_fs(), fixed_time());
    ASSERT_TRUE(s.ok()) << s.message();
  }
  EXPECT_EQ(names_in(state_dir()),
            (std::vector<std::string>{"checkpoints.reset-20261122T101500Z",
                                      "checkpoints.reset-20261122T101500Z-1",
                                      "checkpoints.reset-20261122T101500Z-2", "lock"}));
  EXPECT_EQ(dir_.read("state/checkpoints.reset-20261122T101500Z"), "state 0");
  EXPECT_EQ(dir_.read("state/checkpoints.reset-20261122T101500Z-2"), "state 2");
}

TEST_F(ResetStateTest, NothingToMoveIsOk) {
  Status missing_dir = reset_checkpoint_state(state_dir());
  EXPECT_TRUE(missing_dir.ok()) << missing_dir.message();
  EXPECT_FALSE(fs::exists(state_dir()));
  fs::create_directories(state_dir());
  Status empty_dir = reset_checkpoint_state(state_dir());
  EXPECT_TRUE(empty_dir.ok()) << empty_dir.message();
}

TEST_F(ResetStateTest, RefusesWhileAStoreHoldsTheDirectory) {
  auto store = open_store();
  ASSERT_TRUE(store->save(kFirst).ok());
  Status s = reset_checkpoint_state(state_dir());
  EXPECT_EQ(s.kind(), StatusKind::busy);
  EXPECT_NE(s.message().find("is in use by another logtail"), std::string::npos) << s.message();
  store.reset();
  EXPECT_EQ(load_fresh(), kFirst);
}

}  // namespace
}  // namespace logtail
