#include "checkpoint_store.h"

#include <charconv>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "checkpoint_codec.h"

namespace logtail {

namespace {

constexpr std::string_view kCheckpointFile = "checkpoints";
constexpr std::string_view kLockFile = "lock";
// Resets within one second get a counter suffix; this many is certainly a loop gone wrong.
constexpr int kMaxResetSuffix = 1000;

// A path in a one-line message: control bytes (a newline in a file name) shown as '?'.
std::string printable(std::string_view path) {
  std::string out(path);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

// A held lock reported in terms of what the user runs, with the holder's pid when the lock
// file has it.
Status in_use(const std::filesystem::path& dir, platform::Fs& fs) {
  std::string holder;
  if (auto content = fs.read_file(dir / kLockFile); content.ok()) {
    std::string_view text = *content;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    long pid = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
    if (ec == std::errc() && end == text.data() + text.size() && pid > 0) {
      holder = fmt::format(" (pid {})", pid);
    }
  }
  return Status(StatusKind::busy,
                fmt::format("state directory {} is in use by another logtail{}; stop it or "
                            "give this one another state directory",
                            dir.string(), holder));
}

Result<std::unique_ptr<platform::FileLock>> lock_state_dir(const std::filesystem::path& dir,
                                                           platform::Fs& fs) {
  auto lock = fs.lock_file(dir / kLockFile);
  if (!lock.ok() && lock.status().kind() == StatusKind::busy) return in_use(dir, fs);
  return lock;
}

class FileCheckpointStore final : public CheckpointStore {
 public:
  FileCheckpointStore(std::filesystem::path dir, platform::Fs& fs,
                      std::unique_ptr<platform::FileLock> lock)
      : dir_(std::move(dir)), fs_(fs), lock_(std::move(lock)) {}

  Result<std::vector<CheckpointEntry>> load() override {
    const std::filesystem::path file = dir_ / kCheckpointFile;
    auto bytes = fs_.read_file(file);
    if (!bytes.ok()) {
      if (bytes.status().kind() == StatusKind::not_found) return std::vector<CheckpointEntry>{};
      return bytes.status();
    }
    // A file that does not decode is left exactly as it is: it is the evidence, and the
    // user decides (--reset-state) whether to throw the offsets away.
    return decode_checkpoints(*bytes, file.string());
  }

  Status save(const std::vector<CheckpointEntry>& entries) override {
    // The codec would write a duplicate faithfully and then refuse to read the file back;
    // refusing here keeps the stored set loadable.
    std::set<std::pair<std::string_view, std::uint64_t>> seen;
    for (const CheckpointEntry& e : entries) {
      if (!seen.emplace(e.path, e.generation).second) {
        return Status(StatusKind::invalid_argument,
                      fmt::format("cannot save checkpoints to {}: two entries for path {} "
                                  "generation {}; each (path, generation) must be unique",
                                  (dir_ / kCheckpointFile).string(), printable(e.path),
                                  e.generation));
      }
    }
    return fs_.write_file_atomically(dir_, kCheckpointFile, encode_checkpoints(entries));
  }

 private:
  std::filesystem::path dir_;
  platform::Fs& fs_;
  std::unique_ptr<platform::FileLock> lock_;  // held for the store's lifetime
};

// 20261122T101500Z: sorts by time, and has no characters a shell or file system minds.
std::string utc_stamp(std::chrono::system_clock::time_point now) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(now);
  const auto day = floor<days>(secs);
  const year_month_day date{day};
  const hh_mm_ss time{secs - day};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

}  // namespace

Result<std::unique_ptr<CheckpointStore>> open_file_checkpoint_store(
    const std::filesystem::path& dir, platform::Fs& fs) {
  if (Status s = fs.create_directories(dir); !s.ok()) return s;
  auto lock = lock_state_dir(dir, fs);
  if (!lock.ok()) return lock.status();
  return std::unique_ptr<CheckpointStore>(
      std::make_unique<FileCheckpointStore>(dir, fs, std::move(lock).value()));
}

Result<std::unique_ptr<CheckpointStore>> open_file_checkpoint_store(
    const std::filesystem::path& dir) {
  return open_file_checkpoint_store(dir, platform::posix_fs());
}

Status reset_checkpoint_state(const std::filesystem::path& dir, platform::Fs& fs,
                              std::chrono::system_clock::time_point now) {
  const std::filesystem::path file = dir / kCheckpointFile;
  auto dir_exists = fs.exists(dir);
  if (!dir_exists.ok()) return dir_exists.status();
  if (!*dir_exists) return {};
  // Moving the file from under a running logtail would be undone by its next save.
  auto lock = lock_state_dir(dir, fs);
  if (!lock.ok()) return lock.status();
  auto file_exists = fs.exists(file);
  if (!file_exists.ok()) return file_exists.status();
  if (!*file_exists) return {};

  const std::string stem = fmt::format("{}.reset-{}", kCheckpointFile, utc_stamp(now));
  for (int n = 0; n <= kMaxResetSuffix; ++n) {
    const std::filesystem::path target = dir / (n == 0 ? stem : fmt::format("{}-{}", stem, n));
    auto taken = fs.exists(target);
    if (!taken.ok()) return taken.status();
    if (*taken) continue;
    if (Status s = fs.rename(file, target); !s.ok()) return s;
    return fs.sync_dir(dir);
  }
  return Status(StatusKind::already_exists,
                fmt::format("cannot move {} aside: {} and {} numbered variants already exist; "
                            "remove old {}.reset-* files",
                            file.string(), stem, kMaxResetSuffix, kCheckpointFile));
}

Status reset_checkpoint_state(const std::filesystem::path& dir) {
  return reset_checkpoint_state(dir, platform::posix_fs(), std::chrono::system_clock::now());
}

}  // namespace logtail
