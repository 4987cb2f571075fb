#include "support/fake_fs.h"

#include <cstring>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace logtail::test {

namespace {

// Worded like the real file system's errors, so messages can be checked the same way.
Status injected(int err, std::string_view action, const std::filesystem::path& path) {
  return Status(StatusKind::io_error,
                fmt::format("cannot {} {}: {}", action, path.string(), std::strerror(err)));
}

}  // namespace

class FakeFs::File final : public platform::WritableFile {
 public:
  File(FakeFs& fs, std::unique_ptr<platform::WritableFile> real, std::filesystem::path path,
       int id)
      : fs_(fs), real_(std::move(real)), path_(std::move(path)), id_(id) {}

  Status append(std::string_view bytes) override {
    if (fs_.write_error_ != 0) {
      // A disk that fills up mid-write takes part of the bytes before it fails.
      Status partial = write_through(bytes.substr(0, bytes.size() / 2));
      if (!partial.ok()) return partial;
      return injected(fs_.write_error_, "write", path_);
    }
    return write_through(bytes);
  }

  Status sync() override {
    if (fs_.sync_error_ != 0) return injected(fs_.sync_error_, "fsync", path_);
    Status s = real_->sync();
    if (!s.ok()) return s;
    ++fs_.syncs_;
    if (auto it = fs_.tracked_.find(id_); it != fs_.tracked_.end()) {
      it->second.synced = it->second.written;
    }
    return {};
  }

  Status close() override { return real_->close(); }

 private:
  Status write_through(std::string_view bytes) {
    Status s = real_->append(bytes);
    if (auto it = fs_.tracked_.find(id_); s.ok() && it != fs_.tracked_.end()) {
      it->second.written += bytes.size();
    }
    return s;
  }

  FakeFs& fs_;
  std::unique_ptr<platform::WritableFile> real_;
  std::filesystem::path path_;
  int id_;
};

void FakeFs::drop_unsynced_writes() {
  for (const auto& [id, tracked] : tracked_) {
    std::error_code ec;
    if (tracked.synced < tracked.written && std::filesystem::exists(tracked.path, ec)) {
      std::filesystem::resize_file(tracked.path, tracked.synced, ec);
    }
  }
  tracked_.clear();
}

Result<std::string> FakeFs::read_file(const std::filesystem::path& path) {
  return real_.read_file(path);
}

Result<std::unique_ptr<platform::WritableFile>> FakeFs::create_file(
    const std::filesystem::path& path) {
  auto real = real_.create_file(path);
  if (!real.ok()) return real.status();
  // Creating truncates, so an earlier file at this path has no bytes left to drop.
  std::erase_if(tracked_, [&](const auto& item) { return item.second.path == path; });
  const int id = next_id_++;
  tracked_[id] = Tracked{path, 0, 0};
  return std::unique_ptr<platform::WritableFile>(
      std::make_unique<File>(*this, std::move(real).value(), path, id));
}

Status FakeFs::sync_dir(const std::filesystem::path& dir) {
  if (dir_sync_error_ != 0) return injected(dir_sync_error_, "fsync directory", dir);
  Status s = real_.sync_dir(dir);
  if (s.ok()) ++dir_syncs_;
  return s;
}

Status FakeFs::rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (rename_error_ != 0) {
    return Status(StatusKind::io_error,
                  fmt::format("cannot rename {} to {}: {}", from.string(), to.string(),
                              std::strerror(rename_error_)));
  }
  Status s = real_.rename(from, to);
  if (!s.ok()) return s;
  ++renames_;
  // The file that was at `to` is gone; the one at `from` now lives there.
  std::erase_if(tracked_, [&](const auto& item) { return item.second.path == to; });
  for (auto& [id, tracked] : tracked_) {
    if (tracked.path == from) tracked.path = to;
  }
  return {};
}

Status FakeFs::remove(const std::filesystem::path& path) {
  Status s = real_.remove(path);
  if (s.ok()) std::erase_if(tracked_, [&](const auto& item) { return item.second.path == path; });
  return s;
}

Status FakeFs::create_directories(const std::filesystem::path& dir) {
  return real_.create_directories(dir);
}

Result<bool> FakeFs::exists(const std::filesystem::path& path) { return real_.exists(path); }

Result<std::unique_ptr<platform::FileLock>> FakeFs::lock_file(const std::filesystem::path& path) {
  return real_.lock_file(path);
}

}  // namespace logtail::test
