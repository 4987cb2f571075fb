// The open-file budget: a live file read to its end is closed when idle for idle_close, or
// sooner when the budget is reached (least recently active first), keeping its identity and
// offset; it is opened again when a file event or the poll sees it change. A file that finds
// no room, or that cannot be opened for want of file descriptors (EMFILE), waits in a queue
// and is opened as others are closed: it is never dropped.
#include <sys/resource.h>

#include <algorithm>

#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/file_ops.h"
#include "siblings.h"

namespace logtail {

using detail::PathState;
using detail::Role;
using detail::Stream;

namespace {

// Below this a budget leaves too little room to follow even a few rotating files.
constexpr std::size_t kMinOpenBudget = 16;

bool closable(const Stream& s) {
  return s.role == Role::live && s.at_eof && !s.paused && !s.finished && s.fd >= 0 && !s.gz;
}

}  // namespace

void Engine::Impl::init_open_budget() {
  if (options_.max_open_files > 0) {
    open_budget_ = options_.max_open_files;
    return;
  }
  // Half the soft limit: the other half is for the host, sinks, checkpoint writes, the
  // event loop, and the siblings opened for a moment while resuming or recovering.
  std::size_t soft = std::size_t{1} << 20;
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    soft = static_cast<std::size_t>(rl.rlim_cur);
  open_budget_ = std::max(soft / 2, kMinOpenBudget);
}

void Engine::Impl::attach_fd(Stream& s, int fd) {
  s.fd = fd;
  s.parked = false;
  s.last_active = std::chrono::steady_clock::now();
  if (fd >= 0) open_streams_.insert(s.id);
}

bool Engine::Impl::make_room() {
  while (open_streams_.size() >= open_budget_) {
    Stream* oldest = nullptr;
    for (std::uint64_t id : open_streams_) {
      auto it = streams_.find(id);
      if (it == streams_.end() || !closable(*it->second)) continue;
      if (oldest == nullptr || it->second->last_active < oldest->last_active)
        oldest = it->second.get();
    }
    if (oldest == nullptr) return false;
    park(*oldest);
  }
  return true;
}

void Engine::Impl::park(Stream& s) {
  auto info = detail::stat_fd(s.fd, s.file_path);
  s.parked_mtime_ns = info.ok() ? info->mtime_ns : 0;
  close_stream_files(s);
  s.parked = true;
}

void Engine::Impl::wait_for_fd(PathState& p, const Status* error) {
  if (error != nullptr) {
    // The budget was more than the process may open: from now on it is three quarters of
    // what is open, so idle files are closed to make room instead of every open failing, and
    // descriptors are left for checkpoint writes and the event loop.
    open_budget_ = std::max(open_streams_.size() * 3 / 4, kMinOpenBudget);
    if (!fd_wait_reported_) {
      fd_wait_reported_ = true;
      diag(DiagnosticKind::io_error, Severity::warning, p.path,
           fmt::format("{}; it waits, with any other file that cannot be opened now, and each "
                       "is opened as idle files are closed; at most {} files are held open "
                       "from now on (raise the open-file limit, ulimit -n, or lower "
                       "max_open_files / --max-open-files)",
                       error->message(), open_budget_));
    }
  }
  if (p.waiting_fd) return;
  p.waiting_fd = true;
  fd_waiting_.push_back(p.path);
}

void Engine::Impl::open_waiting() {
  while (!fd_waiting_.empty() && state_ == State::running) {
    if (!make_room()) return;
    auto it = paths_.find(fd_waiting_.front());
    fd_waiting_.pop_front();
    if (it == paths_.end()) continue;
    PathState& p = *it->second;
    p.waiting_fd = false;
    if (p.live != nullptr) {
      if (p.live->parked) unpark(*p.live);
    } else if (!p.resume_entries.empty()) {
      std::vector<CheckpointEntry> entries;
      entries.swap(p.resume_entries);
      resume_path(p, entries);
    } else {
      (void)open_live(p, p.open_at_start);
    }
    // Out of descriptors again: it is back in the queue; wait for files to be closed.
    if (p.waiting_fd) break;
  }
  if (fd_waiting_.empty()) fd_wait_reported_ = false;
  schedule();
}

void Engine::Impl::close_idle() {
  if (options_.idle_close.count() <= 0) return;
  const auto cutoff = std::chrono::steady_clock::now() - options_.idle_close;
  std::vector<Stream*> idle;
  for (std::uint64_t id : open_streams_) {
    auto it = streams_.find(id);
    if (it != streams_.end() && closable(*it->second) && it->second->last_active <= cutoff)
      idle.push_back(it->second.get());
  }
  for (Stream* s : idle) park(*s);
}

bool Engine::Impl::unpark_if_changed(Stream& s, const detail::FileInfo& at_path) {
  if (at_path.size == s.read_offset && at_path.mtime_ns == s.parked_mtime_ns) return false;
  if (!make_room()) {
    wait_for_fd(*s.owner, nullptr);
    return true;
  }
  unpark(s);
  return true;
}

void Engine::Impl::unpark(Stream& s) {
  PathState& p = *s.owner;
  auto fd = detail::open_for_read(p.path);
  if (!fd.ok()) {
    // Gone: the next look sees the rotation.
    if (fd.status().kind() == StatusKind::busy) wait_for_fd(p, &fd.status());
    return;
  }
  auto info = detail::stat_fd(*fd, p.path);
  if (!info.ok() || !detail::same_inode(s.identity, *info)) {
    // Replaced since the stat: the next look sees the rotation.
    detail::close_fd(*fd);
    return;
  }
  attach_fd(s, *fd);
  mark_dirty(s);
}

bool Engine::Impl::reopen_rotated(Stream& s) {
  PathState& p = *s.owner;
  auto listed = detail::list_directory(p.dir);
  if (!listed.ok()) return false;
  for (const Sibling& sib : rotated_siblings(p.base, *listed)) {
    if (sib.compressed) continue;
    const std::string path = detail::join_path(p.dir, sib.name);
    auto at = detail::stat_path(path);
    if (!at.ok() || !detail::same_inode(s.identity, *at)) continue;
    (void)make_room();  // a rotated file is drained even past the budget
    auto fd = detail::open_for_read(path);
    if (!fd.ok()) return false;
    auto info = detail::stat_fd(*fd, path);
    const bool same = info.ok() && detail::same_inode(s.identity, *info) &&
                      detail::same_start(*fd, s.identity);
    if (!same) {
      detail::close_fd(*fd);
      return false;
    }
    attach_fd(s, *fd);
    s.file_path = path;
    return true;
  }
  return false;
}

}  // namespace logtail
