// Watched patterns, discovering files, and resuming each path from its checkpoint entries.
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/file_ops.h"
#include "fingerprint.h"
#include "resume_plan.h"
#include "siblings.h"

namespace logtail {

using detail::PathState;
using detail::Role;
using detail::Stream;

namespace {

bool has_glob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

// Names a glob never takes: compressed rotations are archives, not logs to tail (the live
// file's start-up recovery reads them when it needs to).
bool compressed_name(std::string_view name) {
  for (std::string_view ext : {".gz", ".bz2", ".xz", ".zst", ".lz4", ".zip"})
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) return true;
  return false;
}

}  // namespace

Status Engine::Impl::add_pattern(std::string_view text, const SourceOptions& options) {
  if (state_ != State::configuring)
    return Status(StatusKind::failed_precondition,
                  fmt::format("watch(\"{}\") after start; add every path before starting", text));
  if (text.empty())
    return Status(StatusKind::invalid_argument, "an empty path was given to watch; name a file");
  std::filesystem::path p{std::string(text)};
  if (!p.has_filename())
    return Status(StatusKind::invalid_argument,
                  fmt::format("'{}' names a directory; watch files in it with '{}*'", text, text));
  detail::Pattern pat;
  pat.text = std::string(text);
  pat.name = p.filename().string();
  std::filesystem::path dir = p.parent_path();
  pat.dir = dir.empty() ? "." : dir.string();
  if (has_glob(pat.dir))
    return Status(StatusKind::invalid_argument,
                  fmt::format("'{}': wildcards are allowed only in the file name, not in the "
                              "directory part",
                              text));
  pat.glob = has_glob(pat.name);
  if (options.multiline) {
    auto joiner = MultilineJoiner::make(*options.multiline, options_.max_line_bytes);
    if (!joiner.ok())
      return Status(joiner.status().kind(), fmt::format("{}: {}", text, joiner.status().message()));
    pat.joiner = std::make_shared<const MultilineJoiner>(std::move(*joiner));
  }
  for (const auto& existing : patterns_)
    if (existing.dir == pat.dir && existing.name == pat.name)
      return Status(StatusKind::already_exists,
                    fmt::format("'{}' is watched already; name each path or glob once", text));
  patterns_.push_back(std::move(pat));
  return {};
}

PathState& Engine::Impl::ensure_path(const std::string& path, const detail::Pattern& pattern) {
  auto it = paths_.find(path);
  if (it != paths_.end()) return *it->second;
  auto p = std::make_unique<PathState>();
  p->path = path;
  p->joiner = pattern.joiner;
  std::filesystem::path fs{path};
  p->base = fs.filename().string();
  p->dir = fs.parent_path().empty() ? "." : fs.parent_path().string();
  PathState& ref = *p;
  paths_.emplace(path, std::move(p));
  return ref;
}

Status Engine::Impl::discover_at_start() {
  for (const auto& pat : patterns_) {
    if (!pat.glob) {
      ensure_path(detail::join_path(pat.dir, pat.name), pat);
      continue;
    }
    auto names = detail::list_directory(pat.dir);
    if (!names.ok()) {
      // The directory may come later; the poll and the parent's events will find it.
      if (names.status().kind() != StatusKind::not_found)
        diag(DiagnosticKind::io_error, Severity::error, pat.dir,
             fmt::format("{}; retrying at every poll", names.status().message()));
      continue;
    }
    std::sort(names->begin(), names->end());
    for (const auto& name : *names)
      if (!compressed_name(name) && ::fnmatch(pat.name.c_str(), name.c_str(), FNM_PERIOD) == 0)
        ensure_path(detail::join_path(pat.dir, name), pat);
  }
  // Checkpointed paths no pattern names any more are dropped with the next checkpoint.
  for (auto& [path, p] : paths_) {
    auto it = loaded_.find(path);
    if (it != loaded_.end() && !it->second.empty()) {
      if (make_room()) {
        resume_path(*p, it->second);
      } else {
        p->resume_entries = std::move(it->second);
        wait_for_fd(*p, nullptr);
      }
    } else {
      (void)open_live(*p, true);
    }
  }
  loaded_.clear();
  return {};
}

// A file that appeared after start: read from its beginning, unless it is a file already
// being read under another name (a rotation into a name the glob also matches).
void Engine::Impl::discover(detail::DirWatch& w, const std::string* only) {
  for (const auto& pat : patterns_) {
    if (pat.dir != w.dir) continue;
    std::vector<std::string> names;
    if (only) {
      names.push_back(*only);
    } else if (pat.glob) {
      auto listed = detail::list_directory(pat.dir);
      if (!listed.ok()) continue;
      names = std::move(*listed);
      std::sort(names.begin(), names.end());
    } else {
      names.push_back(pat.name);
    }
    for (const auto& name : names) {
      const bool match = pat.glob ? !compressed_name(name) &&
                                        ::fnmatch(pat.name.c_str(), name.c_str(), FNM_PERIOD) == 0
                                  : name == pat.name;
      if (!match) continue;
      PathState& p = ensure_path(detail::join_path(pat.dir, name), pat);
      if (p.live != nullptr) {
        mark_dirty(*p.live);
        continue;
      }
      if (p.waiting_fd) continue;  // opened in its turn (open_waiting)
      if (adopt_if_known(p)) continue;
      (void)open_live(p, false);
      // Rotated in and out again between two looks while the path had no file.
      if (!p.history.empty() || !p.rotated.empty()) recover_skipped(p);
    }
  }
  schedule();
}

// When the file now at p.path is one a stream already reads (renamed into a name that is
// also watched), that stream becomes p's live stream instead of reading the file twice.
bool Engine::Impl::adopt_if_known(PathState& p) {
  auto info = detail::stat_path(p.path);
  if (!info.ok()) return false;
  for (auto& [id, s] : streams_) {
    if (s->finished || s->identity.device != info->device || s->identity.inode != info->inode)
      continue;
    if (s->role == Role::live) return true;  // read under its own name already
    PathState* old = s->owner;
    if (old) {
      auto& b = old->backlog;
      b.erase(std::remove(b.begin(), b.end(), s.get()), b.end());
      auto& r = old->rotated;
      r.erase(std::remove(r.begin(), r.end(), s.get()), r.end());
    }
    s->role = Role::live;
    s->owner = &p;
    s->file_path = p.path;
    p.live = s.get();
    mark_dirty(*s);
    return true;
  }
  return false;
}

namespace {

// A path's rotated siblings and live file, each uncompressed one held open, so that the plan
// and the reads that follow see the same files even when a rotation renames them meanwhile.
struct ResumeSnapshot {
  std::vector<ResumeCandidate> candidates;
  std::vector<int> fds;  // per candidate; -1 for a compressed one (read by path)
  std::optional<std::size_t> live_index;

  ResumeSnapshot() = default;
  ResumeSnapshot(const ResumeSnapshot&) = delete;
  ResumeSnapshot& operator=(const ResumeSnapshot&) = delete;
  ~ResumeSnapshot() {
    for (int fd : fds) {
      if (fd >= 0) detail::close_fd(fd);
    }
  }
  // The candidate's open file, now owned by the caller.
  int take_fd(std::size_t i) { return std::exchange(fds[i], -1); }
};

std::function<std::optional<std::uint64_t>(std::uint32_t)> fd_prefix_hash(int fd) {
  return [fd](std::uint32_t n) { return detail::prefix_hash(fd, n); };
}

// Adds the file at `path` to `snap`; false when it is gone or cannot be read.
bool add_candidate(ResumeSnapshot& snap, const std::string& path, bool compressed) {
  ResumeCandidate c;
  c.path = path;
  c.compressed = compressed;
  int fd = -1;
  if (compressed) {
    auto info = detail::stat_path(path);
    if (!info.ok()) return false;
    c.device = info->device;
    c.inode = info->inode;
    c.prefix_hash = [path](std::uint32_t n) -> std::optional<std::uint64_t> {
      auto prefix = gzip_prefix(path, n);
      if (!prefix.ok() || prefix->size() != n) return std::nullopt;
      return fingerprint_hash(*prefix);
    };
  } else {
    auto opened = detail::open_for_read(path);
    if (!opened.ok()) return false;
    fd = *opened;
    auto info = detail::stat_fd(fd, path);
    if (!info.ok()) {
      detail::close_fd(fd);
      return false;
    }
    c.device = info->device;
    c.inode = info->inode;
    c.size = info->size;
    c.prefix_hash = fd_prefix_hash(fd);
  }
  snap.candidates.push_back(std::move(c));
  snap.fds.push_back(fd);
  return true;
}

// The rotated siblings to resume from. NAME.N.gz beside NAME.N is NAME.N being compressed
// (gzip and logrotate remove NAME.N only once the .gz is whole): the same lines, perhaps not
// all there yet. Only NAME.N is read; taking both would read its lines twice, the .gz from 0
// as a file rotated in after it.
std::vector<Sibling> resumable_siblings(const std::string& base,
                                        const std::vector<std::string>& names) {
  std::vector<Sibling> all = rotated_siblings(base, names);
  std::vector<Sibling> out;
  for (Sibling& s : all) {
    if (s.compressed &&
        std::find(names.begin(), names.end(), s.name.substr(0, s.name.size() - 3)) != names.end())
      continue;
    out.push_back(std::move(s));
  }
  return out;
}

// True when every candidate is still the file at its path, and the directory names the same
// siblings: no rotation happened while the snapshot was taken.
bool still_current(const ResumeSnapshot& snap, const std::string& dir, const std::string& base,
                   const std::vector<Sibling>& siblings) {
  auto listed = detail::list_directory(dir);
  if (!listed.ok()) return false;
  const std::vector<Sibling> now = resumable_siblings(base, *listed);
  if (now.size() != siblings.size()) return false;
  for (std::size_t i = 0; i < now.size(); ++i) {
    if (now[i].name != siblings[i].name) return false;
  }
  for (const ResumeCandidate& c : snap.candidates) {
    auto info = detail::stat_path(c.path);
    if (!info.ok() || info->device != c.device || info->inode != c.inode) return false;
  }
  return true;
}

}  // namespace

void Engine::Impl::resume_path(PathState& p, const std::vector<CheckpointEntry>& entries) {
  // A writer that rotates while this runs renames files between the listing and the opens;
  // the snapshot is taken again until it holds still (a few tries; then the last one is used).
  constexpr int kSnapshotTries = 5;
  std::unique_ptr<ResumeSnapshot> snap;
  for (int attempt = 0; attempt < kSnapshotTries; ++attempt) {
    snap = std::make_unique<ResumeSnapshot>();
    std::vector<std::string> names;
    if (auto listed = detail::list_directory(p.dir); listed.ok()) names = std::move(*listed);
    const std::vector<Sibling> siblings = resumable_siblings(p.base, names);
    for (const Sibling& sib : siblings) {
      (void)add_candidate(*snap, detail::join_path(p.dir, sib.name), sib.compressed);
    }
    if (add_candidate(*snap, p.path, false)) snap->live_index = snap->candidates.size() - 1;
    if (still_current(*snap, p.dir, p.base, siblings)) break;
  }
  std::vector<ResumeCandidate>& candidates = snap->candidates;
  const std::optional<std::size_t> live_index = snap->live_index;

  ResumePlan plan = plan_resume(entries, candidates, live_index);
  for (const CheckpointEntry& e : plan.missed) {
    counters_.missed_rotations.fetch_add(1, std::memory_order_relaxed);
    diag(DiagnosticKind::missed_rotation, Severity::error, p.path,
         fmt::format("missed rotation: the file read as {} up to offset {} is neither at that "
                     "path nor among its rotated siblings (NAME.1, NAME.2.gz, NAME-YYYYMMDD, "
                     "...); lines written to it after that offset are lost",
                     p.path, e.offset));
  }
  for (const ResumeRead& r : plan.reads) {
    const ResumeCandidate& c = candidates[r.candidate];
    if (live_index && r.candidate == *live_index) {
      if (!open_live(p, false, snap->take_fd(r.candidate)).ok() || p.live == nullptr) continue;
      Stream& s = *p.live;
      s.read_offset = r.offset;
      s.splitter.set_skipping(r.skipping);
      s.commits = CommitTracker(r.offset, r.skipping);
      continue;
    }
    Stream& s = new_stream(p, Role::backlog, c.path);
    if (c.compressed) {
      s.gz_pending = true;  // opened at its turn, once whole (gzip_wait.cc)
    } else {
      attach_fd(s, snap->take_fd(r.candidate));
    }
    // Recorded so that a crash while draining it finds it again: (device, inode) and the
    // fingerprint of its uncompressed content.
    s.identity.device = c.device;
    s.identity.inode = c.inode;
    if (c.compressed) {
      if (auto prefix = gzip_prefix(c.path, kFingerprintMax); prefix.ok()) {
        s.identity.fingerprint_size = static_cast<std::uint32_t>(prefix->size());
        s.identity.fingerprint = fingerprint_hash(*prefix);
      }
    } else if (auto info = detail::stat_fd(s.fd, c.path); info.ok()) {
      if (auto id = detail::identify(s.fd, *info, c.path); id.ok()) s.identity = *id;
    }
    s.read_offset = r.offset;
    s.splitter.set_skipping(r.skipping);
    s.commits = CommitTracker(r.offset, r.skipping);
    p.backlog.push_back(&s);
    diag(DiagnosticKind::file_opened, Severity::notice, p.path,
         fmt::format("reading rotated {} from offset {} before {}", c.path, r.offset, p.path));
  }
  if (!live_index) return;  // the path's next file is opened when it appears
  if (p.live == nullptr && !plan.known) (void)open_live(p, true, snap->take_fd(*live_index));
}

}  // namespace logtail
