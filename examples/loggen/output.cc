#include "output.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>

namespace loggen {
namespace {

int open_append(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

}  // namespace

std::unique_ptr<Output> Output::open(const std::string& path, int keep, std::string& error) {
  if (path == "-") return std::unique_ptr<Output>(new Output(path, STDOUT_FILENO, keep));
  const int fd = open_append(path);
  if (fd < 0) {
    error = fmt::format("cannot open '{}' for appending: {}; check the directory exists and "
                        "is writable", path, std::strerror(errno));
    return nullptr;
  }
  return std::unique_ptr<Output>(new Output(path, fd, keep));
}

Output::~Output() {
  if (fd_ != STDOUT_FILENO) ::close(fd_);
}

char* Output::tail(std::size_t n) {
  if (buffer_.size() < used_ + n) buffer_.resize(std::max(used_ + n, buffer_.size() * 2));
  return buffer_.data() + used_;
}

Output::Result Output::flush(std::string& error) {
  std::size_t done = 0;
  while (done < used_) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, used_ - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) return Result::closed;
      error = fmt::format("cannot write to '{}': {}", path_, std::strerror(errno));
      return Result::error;
    }
    done += static_cast<std::size_t>(n);
  }
  used_ = 0;
  return Result::ok;
}

Output::Result Output::rotate(std::string& error) {
  if (auto r = flush(error); r != Result::ok) return r;
  // Oldest first, so each rename lands on a name that was just freed; renaming over
  // FILE.keep_ discards the oldest.
  for (int i = keep_ - 1; i >= 0; --i) {
    const std::string from = i == 0 ? path_ : fmt::format("{}.{}", path_, i);
    const std::string to = fmt::format("{}.{}", path_, i + 1);
    if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
      error = fmt::format("cannot rotate '{}' to '{}': {}", from, to, std::strerror(errno));
      return Result::error;
    }
  }
  const int fd = open_append(path_);
  if (fd < 0) {
    error = fmt::format("cannot create '{}' after rotating it: {}", path_, std::strerror(errno));
    return Result::error;
  }
  ::close(fd_);
  fd_ = fd;
  return Result::ok;
}

}  // namespace loggen
