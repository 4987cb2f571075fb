// FakeFs: a platform::Fs over the real file system that fails chosen calls with a chosen
// errno, and can simulate a power loss by cutting every file it wrote back to what was last
// fsynced. Used to test what the checkpoint store leaves behind when writing goes wrong.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "platform/fs.h"

namespace logtail::test {

class FakeFs final : public platform::Fs {
 public:
  // Calls that are not failed go to `real`, which must outlive this.
  explicit FakeFs(platform::Fs& real = platform::posix_fs()) : real_(real) {}

  // Each makes every later call of that kind fail with `err` (0 stops failing). A failing
  // write first writes half of its bytes, as a write that runs out of space does.
  void fail_writes(int err) { write_error_ = err; }
  void fail_syncs(int err) { sync_error_ = err; }
  void fail_renames(int err) { rename_error_ = err; }
  void fail_dir_syncs(int err) { dir_sync_error_ = err; }
  void clear_failures() { write_error_ = sync_error_ = rename_error_ = dir_sync_error_ = 0; }

  // Simulates a crash: every file created through this fake is cut back to the size it had
  // at its last successful sync (0 if never synced), following renames. Renames themselves
  // are kept, as if the directory had been synced.
  void drop_unsynced_writes();

  // How many calls of each kind succeeded.
  int syncs() const { return syncs_; }
  int dir_syncs() const { return dir_syncs_; }
  int renames() const { return renames_; }

  Result<std::string> read_file(const std::filesystem::path& path) override;
  Result<std::unique_ptr<platform::WritableFile>> create_file(
      const std::filesystem::path& path) override;
  Status sync_dir(const std::filesystem::path& dir) override;
  Status rename(const std::filesystem::path& from, const std::filesystem::path& to) override;
  Status remove(const std::filesystem::path& path) override;
  Status create_directories(const std::filesystem::path& dir) override;
  Result<bool> exists(const std::filesystem::path& path) override;
  Result<std::unique_ptr<platform::FileLock>> lock_file(
      const std::filesystem::path& path) override;

 private:
  class File;
  struct Tracked {
    std::filesystem::path path;  // where the file is now
    std::uint64_t written = 0;
    std::uint64_t synced = 0;
  };

  platform::Fs& real_;
  int write_error_ = 0;
  int sync_error_ = 0;
  int rename_error_ = 0;
  int dir_sync_error_ = 0;
  int syncs_ = 0;
  int dir_syncs_ = 0;
  int renames_ = 0;
  // Files written through this fake, by the id their File holds (a path can change).
  std::map<int, Tracked> tracked_;
  int next_id_ = 0;
};

}  // namespace logtail::test
