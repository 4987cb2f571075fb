// The engine's health snapshot: taken on the loop thread, handed out under a mutex.
#include <sys/stat.h>

#include <algorithm>

#include "engine/engine_impl.h"

namespace logtail {

using detail::Role;
using detail::Stream;

std::string_view to_string(WatchMode mode) {
  return mode == WatchMode::events ? "events" : "polling";
}

namespace {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::live:
      return "live";
    case Role::rotated:
      return "rotated";
    case Role::backlog:
      return "backlog";
  }
  return "live";
}

}  // namespace

void Engine::Impl::refresh_health() {
  EngineHealth h;
  h.taken = Clock::now();
  const auto steady_now = std::chrono::steady_clock::now();
  for (const auto& [path, p] : paths_) {
    const auto dir = dirs_.find(p->dir);
    const WatchMode watch = options_.file_events && dir != dirs_.end() && dir->second->events
                                ? WatchMode::events
                                : WatchMode::polling;
    std::vector<const Stream*> streams(p->backlog.begin(), p->backlog.end());
    streams.insert(streams.end(), p->rotated.begin(), p->rotated.end());
    if (p->live != nullptr) streams.push_back(p->live);
    for (const Stream* s : streams) {
      if (s->finished && s->commits.idle()) continue;  // read and acknowledged: retiring
      FileHealth f;
      f.path = path;
      f.file = s->file_path;
      f.role = std::string(role_name(s->role));
      f.identity = s->identity;
      f.read_offset = s->read_offset;
      f.committed_offset = s->commits.committed();
      // A compressed file's size on disk says nothing about its uncompressed offsets; what
      // has been read of it is what is known.
      struct stat st {};
      f.size = !s->gz && s->fd >= 0 && ::fstat(s->fd, &st) == 0
                   ? static_cast<std::uint64_t>(st.st_size)
                   : s->read_offset;
      f.lag_bytes = f.size > f.committed_offset ? f.size - f.committed_offset : 0;
      if (s->last_data != std::chrono::steady_clock::time_point{}) {
        f.last_data = h.taken - std::chrono::duration_cast<Clock::duration>(
                                    steady_now - s->last_data);
      }
      f.watch = watch;
      f.paused = s->paused;
      f.condition = p->condition;
      h.files.push_back(std::move(f));
    }
    if (streams.empty()) {
      FileHealth f;
      f.path = path;
      f.role = "waiting";
      f.watch = watch;
      f.condition = p->condition;
      h.files.push_back(std::move(f));
    }
  }
  std::lock_guard lock(health_mu_);
  health_ = std::move(h);
}

EngineHealth Engine::health() const {
  std::lock_guard lock(impl_->health_mu_);
  return impl_->health_;
}

}  // namespace logtail
