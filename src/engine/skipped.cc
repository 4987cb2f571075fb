// Rotations seen late. With fast rotation a file can be renamed twice before the engine
// looks (app.log -> app.log.1 -> app.log.2), and file events can be lost (inotify's queue
// overflows; libuv drops the overflow notice), so the engine may see app.log change from file
// A to file C and never have opened B, now app.log.1. After every rotation it sees, the
// path's rotated siblings are listed: those newer than the oldest file this run has read or
// is reading, and that are neither, were rotated in and out unseen. They are opened and
// drained from their beginning, oldest first, before the path's newer files, as start-up
// does with the siblings rotated in while the engine was stopped.
//
// Only uncompressed siblings are looked at: a compressed one was rotated long enough ago to
// be compressed, which a generation skipped between two looks is not.
#include <algorithm>
#include <iterator>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/file_ops.h"
#include "fingerprint.h"
#include "siblings.h"

namespace logtail {

using detail::PathState;
using detail::Role;
using detail::Stream;

namespace {

// Files read to their end remembered per path: far more than a directory keeps rotated
// generations of one log.
constexpr std::size_t kHistory = 64;

// N when `name` is `base`.N (a numbered generation, uncompressed), else nullopt.
std::optional<std::size_t> generation_number(std::string_view base, std::string_view name) {
  if (name.size() <= base.size() + 1 || name.substr(0, base.size()) != base ||
      name[base.size()] != '.')
    return std::nullopt;
  const std::string_view digits = name.substr(base.size() + 1);
  if (digits.front() == '0') return std::nullopt;  // NAME.0, NAME.01: taken as listed
  std::size_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9' || n > 1'000'000) return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

// The stream of `p` (live, rotated or backlog) reading the file `info`, or nullptr.
const Stream* stream_of(const PathState& p, const detail::FileInfo& info) {
  if (p.live != nullptr && detail::same_inode(p.live->identity, info)) return p.live;
  for (const Stream* s : p.rotated)
    if (detail::same_inode(s->identity, info)) return s;
  for (const Stream* s : p.backlog)
    if (detail::same_inode(s->identity, info)) return s;
  return nullptr;
}

// True when `path` (found as `info`, open as `fd` if that is not -1) holds a file of `p` read
// earlier in this run. The inode of a closed file can be handed to a new one, so its first
// bytes must match too.
bool read_before(const PathState& p, const std::string& path, const detail::FileInfo& info,
                 int fd = -1) {
  for (const FileIdentity& id : p.history) {
    if (!detail::same_inode(id, info)) continue;
    // Empty when it was closed: nothing of a file with content now was read.
    if (id.fingerprint_size == 0) return info.size == 0;
    if (fd >= 0) return detail::same_start(fd, id);
    auto opened = detail::open_for_read(path);
    // Out of descriptors: not known, so the caller looks closer (the full search copes).
    if (!opened.ok()) return opened.status().kind() != StatusKind::busy;
    const bool same = detail::same_start(*opened, id);
    detail::close_fd(*opened);
    return same;
  }
  return false;
}

}  // namespace

void Engine::Impl::remember_read(Stream& s) {
  if (s.owner == nullptr || (s.identity.device == 0 && s.identity.inode == 0)) return;
  // A file opened empty (most new files are) has no fingerprint yet; its inode is handed to
  // a new file once it is closed and deleted, which only the fingerprint tells apart.
  FileIdentity id = s.identity;
  if (s.fd >= 0 && id.fingerprint_size < kFingerprintMax) {
    if (auto info = detail::stat_fd(s.fd, s.file_path); info.ok()) {
      if (auto full = detail::identify(s.fd, *info, s.file_path); full.ok()) id = *full;
    }
  }
  auto& history = s.owner->history;
  history.push_back(id);
  if (history.size() > kHistory) history.pop_front();
}

void Engine::Impl::postpone_recovery(PathState& p, const Status& error, bool report) {
  if (!p.recover_pending) recover_waiting_.push_back(p.path);
  p.recover_pending = true;
  if (!report) return;  // said when the search was first cut short
  diag(DiagnosticKind::io_error, Severity::warning, p.path,
       fmt::format("{} while looking for rotated files of {} that were skipped; looking again "
                   "once files have been read and closed, and reading {} after that (raise "
                   "the open-file limit, ulimit -n)",
                   error.message(), p.path, p.path));
}

void Engine::Impl::retry_recovery() {
  if (recover_waiting_.empty()) return;
  std::vector<std::string> waiting;
  waiting.swap(recover_waiting_);
  for (const std::string& path : waiting) {
    auto it = paths_.find(path);
    if (it == paths_.end() || !it->second->recover_pending) continue;
    PathState& p = *it->second;
    recover_skipped(p);
    if (!p.recover_pending && p.live != nullptr) mark_dirty(*p.live);
  }
}

void Engine::Impl::recover_skipped(PathState& p) {
  // The common case costs two stats: the newest file rotated away is NAME.1, so nothing was
  // rotated in after it, and NAME.2 was read too (or is not there), so nothing was skipped
  // just before it either: a generation rotated in and out while the engine opened the
  // next one as the live file lies between two files it read. Listing the directory each
  // time would contend with the writers' renames for the directory's lock, which with many
  // files rotating fast takes longer than the rotations themselves.
  const FileIdentity* newest = !p.rotated.empty()   ? &p.rotated.back()->identity
                               : !p.history.empty() ? &p.history.back()
                                                    : nullptr;
  // A search cut short looks at every sibling again: the skipped files may be anywhere.
  const bool retry = std::exchange(p.recover_pending, false);
  if (newest != nullptr && !retry) {
    auto first = detail::stat_path(p.path + ".1");
    if (first.ok() && detail::same_inode(*newest, *first)) {
      const std::string second_path = p.path + ".2";
      auto second = detail::stat_path(second_path);
      if (!second.ok() || stream_of(p, *second) != nullptr ||
          read_before(p, second_path, *second))
        return;
    }
  }
  auto listed = detail::list_directory(p.dir);
  if (!listed.ok()) return;
  const std::vector<Sibling> siblings = rotated_siblings(p.base, *listed);
  // A writer rotating meanwhile renames each file one name older (NAME.1 -> NAME.2). The
  // siblings are opened newest first, so a file renamed under the walk is met again further
  // on, never passed by: each is seen at least once, the newest first, and duplicates are
  // told by their (device, inode). Each is opened as it is seen, so what is read is what was
  // found.
  struct Found {
    std::string path;
    detail::FileInfo info;
    bool known = false;
    bool let_go = false;  // not known, but closed for want of descriptors: read later
    int fd = -1;
  };
  std::vector<Found> seen;  // newest first
  std::optional<Status> short_of_fds;
  // Opens the sibling `name` and adds it to `seen`: false when it is not there. Out of
  // descriptors (many generations skipped at once, each held open until it is read), passing
  // a file by would lose it: the newest file held is let go instead, as older files are read
  // first; it is found again when the search runs again, once files have been read and
  // closed, and the live file waits for that. Only when none is held to let go does the
  // search stop (`stopped`).
  bool stopped = false;
  auto visit = [&](const std::string& name) -> bool {
    Found f;
    f.path = detail::join_path(p.dir, name);
    auto fd = detail::open_for_read(f.path);
    while (!fd.ok() && fd.status().kind() == StatusKind::busy) {
      short_of_fds = fd.status();
      auto held = std::find_if(seen.begin(), seen.end(), [](const Found& o) { return o.fd >= 0; });
      if (held == seen.end()) {
        stopped = true;
        return false;
      }
      detail::close_fd(std::exchange(held->fd, -1));
      held->let_go = true;
      fd = detail::open_for_read(f.path);
    }
    if (!fd.ok()) return false;  // renamed or deleted since the listing: met again, or gone
    auto info = detail::stat_fd(*fd, f.path);
    const bool dup = info.ok() && std::any_of(seen.begin(), seen.end(), [&](const Found& o) {
                       return o.info.device == info->device && o.info.inode == info->inode;
                     });
    if (!info.ok() || !info->regular || dup) {
      detail::close_fd(*fd);
      return true;
    }
    f.info = *info;
    f.known = stream_of(p, f.info) != nullptr || read_before(p, f.path, f.info, *fd);
    if (f.known) {
      detail::close_fd(*fd);
    } else {
      f.fd = *fd;
    }
    seen.push_back(std::move(f));
    return true;
  };
  // Numbered generations (NAME.1, NAME.2, ...) are opened by name, every number up to the
  // highest listed and on while they exist, rather than only as listed: a listing taken while
  // files are renamed in the directory may leave a name out (readdir gives no promise then;
  // it was seen to happen on ext4 with fifty writers rotating), and a rotation during the walk
  // moves the oldest file past the last name listed.
  std::size_t highest = 0;
  for (const Sibling& sib : siblings) {
    if (sib.compressed) continue;
    if (auto n = generation_number(p.base, sib.name)) highest = std::max(highest, *n);
  }
  for (std::size_t n = 1; !stopped; ++n) {
    const bool there = visit(p.base + "." + std::to_string(n));
    if (!there && n >= highest) break;
  }
  for (auto sib = siblings.rbegin(); sib != siblings.rend() && !stopped; ++sib) {
    if (!sib->compressed && !generation_number(p.base, sib->name)) (void)visit(sib->name);
  }
  if (stopped) {
    for (Found& o : seen)
      if (o.fd >= 0) detail::close_fd(o.fd);
    postpone_recovery(p, *short_of_fds, !retry);
    return;
  }
  std::vector<Found> found(std::make_move_iterator(seen.rbegin()),
                           std::make_move_iterator(seen.rend()));  // oldest first
  auto close_all = [&] {
    for (Found& f : found)
      if (f.fd >= 0) detail::close_fd(std::exchange(f.fd, -1));
  };
  auto first_known = std::find_if(found.begin(), found.end(), [](const Found& f) { return f.known; });
  if (first_known == found.end()) {
    close_all();  // nothing this run read is among them: they are older
    return;
  }
  const auto oldest_known = static_cast<std::size_t>(first_known - found.begin());
  for (std::size_t i = 0; i < oldest_known; ++i)
    if (found[i].fd >= 0) detail::close_fd(std::exchange(found[i].fd, -1));

  // Where each rotated stream is among the siblings, so a skipped file goes before the
  // newer ones (a stream no longer among them was removed: it is older than all of them).
  auto index_of = [&](const Stream* s) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < found.size(); ++i)
      if (detail::same_inode(s->identity, found[i].info)) return i;
    return std::nullopt;
  };
  // The live file may itself have been rotated since it was opened: the files newer than it
  // are read after it, once that rotation is seen (and this runs again).
  std::size_t until = found.size();
  for (std::size_t i = 0; i < found.size(); ++i)
    if (p.live != nullptr && detail::same_inode(p.live->identity, found[i].info)) until = i;
  for (std::size_t i = until; i < found.size(); ++i)
    if (found[i].fd >= 0) detail::close_fd(std::exchange(found[i].fd, -1));
  if (short_of_fds) postpone_recovery(p, *short_of_fds, !retry);
  for (std::size_t i = oldest_known + 1; i < until; ++i) {
    if (found[i].known || found[i].let_go) continue;
    Found& f = found[i];
    (void)make_room();  // a rotated file is drained even past the budget
    const int fd = std::exchange(f.fd, -1);
    auto id = detail::identify(fd, f.info, f.path);
    if (!id.ok()) {
      detail::close_fd(fd);
      continue;
    }
    Stream& s = new_stream(p, Role::rotated, f.path);
    attach_fd(s, fd);
    s.identity = *id;
    s.grace_deadline = std::chrono::steady_clock::now() + options_.rotate_grace;
    auto at = std::find_if(p.rotated.begin(), p.rotated.end(), [&](const Stream* r) {
      auto j = index_of(r);
      return j && *j > i;
    });
    p.rotated.insert(at, &s);
    counters_.rotations.fetch_add(1, std::memory_order_relaxed);
    diag(DiagnosticKind::rotation, Severity::warning, p.path,
         fmt::format("{} was rotated in and out before logtail looked (a fast rotation, or file "
                     "events lost); reading it from its beginning before the newer files",
                     f.path));
    checkpoint_dirty();
    mark_dirty(s);
  }
}

}  // namespace logtail
