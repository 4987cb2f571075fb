#include "engine/file_ops.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "errno_status.h"
#include "fingerprint.h"

namespace logtail::detail {
namespace {

// Out of file descriptors is busy: the file is there, and can be opened later.
Status errno_status(int err, std::string_view what, const std::string& path) {
  const StatusKind kind =
      err == EMFILE || err == ENFILE ? StatusKind::busy : status_kind_of_errno(err);
  return Status(kind, fmt::format("cannot {} {}: {}", what, path, errno_text(err)));
}

FileInfo to_info(const struct stat& st) {
  FileInfo info;
  info.device = static_cast<std::uint64_t>(st.st_dev);
  info.inode = static_cast<std::uint64_t>(st.st_ino);
  info.size = static_cast<std::uint64_t>(st.st_size);
  info.links = static_cast<std::uint64_t>(st.st_nlink);
  info.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  info.regular = S_ISREG(st.st_mode);
  return info;
}

}  // namespace

Result<FileInfo> stat_path(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno_status(errno, "stat", path);
  return to_info(st);
}

Result<FileInfo> stat_fd(int fd, const std::string& path_for_errors) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return errno_status(errno, "stat", path_for_errors);
  return to_info(st);
}

Result<int> open_for_read(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno_status(errno, "open", path);
  return fd;
}

void close_fd(int fd) {
  if (fd >= 0) ::close(fd);
}

Result<std::string> read_at(int fd, std::uint64_t offset, std::size_t size,
                            const std::string& path_for_errors) {
  std::string out(size, '\0');
  std::size_t got = 0;
  while (got < size) {
    ssize_t n = ::pread(fd, out.data() + got, size - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status(errno, "read", path_for_errors);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

Result<FileIdentity> identify(int fd, const FileInfo& info, const std::string& path) {
  FileIdentity id;
  id.device = info.device;
  id.inode = info.inode;
  const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(info.size, kFingerprintMax));
  auto prefix = read_at(fd, 0, want, path);
  if (!prefix.ok()) return prefix.status();
  id.fingerprint_size = static_cast<std::uint32_t>(prefix->size());
  id.fingerprint = fingerprint_hash(*prefix);
  return id;
}

std::optional<std::uint64_t> prefix_hash(int fd, std::uint32_t n) {
  auto prefix = read_at(fd, 0, n, "");
  if (!prefix.ok() || prefix->size() != n) return std::nullopt;
  return fingerprint_hash(*prefix);
}

bool same_inode(const FileIdentity& id, const FileInfo& info) {
  return id.device == info.device && id.inode == info.inode;
}

bool same_start(int fd, const FileIdentity& id) {
  return id.fingerprint_size == 0 || prefix_hash(fd, id.fingerprint_size) == id.fingerprint;
}

std::string join_path(const std::string& dir, std::string_view name) {
  if (dir == ".") return std::string(name);
  std::string path;
  path.reserve(dir.size() + 1 + name.size());
  path.append(dir);
  if (path.empty() || path.back() != '/') path.push_back('/');
  path.append(name);
  return path;
}

Result<std::vector<std::string>> list_directory(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return errno_status(errno, "list directory", dir);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  ::closedir(d);
  return names;
}

}  // namespace logtail::detail
