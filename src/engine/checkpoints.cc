// Persisting committed offsets: throttled, one save at a time on libuv's worker pool, and a
// last synchronous save on stop.
#include <fmt/format.h>

#include "engine/engine_impl.h"

namespace logtail {

Status Engine::Impl::open_store() {
  if (options_.store) {
    store_ = options_.store;
  } else if (!options_.state_dir.empty()) {
    auto opened = open_file_checkpoint_store(options_.state_dir);
    if (!opened.ok()) return opened.status();
    store_ = std::move(*opened);
  } else {
    return {};
  }
  auto entries = store_->load();
  if (!entries.ok()) {
    if (entries.status().kind() == StatusKind::corrupt)
      diag(DiagnosticKind::corrupt_state, Severity::critical, options_.state_dir.string(),
           entries.status().message());
    return entries.status();
  }
  for (auto& e : *entries) {
    next_generation_ = std::max(next_generation_, e.generation + 1);
    loaded_[e.path].push_back(std::move(e));
  }
  return {};
}

std::vector<CheckpointEntry> Engine::Impl::snapshot() const {
  std::vector<CheckpointEntry> out;
  out.reserve(streams_.size());
  for (const auto& [id, s] : streams_) {
    if (s->finished && s->commits.idle()) continue;  // read and acknowledged to its end
    CheckpointEntry e;
    e.path = s->owner ? s->owner->path : s->file_path;
    e.identity = s->identity;
    e.offset = s->commits.committed();
    e.skipping = s->commits.committed_skipping();
    e.generation = s->generation;
    out.push_back(std::move(e));
  }
  return out;
}

void Engine::Impl::checkpoint_dirty() {
  if (!store_) return;
  checkpoint_dirty_ = true;
  if (checkpoint_timer_active_ || save_in_flight_ || state_ != State::running) return;
  checkpoint_timer_active_ = true;
  uv_timer_start(checkpoint_timer_, [](uv_timer_t* t) {
    auto* self = static_cast<Impl*>(t->data);
    self->checkpoint_timer_active_ = false;
    self->start_checkpoint_save();
  }, static_cast<std::uint64_t>(options_.checkpoint_interval.count()), 0);
}

namespace {
struct SaveWork {
  uv_work_t req;
  void* engine;  // Engine::Impl
  std::shared_ptr<CheckpointStore> store;
  std::vector<CheckpointEntry> entries;
  Status result;
};
}  // namespace

void Engine::Impl::start_checkpoint_save() {
  if (!checkpoint_dirty_ || save_in_flight_ || state_ != State::running) return;
  checkpoint_dirty_ = false;
  save_in_flight_ = true;
  auto* work = new SaveWork{{}, this, store_, snapshot(), {}};
  work->req.data = work;
  uv_queue_work(
      loop_, &work->req,
      [](uv_work_t* req) {
        auto* w = static_cast<SaveWork*>(req->data);
        w->result = w->store->save(w->entries);
      },
      [](uv_work_t* req, int) {
        std::unique_ptr<SaveWork> w(static_cast<SaveWork*>(req->data));
        static_cast<Engine::Impl*>(w->engine)->after_checkpoint_save(std::move(w->result));
      });
}

void Engine::Impl::after_checkpoint_save(Status status) {
  save_in_flight_ = false;
  if (status.ok()) {
    counters_.checkpoints_written.fetch_add(1, std::memory_order_relaxed);
    if (!last_checkpoint_error_.ok())
      diag(DiagnosticKind::checkpoint_error, Severity::notice, options_.state_dir.string(),
           "checkpoints are being written again");
    last_checkpoint_error_ = {};
  } else {
    // Reported once per run of failures; the offsets stay in memory and the next save
    // retries, so nothing is read again meanwhile.
    if (last_checkpoint_error_.message() != status.message())
      diag(DiagnosticKind::checkpoint_error, Severity::error, options_.state_dir.string(),
           fmt::format("{}; retrying", status.message()));
    last_checkpoint_error_ = status;
    checkpoint_dirty_ = true;
  }
  if (final_save_pending_) {
    final_save_pending_ = false;
    finish_shutdown();
    return;
  }
  if (checkpoint_dirty_) checkpoint_dirty();
}

}  // namespace logtail
