// Reading files: chunks into the shared buffer, lines to observers, rotation and truncation.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/file_ops.h"
#include "errno_status.h"
#include "fingerprint.h"

namespace logtail {

using detail::Role;
using detail::Stream;

void Engine::Impl::mark_dirty(Stream& s) {
  if (s.dirty) return;
  s.dirty = true;
  dirty_.push_back(s.id);
}

void Engine::Impl::schedule() {
  if (state_ != State::running || dirty_.empty() || uv_is_active(reinterpret_cast<uv_handle_t*>(idle_)))
    return;
  uv_idle_start(idle_, [](uv_idle_t* h) { static_cast<Impl*>(h->data)->process(); });
}

// One pass: every dirty stream gets one chunk, so a busy file cannot starve the others and
// the loop sees its other events (acknowledgements, signals) between chunks.
void Engine::Impl::process() {
  std::vector<std::uint64_t> work;
  work.swap(dirty_);
  for (std::uint64_t id : work) {
    if (state_ != State::running) return;
    auto it = streams_.find(id);
    if (it == streams_.end()) continue;
    it->second->dirty = false;
    service(*it->second);
  }
  sweep();
  if (!fd_waiting_.empty()) open_waiting();
  if (dirty_.empty()) {
    uv_idle_stop(idle_);
    if (drain_mode_ && drain_complete()) begin_shutdown();
  }
}

bool Engine::Impl::sinks_saturated() const {
  for (const auto& sink : sinks_)
    if (sink->saturated()) return true;
  return false;
}

namespace {

// True when every rotated file of `p` older than `until` (all of them for nullptr) has been
// read to its end.
bool older_drained(const detail::PathState& p, const Stream* until) {
  for (const Stream* r : p.rotated) {
    if (r == until) break;
    if (!r->finished && !r->at_eof) return false;
  }
  return true;
}

}  // namespace

bool Engine::Impl::may_read(const Stream& s) const {
  if (s.finished || (s.fd < 0 && !s.gz && !s.gz_pending)) return false;
  const detail::PathState* p = s.owner;
  if (p == nullptr) return true;
  switch (s.role) {
    case Role::backlog:
      return !p->backlog.empty() && p->backlog.front() == &s;
    case Role::rotated:
      return p->backlog.empty() && older_drained(*p, &s);
    case Role::live:
      return p->backlog.empty() && !p->recover_pending && older_drained(*p, nullptr);
  }
  return true;
}

void Engine::Impl::wake_path(detail::PathState& p) {
  for (Stream* r : p.rotated) {
    if (!r->finished) mark_dirty(*r);
  }
  if (p.live) mark_dirty(*p.live);
}

void Engine::Impl::service(Stream& s) {
  if (s.role == Role::live) check_live(s);
  if (!may_read(s)) return;
  if (s.gz_pending && !open_compressed(s)) return;
  if (!can_read_more(s)) {
    // An acknowledgement wakes it again (apply_settlement).
    if (!s.paused) paused_.push_back(s.id);
    s.paused = true;
    return;
  }
  const std::size_t n = read_chunk(s);
  // drain() delivers what existed when the file was opened; a writer that never pauses
  // must not keep it from returning.
  const bool drained = drain_mode_ && s.role == Role::live && s.read_offset >= s.drain_target;
  if (n > 0 && !drained) {
    s.at_eof = false;
    mark_dirty(s);  // there may be more; the next pass reads on
    return;
  }
  s.at_eof = true;
  // A rotated file read to its end lets the newer files of its path go on.
  if (s.role == Role::rotated && s.owner) wake_path(*s.owner);
  if (drain_mode_) flush_held(s, true);
  if (s.role == Role::backlog ||
      (s.role == Role::rotated &&
       (drain_mode_ || std::chrono::steady_clock::now() >= s.grace_deadline)))
    finish_stream(s);
}

std::size_t Engine::Impl::read_chunk(Stream& s) {
  // The chunk goes to a fixed place in the buffer, after room for the longest carry (a held
  // record and a partial line, at most 2 * max_line_bytes); the carry is put just before it.
  const std::size_t room = buffer_.size() - options_.read_chunk_bytes;
  const bool consecutive = last_read_stream_ == s.id;
  last_read_stream_ = s.id;
  ssize_t n;
  if (s.gz) {
    auto got = s.gz->read(buffer_.data() + room, options_.read_chunk_bytes);
    if (!got.ok()) {
      // A damaged archive: what decoded was delivered; the rest cannot be read.
      diag(DiagnosticKind::io_error, Severity::error, s.file_path, got.status().message());
      return 0;
    }
    n = static_cast<ssize_t>(*got);
  } else if (auto ahead = read_ahead_.take({s.id, s.generation, s.read_offset})) {
    buffer_.swap(read_ahead_.buffer());
    n = static_cast<ssize_t>(*ahead);
  } else {
    do {
      n = ::pread(s.fd, buffer_.data() + room, options_.read_chunk_bytes,
                  static_cast<off_t>(s.read_offset));
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      diag(DiagnosticKind::io_error, Severity::error, s.file_path,
           fmt::format("cannot read {}: {}; retrying at the next poll", s.file_path,
                       errno_text(errno)));
      return 0;
    }
  }
  if (n == 0) return 0;
  const auto got = static_cast<std::size_t>(n);
  const std::size_t carried = s.carry.size();
  const std::uint64_t base = s.read_offset - carried;
  s.read_offset += got;
  counters_.bytes_read.fetch_add(got, std::memory_order_relaxed);
  // A full chunk read right after this file's previous one: a catch-up. The next chunk is
  // read while this one is delivered. (Reads that alternate between files start none, so
  // none is thrown away.)
  if (!s.gz && consecutive && got == options_.read_chunk_bytes) {
    read_ahead_.start({s.id, s.generation, s.read_offset}, s.fd, buffer_.size(), room,
                      options_.read_chunk_bytes);
  }
  char* buf = buffer_.data() + room - carried;
  std::memcpy(buf, s.carry.data(), carried);

  s.last_data = std::chrono::steady_clock::now();
  s.last_active = s.last_data;
  const std::size_t block = carried + got;
  const std::size_t keep = std::min(block, detail::kRecentBytes);
  s.recent.assign(buf + block - keep, keep);
  lines_.clear();
  const std::string_view whole(buf, block);
  if (deliver_unsplit(s, whole, base)) return got;
  const std::size_t consumed = s.splitter.split(whole, base, lines_);
  deliver_lines(s, whole, base, consumed, false);
  return got;
}

// Hands the complete lines of `block` (the first `consumed` bytes) to observers and carries
// the rest. With a multiline joiner, a record that may still continue is carried too.
void Engine::Impl::deliver_lines(Stream& s, std::string_view block, std::uint64_t base,
                                 std::size_t consumed, bool flush) {
  const MultilineJoiner* joiner = s.owner ? s.owner->joiner.get() : nullptr;
  std::span<const Line> out = lines_;
  std::size_t delivered = lines_.size();
  if (joiner != nullptr && !lines_.empty()) {
    records_.clear();
    // A held record must be re-split from the carry, which a truncated line (its rest
    // already skipped) cannot be: such a record is delivered at once.
    const bool cut = s.splitter.skipping() || lines_.back().truncated();
    const std::size_t used = joiner->join(block, base, lines_, flush || cut, records_);
    if (used < lines_.size()) consumed = static_cast<std::size_t>(lines_[used].offset() - base);
    out = records_;
    delivered = used;  // held lines are split again with the next block
  }
  counters_.lines.fetch_add(delivered, std::memory_order_relaxed);
  const std::string tail(block.substr(consumed));
  if (consumed > 0) dispatch(s, block.substr(0, consumed), base, out);
  s.carry = tail;
}

void Engine::Impl::dispatch(Stream& s, std::string_view bytes, std::uint64_t base,
                            std::span<const Line> lines) {
  for (const Line& line : lines) {
    if (!line.truncated()) continue;
    counters_.truncated_lines.fetch_add(1, std::memory_order_relaxed);
    diag(DiagnosticKind::truncated_line, Severity::warning, s.owner ? s.owner->path : s.file_path,
         fmt::format("line at offset {} of {} is longer than {} bytes; delivered cut, the rest "
                     "skipped (raise max_line_bytes / --max-line to keep more)",
                     line.offset(), s.file_path, options_.max_line_bytes));
  }
  const std::string& source = s.owner ? s.owner->path : s.file_path;
  observe(s, LineBatch(source, bytes, base, lines), !lines.empty());
}

void Engine::Impl::observe(Stream& s, const LineBatch& batch, bool has_lines) {
  const std::uint64_t seq = s.commits.open(batch.bytes_offset() + batch.bytes().size(),
                                           s.splitter.skipping(), batch.bytes().size());
  if (has_lines) {
    const std::uint64_t before = dispatcher_->events();
    dispatcher_->begin(s.id, &s.commits, seq, batch.source(), Clock::now());
    for (auto& slot : observers_) {
      dispatcher_->set_observer(*slot);
      slot->observer->on_batch(batch, *dispatcher_);
    }
    const std::uint64_t emitted = dispatcher_->events() - before;
    counters_.events.fetch_add(emitted, std::memory_order_relaxed);
    if (emitted > 0) flush_sinks();
  }
  if (s.commits.seal(seq)) checkpoint_dirty();
}

void Engine::Impl::flush_sinks() {
  for (auto& sink : sinks_) {
    if (Status st = sink->flush(); !st.ok()) {
      counters_.sink_errors.fetch_add(1, std::memory_order_relaxed);
      if (first_sink_error_.ok()) first_sink_error_ = st;
      diag(DiagnosticKind::sink_error, Severity::error, "",
           fmt::format("sink '{}' failed to flush: {}", sink->name(), st.message()));
    }
  }
}

// A live stream: is the path still the file we hold, and is the file still the content we
// read? File events are only hints, so this runs on every wake-up.
void Engine::Impl::check_live(Stream& s) {
  detail::PathState& p = *s.owner;
  auto now_at_path = detail::stat_path(p.path);
  const bool same = now_at_path.ok() && detail::same_inode(s.identity, *now_at_path);
  if (!same) {
    // Renamed away or deleted: the fd still reads the old file. Drain it for the grace period
    // while the path's new file (if any) is read from its beginning.
    s.role = Role::rotated;
    s.at_eof = false;  // it may hold lines not read yet; newer files wait for them
    p.rotated.push_back(&s);
    s.grace_deadline = std::chrono::steady_clock::now() + options_.rotate_grace;
    p.live = nullptr;
    counters_.rotations.fetch_add(1, std::memory_order_relaxed);
    diag(DiagnosticKind::rotation, Severity::info, p.path,
         now_at_path.ok()
             ? fmt::format("{} was rotated; reading the new file from its beginning", p.path)
             : fmt::format("{} was moved or deleted; draining what was written to it", p.path));
    // Closed while idle: what was written to it since is read where the rotation took it.
    if (s.parked && !reopen_rotated(s)) {
      diag(DiagnosticKind::rotation, Severity::warning, p.path,
           fmt::format("{} was closed while idle at offset {} and is gone from its path and "
                       "its rotated siblings; anything written to it after it was closed is "
                       "lost",
                       p.path, s.read_offset));
      finish_stream(s);
    }
    // The path may now lead to a file a rotated stream still reads (a symlink pointed back at
    // its old target, a file renamed back): that stream goes on as the live one. Opening it
    // again would read it from 0 beside the stream still draining it: every line twice.
    if (now_at_path.ok() && !adopt_if_known(p)) (void)open_live(p, false);
    // Listed after the new file is opened, so a rotation in between is seen as well.
    recover_skipped(p);
    if (!s.finished) mark_dirty(s);
    return;
  }
  if (s.parked && !unpark_if_changed(s, *now_at_path)) return;
  if (s.fd < 0) return;  // waits for room under the open-file budget
  auto info = detail::stat_fd(s.fd, s.file_path);
  if (!info.ok()) return;
  if (info->size < s.read_offset) {
    restart_stream(s, fmt::format("{} shrank below the read offset (copytruncate?)", p.path));
    return;
  }
  if (s.identity.fingerprint_size > 0) {
    auto hash = detail::prefix_hash(s.fd, s.identity.fingerprint_size);
    if (!hash || *hash != s.identity.fingerprint) {
      restart_stream(s, fmt::format("{} was rewritten (its first bytes changed)", p.path));
      return;
    }
  }
  // The same size or more and the same first bytes, yet the bytes before the read offset are
  // not those read: cut and rewritten past the offset between two looks (copytruncate while
  // the writer goes on, under a banner longer than the fingerprint). Reading on would
  // deliver the new content from the middle: a torn line and the lines before it lost.
  if (!s.recent.empty() && s.read_offset >= s.recent.size()) {
    auto before = detail::read_at(s.fd, s.read_offset - s.recent.size(), s.recent.size(),
                                  s.file_path);
    if (before.ok() && *before != s.recent) {
      restart_stream(s, fmt::format("{} was rewritten (the bytes before the read offset "
                                    "changed)",
                                    p.path));
      return;
    }
  }
  if (s.identity.fingerprint_size < kFingerprintMax && info->size > s.identity.fingerprint_size) {
    if (auto id = detail::identify(s.fd, *info, s.file_path); id.ok()) {
      s.identity = *id;
      checkpoint_dirty();
    }
  }
}

// The same file now holds other content: read it again from 0. Batches in flight for the
// old content are forgotten; their acknowledgements no longer move anything.
void Engine::Impl::restart_stream(Stream& s, std::string_view why) {
  counters_.truncations.fetch_add(1, std::memory_order_relaxed);
  diag(DiagnosticKind::truncation, Severity::warning, s.owner->path,
       fmt::format("{}; reading it again from the beginning", why));
  s.commits.reset(0);
  s.read_offset = 0;
  s.carry.clear();
  s.recent.clear();
  s.splitter.set_skipping(false);
  s.generation = next_generation_++;
  if (auto info = detail::stat_fd(s.fd, s.file_path); info.ok()) {
    if (auto id = detail::identify(s.fd, *info, s.file_path); id.ok()) s.identity = *id;
  }
  checkpoint_dirty();
  mark_dirty(s);
}

// A rotated or backlog file read to its end for good: its last partial line will never get
// a newline, so it is delivered as it is.
void Engine::Impl::finish_stream(Stream& s) {
  if (s.finished) return;
  if (!s.carry.empty()) {
    lines_.clear();
    const std::uint64_t base = s.read_offset - s.carry.size();
    std::string rest;
    rest.swap(s.carry);
    s.splitter.finish(rest, base, lines_);
    deliver_lines(s, rest, base, rest.size(), true);
  }
  diag(DiagnosticKind::rotated_drained, Severity::info, s.owner ? s.owner->path : s.file_path,
       fmt::format("{} read to its end ({} bytes) and closed", s.file_path, s.read_offset));
  close_finished(s);
}

void Engine::Impl::close_finished(Stream& s) {
  s.finished = true;
  remember_read(s);
  close_stream_files(s);
  if (s.role == Role::backlog && s.owner) {
    // Not always the front: a deleted backlog file may be closed before its turn.
    auto& backlog = s.owner->backlog;
    backlog.erase(std::remove(backlog.begin(), backlog.end(), &s), backlog.end());
    if (!backlog.empty()) mark_dirty(*backlog.front());
    else wake_path(*s.owner);
  }
  if (s.role == Role::rotated && s.owner) {
    auto& rotated = s.owner->rotated;
    rotated.erase(std::remove(rotated.begin(), rotated.end(), &s), rotated.end());
    wake_path(*s.owner);
  }
  maybe_retire(s);
}

// Streams are erased only by sweep(), at points where no caller still holds a reference.
void Engine::Impl::maybe_retire(Stream& s) {
  if (s.finished && s.commits.idle()) retiring_.push_back(s.id);
}

void Engine::Impl::sweep() {
  for (std::uint64_t id : retiring_) {
    auto it = streams_.find(id);
    if (it == streams_.end() || !it->second->finished || !it->second->commits.idle()) continue;
    streams_.erase(it);
    checkpoint_dirty();
  }
  retiring_.clear();
}

void Engine::Impl::close_stream_files(Stream& s) {
  open_streams_.erase(s.id);
  s.gz.reset();
  detail::close_fd(s.fd);
  s.fd = -1;
}

Stream& Engine::Impl::new_stream(detail::PathState& p, Role role, std::string file_path) {
  auto owned = std::make_unique<Stream>(next_stream_id_++, options_.max_line_bytes);
  Stream& s = *owned;
  s.owner = &p;
  s.role = role;
  s.file_path = std::move(file_path);
  s.generation = next_generation_++;
  streams_.emplace(s.id, std::move(owned));
  return s;
}

// Opens the file now at p.path as the path's live stream. At start-up without a checkpoint
// the start position follows start_at; a file that appears later is read from its beginning.
Status Engine::Impl::open_live(detail::PathState& p, bool at_start, int opened) {
  if (opened < 0 && !make_room()) {
    p.open_at_start = at_start;
    wait_for_fd(p, nullptr);
    return Status(StatusKind::busy,
                  fmt::format("{} waits for room under the open-file budget", p.path));
  }
  auto fd = opened >= 0 ? Result<int>(opened) : detail::open_for_read(p.path);
  if (!fd.ok() && fd.status().kind() == StatusKind::busy) {
    p.open_at_start = at_start;
    wait_for_fd(p, &fd.status());
    return fd.status();
  }
  if (!fd.ok()) {
    if (fd.status().kind() != StatusKind::not_found && p.last_error != fd.status().message()) {
      p.last_error = fd.status().message();
      diag(fd.status().kind() == StatusKind::permission_denied ? DiagnosticKind::permission_denied
                                                              : DiagnosticKind::io_error,
           Severity::error, p.path,
           fmt::format("{}; retrying at every poll", fd.status().message()));
    }
    return fd.status();
  }
  auto info = detail::stat_fd(*fd, p.path);
  if (!info.ok() || !info->regular) {
    detail::close_fd(*fd);
    const std::string msg = info.ok() ? fmt::format("{} is not a regular file; skipped", p.path)
                                      : info.status().message();
    if (p.last_error != msg) {
      p.last_error = msg;
      diag(DiagnosticKind::io_error, Severity::error, p.path, msg);
    }
    return Status(StatusKind::invalid_argument, msg);
  }
  auto id = detail::identify(*fd, *info, p.path);
  if (!id.ok()) {
    detail::close_fd(*fd);
    return id.status();
  }
  p.last_error.clear();
  p.open_at_start = false;
  Stream& s = new_stream(p, Role::live, p.path);
  attach_fd(s, *fd);
  s.identity = *id;
  if (at_start && options_.start_at == StartAt::end && info->size > 0) {
    // Begin after the last complete line; a line still being written is skipped whole.
    s.read_offset = info->size;
    auto last = detail::read_at(s.fd, info->size - 1, 1, p.path);
    const bool mid_line = last.ok() && last->size() == 1 && (*last)[0] != '\n';
    s.splitter.set_skipping(mid_line);
    s.commits = CommitTracker(info->size, mid_line);
  }
  s.drain_target = info->size;
  p.live = &s;
  diag(DiagnosticKind::file_opened, Severity::notice, p.path,
       fmt::format("tailing {} from offset {}", p.path, s.read_offset));
  checkpoint_dirty();
  mark_dirty(s);
  return {};
}

void Engine::Impl::apply_settlement(const detail::Settlement& st) {
  if (st.dropped) counters_.events_dropped.fetch_add(1, std::memory_order_relaxed);
  auto it = streams_.find(st.stream);
  if (st.abandoned) {
    counters_.sink_errors.fetch_add(1, std::memory_order_relaxed);
    diag(DiagnosticKind::sink_error, Severity::error,
         it != streams_.end() && it->second->owner ? it->second->owner->path : "",
         "a sink gave up an event without acknowledging it; the file's committed offset stays "
         "before it, so it is delivered again after a restart");
  }
  if (it != streams_.end()) {
    Stream& s = *it->second;
    if (s.commits.settle(st.batch, st.abandoned)) checkpoint_dirty();
    maybe_retire(s);
  }
  if (state_ == State::running && !paused_.empty()) resume_paused();
}

// Streams paused for back-pressure read on once their bytes in flight fall to half the
// bound (so a stream does not wake for every single acknowledgement) and no sink is full.
void Engine::Impl::resume_paused() {
  const bool saturated = sinks_saturated();
  std::size_t kept = 0;
  for (std::uint64_t id : paused_) {
    auto it = streams_.find(id);
    if (it == streams_.end()) continue;
    Stream& s = *it->second;
    if (saturated || s.commits.inflight_bytes() > options_.max_inflight_bytes / 2) {
      paused_[kept++] = id;
      continue;
    }
    s.paused = false;
    mark_dirty(s);
  }
  paused_.resize(kept);
  schedule();
}

bool Engine::Impl::can_read_more(const Stream& s) const {
  return s.commits.inflight_bytes() < options_.max_inflight_bytes && !sinks_saturated();
}

// A multiline record whose continuation has not come within the flush timeout, or that
// must go out now (drain, stop), is delivered from the carry; a partial line stays.
void Engine::Impl::flush_held(Stream& s, bool force) {
  const MultilineJoiner* joiner = s.owner ? s.owner->joiner.get() : nullptr;
  if (joiner == nullptr || s.carry.empty() || s.finished) return;
  if (!force && std::chrono::steady_clock::now() - s.last_data < joiner->options().flush_timeout)
    return;
  std::string held;
  held.swap(s.carry);
  const std::uint64_t base = s.read_offset - held.size();
  lines_.clear();
  const std::size_t consumed = s.splitter.split(held, base, lines_);
  deliver_lines(s, held, base, consumed, true);
}

bool Engine::Impl::drain_complete() const {
  for (const auto& [id, s] : streams_) {
    if (s->finished) continue;
    if (s->paused && !s->commits.stuck()) return false;
    if (s->commits.stuck()) continue;
    if (!s->at_eof) return false;
    if (s->role != Role::live) return false;
  }
  return true;
}

}  // namespace logtail
