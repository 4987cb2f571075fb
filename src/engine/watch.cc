// File events, the stat poll and the tick. Events are only hints: each one marks the files it
// may concern, and the next pass stats and reads them.
#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/uv_handles.h"

namespace logtail {

using detail::DirWatch;
using detail::Role;

void Engine::Impl::start_watches() {
  for (const auto& pat : patterns_) {
    if (dirs_.count(pat.dir)) continue;
    auto w = std::make_unique<DirWatch>();
    w->dir = pat.dir;
    w->engine = this;
    if (options_.file_events && options_.max_dir_watches &&
        dir_watches_ >= *options_.max_dir_watches) {
      diag(DiagnosticKind::watch_fallback, Severity::warning, w->dir,
           fmt::format("not watching {} for file events: the limit of {} directory watches "
                       "(max_dir_watches, --max-dir-watches) is reached; its files are polled "
                       "every {} ms instead",
                       w->dir, *options_.max_dir_watches, options_.poll_interval.count()));
    } else if (options_.file_events) {
      auto* h = new uv_fs_event_t;
      uv_fs_event_init(loop_, h);
      h->data = w.get();
      int rc = uv_fs_event_start(
          h,
          [](uv_fs_event_t* handle, const char* filename, int, int) {
            auto* watch = static_cast<DirWatch*>(handle->data);
            auto* self = static_cast<Impl*>(watch->engine);
            self->on_dir_event(*watch, filename);
          },
          w->dir.c_str(), 0);
      if (rc == 0) {
        w->handle = h;
        w->events = true;
        ++dir_watches_;
      } else {
        detail::close_handle(h);
        const bool limit = rc == UV_ENOSPC || rc == UV_EMFILE;
        diag(DiagnosticKind::watch_fallback, Severity::warning, w->dir,
             fmt::format("cannot watch {} for file events ({}{}); its files are polled every {} ms "
                         "instead",
                         w->dir, uv_strerror(rc),
                         limit ? "; raise fs.inotify.max_user_watches" : "",
                         options_.poll_interval.count()));
      }
    }
    dirs_.emplace(pat.dir, std::move(w));
  }
}

void Engine::Impl::on_dir_event(DirWatch& w, const char* filename) {
  if (state_ != State::running) return;
  if (filename == nullptr) {
    discover(w, nullptr);
    for (auto& [path, p] : paths_)
      if (p->dir == w.dir && p->live) mark_dirty(*p->live);
  } else {
    const std::string name(filename);
    auto it = paths_.find(detail::join_path(w.dir, name));
    if (it != paths_.end() && it->second->live) {
      mark_dirty(*it->second->live);
    } else {
      discover(w, &name);
    }
  }
  // A rotated file is renamed, so its events carry a name no path has: a rotated sibling's
  // (NAME.1, NAME-20261122) starts with its path's name, and wakes that path's rotated
  // files. Any other wakes them all. Waking every rotated file for every event costs
  // O(events x files) when many files rotate fast, more than the reading itself.
  if (filename != nullptr) {
    const std::string full = detail::join_path(w.dir, filename);
    if (detail::PathState* p = owner_of_sibling(full)) {
      for (auto* r : p->rotated)
        if (!r->finished) mark_dirty(*r);
      schedule();
      return;
    }
  }
  for (auto& [id, s] : streams_)
    if (s->role == Role::rotated && !s->finished) mark_dirty(*s);
  schedule();
}

// The watched path whose name `path` extends (app.log for app.log.1), or nullptr. Such a
// path sorts before `path`, with at most a few other extensions of it in between.
detail::PathState* Engine::Impl::owner_of_sibling(const std::string& path) {
  constexpr int kLookBack = 8;
  auto it = paths_.lower_bound(path);
  for (int k = 0; k < kLookBack && it != paths_.begin(); ++k) {
    --it;
    const std::string& candidate = it->first;
    if (path.size() > candidate.size() && path.starts_with(candidate) &&
        (path[candidate.size()] == '.' || path[candidate.size()] == '-'))
      return it->second.get();
  }
  return nullptr;
}

void Engine::Impl::on_poll() {
  if (state_ != State::running) return;
  for (auto& [dir, w] : dirs_) discover(*w, nullptr);
  for (auto& [id, s] : streams_)
    if (!s->finished) mark_dirty(*s);
  open_waiting();
  retry_recovery();
}

void Engine::Impl::on_tick() {
  if (state_ != State::running) return;
  dispatcher_->begin(0, nullptr, 0, "", Clock::now());
  const auto now = Clock::now();
  for (auto& slot : observers_) {
    dispatcher_->set_observer(*slot);
    slot->observer->on_tick(now, *dispatcher_);
  }
  // Rotated files whose grace period ran out are closed by the next service().
  const auto steady = std::chrono::steady_clock::now();
  for (auto& [id, s] : streams_) {
    flush_held(*s, false);
    if (s->role == Role::rotated && !s->finished && steady >= s->grace_deadline) mark_dirty(*s);
    check_deleted_hold(*s, steady);
    if (s->gz_pending) mark_dirty(*s);
  }
  sweep();
  flush_sinks();
  close_idle();
  open_waiting();
  retry_recovery();
  refresh_health();
}

}  // namespace logtail
