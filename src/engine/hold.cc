// The bound on how long a deleted file that was not read to its end is held open with
// nothing read from it (EngineOptions::max_hold_deleted).
//
// Reading pauses while sinks do not acknowledge (back-pressure), and a rotated file is read
// to its end before the newer files of its path. A writer that rotates and deletes old files
// meanwhile would leave every deleted file open, its disk space pinned, for as long as the
// sinks are away. A rotated file that still has a name is not bounded: holding it costs an fd
// and no disk space, and reopening it later by name would not work (logrotate renames NAME.1
// to NAME.2 and compresses it).
#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/file_ops.h"

namespace logtail {

using detail::Role;
using detail::Stream;

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  return fmt::format("{:.3g} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace

void Engine::Impl::check_deleted_hold(Stream& s, std::chrono::steady_clock::time_point now) {
  if (s.role == Role::live || s.finished || s.fd < 0) return;
  auto info = detail::stat_fd(s.fd, s.file_path);
  if (!info.ok()) return;
  const std::uint64_t unread = info->size > s.read_offset ? info->size - s.read_offset : 0;
  if (info->links > 0 || (unread == 0 && s.carry.empty())) {
    s.deleted_since = {};
    return;
  }
  // A file still being read is not given up: only one that makes no progress is (a deleted
  // backlog of gigabytes may take longer than the bound to read at full speed).
  if (s.deleted_since == std::chrono::steady_clock::time_point{} ||
      s.deleted_offset != s.read_offset) {
    s.deleted_since = now;
    s.deleted_offset = s.read_offset;
  }
  // In milliseconds: the bound may be as large as a duration can be written.
  if (std::chrono::duration_cast<std::chrono::milliseconds>(now - s.deleted_since) <
      options_.max_hold_deleted)
    return;
  if (unread == 0) {
    // Everything was read; only a last line without its newline is left. Nothing is lost.
    finish_stream(s);
    return;
  }
  // The partial line before the unread bytes would be torn if delivered: it is lost too.
  const std::uint64_t lost = unread + s.carry.size();
  const std::uint64_t from = s.read_offset - s.carry.size();
  s.carry.clear();
  counters_.hold_expired.fetch_add(1, std::memory_order_relaxed);
  counters_.unread_bytes_lost.fetch_add(lost, std::memory_order_relaxed);
  const std::string& path = s.owner ? s.owner->path : s.file_path;
  diag(DiagnosticKind::hold_expired, Severity::error, path,
       fmt::format("a rotated file of {} (inode {}) was deleted with {} bytes from offset {} "
                   "not yet read; kept open {} with nothing read while sinks did not take "
                   "lines, then closed to free its disk space: those bytes are lost (raise "
                   "max_hold_deleted / --hold-deleted to wait longer)",
                   path, s.identity.inode, lost, from, seconds_text(options_.max_hold_deleted)));
  close_finished(s);
}

}  // namespace logtail
