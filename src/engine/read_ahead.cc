#include "engine/read_ahead.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace logtail::detail {

ReadAhead::~ReadAhead() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

ReadAhead::State ReadAhead::wait_idle_or_done(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [this] { return state_ != State::reading; });
  return state_;
}

bool ReadAhead::start(Key key, int fd, std::size_t size, std::size_t at, std::size_t length) {
  std::unique_lock lock(mu_);
  wait_idle_or_done(lock);
  state_ = State::idle;
  if (at + length > size) return false;
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return false;  // out of descriptors: the caller reads the chunk itself
  if (buffer_.size() != size) buffer_.resize(size);
  key_ = key;
  fd_ = copy;
  dest_ = buffer_.data() + at;
  length_ = length;
  state_ = State::reading;
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  lock.unlock();
  cv_.notify_all();
  return true;
}

std::optional<std::size_t> ReadAhead::take(Key key) {
  std::unique_lock lock(mu_);
  const State state = wait_idle_or_done(lock);
  state_ = State::idle;
  if (state != State::done || key_ != key || got_ <= 0) return std::nullopt;
  return static_cast<std::size_t>(got_);
}

void ReadAhead::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stopping_ || state_ == State::reading; });
    if (stopping_) return;
    const int fd = fd_;
    char* const dest = dest_;
    const std::size_t length = length_;
    const auto offset = static_cast<off_t>(key_.offset);
    lock.unlock();
    ssize_t n;
    do {
      n = ::pread(fd, dest, length, offset);
    } while (n < 0 && errno == EINTR);
    ::close(fd);
    lock.lock();
    fd_ = -1;
    got_ = n;  // an error is not kept: the engine's own read meets it again and reports it
    state_ = State::done;
    cv_.notify_all();
  }
}

}  // namespace logtail::detail
