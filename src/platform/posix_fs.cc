#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "errno_status.h"
#include "platform/fs.h"

namespace logtail::platform {

namespace {

Status errno_status(int err, std::string_view action, const std::filesystem::path& path) {
  return Status(status_kind_of_errno(err), fmt::format("cannot {} {}: {}", action, path.string(),
                                          errno_text(err)));
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status append(std::string_view bytes) override {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status(errno, "write", path_);
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  }

  Status sync() override {
    if (::fsync(fd_) != 0) return errno_status(errno, "fsync", path_);
    return {};
  }

  Status close() override {
    const int fd = std::exchange(fd_, -1);
    // close(2) must not be retried on EINTR on Linux: the descriptor is already gone.
    if (fd >= 0 && ::close(fd) != 0 && errno != EINTR) return errno_status(errno, "close", path_);
    return {};
  }

 private:
  int fd_;
  std::filesystem::path path_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  // Closing the only descriptor of the open file description releases the flock.
  ~PosixFileLock() override { ::close(fd_); }

 private:
  int fd_;
};

class PosixFs final : public Fs {
 public:
  Result<std::string> read_file(const std::filesystem::path& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno_status(errno, "open", path);
    std::string content;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      content.reserve(static_cast<std::size_t>(st.st_size));
    }
    char buffer[64 * 1024];
    for (;;) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd);
        return errno_status(err, "read", path);
      }
      content.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return content;
  }

  Result<std::unique_ptr<WritableFile>> create_file(const std::filesystem::path& path) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return errno_status(errno, "create", path);
    return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(fd, path));
  }

  Status sync_dir(const std::filesystem::path& dir) override {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno_status(errno, "open directory", dir);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return errno_status(err, "fsync directory", dir);
    return {};
  }

  Status rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      const int err = errno;
      return Status(status_kind_of_errno(err), fmt::format("cannot rename {} to {}: {}", from.string(),
                                              to.string(), errno_text(err)));
    }
    return {};
  }

  Status remove(const std::filesystem::path& path) override {
    if (::unlink(path.c_str()) != 0) return errno_status(errno, "remove", path);
    return {};
  }

  Status create_directories(const std::filesystem::path& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return errno_status(ec.value(), "create directory", dir);
    return {};
  }

  Result<bool> exists(const std::filesystem::path& path) override {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT) return false;
    return errno_status(errno, "stat", path);
  }

  Result<std::unique_ptr<FileLock>> lock_file(const std::filesystem::path& path) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno_status(errno, "open lock file", path);
    int rc;
    do {
      rc = ::flock(fd, LOCK_EX | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Status(StatusKind::busy,
                      fmt::format("lock file {} is held by another process", path.string()));
      }
      return errno_status(err, "lock", path);
    }
    // The pid only makes a "busy" message more helpful; failing to write it loses nothing,
    // so errors are ignored.
    const std::string pid = fmt::format("{}\n", ::getpid());
    if (::ftruncate(fd, 0) == 0) {
      [[maybe_unused]] const ssize_t n = ::pwrite(fd, pid.data(), pid.size(), 0);
    }
    return std::unique_ptr<FileLock>(std::make_unique<PosixFileLock>(fd));
  }
};

}  // namespace

Status Fs::write_file_atomically(const std::filesystem::path& dir, std::string_view name,
                                 std::string_view bytes) {
  const std::filesystem::path target = dir / name;
  // One fixed temp name: callers hold the directory's lock, and a temp file left by a crash
  // is simply truncated by the next write. The leading dot keeps it out of globs.
  const std::filesystem::path temp = dir / fmt::format(".{}.tmp", name);
  auto file = create_file(temp);
  if (!file.ok()) return file.status();

  Status status = (*file)->append(bytes);
  if (status.ok()) status = (*file)->sync();
  if (status.ok()) status = (*file)->close();
  file->reset();
  if (status.ok()) status = rename(temp, target);
  if (!status.ok()) {
    // Best effort: the failure being reported matters more than a leftover temp file.
    (void)remove(temp);
    return status;
  }
  return sync_dir(dir);
}

Fs& posix_fs() {
  static PosixFs fs;
  return fs;
}

}  // namespace logtail::platform
