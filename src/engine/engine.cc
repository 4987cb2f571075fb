// Engine: the public calls and the life cycle (set-up, shutdown, threads).
#include <future>

#include <fmt/format.h>

#include "engine/engine_impl.h"
#include "engine/uv_handles.h"

namespace logtail {

namespace {
// How long a stop waits for sinks to acknowledge what they were given.
constexpr auto kStopTimeout = std::chrono::seconds(10);
}  // namespace

using detail::close_handle;

Engine::Impl::Impl(EngineOptions options) : options_(std::move(options)) {
  hub_ = std::make_shared<detail::AckHub>(
      [this](const detail::Settlement& s) { apply_settlement(s); },
      [this] { uv_async_send(ack_async_); });
  dispatcher_ = std::make_unique<detail::Dispatcher>(hub_, [this](Sink& sink, const Status& st) {
    counters_.sink_errors.fetch_add(1, std::memory_order_relaxed);
    if (first_sink_error_.ok()) first_sink_error_ = st;
    diag(DiagnosticKind::sink_error, Severity::error, "",
         fmt::format("sink '{}': {}", sink.name(), st.message()));
  });
}

Engine::Impl::~Impl() {
  if (thread_.joinable()) thread_.join();
  if (own_loop_) uv_loop_close(own_loop_.get());
}

void Engine::Impl::diag(DiagnosticKind kind, Severity severity, std::string path,
                        std::string message) {
  if (severity >= Severity::warning && !path.empty()) {
    if (auto p = paths_.find(path); p != paths_.end()) {
      p->second->condition = fmt::format("{}: {}", to_string(kind), message);
    }
  }
  if (!on_diagnostic_) return;
  on_diagnostic_(Diagnostic{kind, severity, std::move(path), std::move(message)});
}

Status Engine::Impl::setup(uv_loop_t* loop) {
  if (state_ != State::configuring)
    return Status(StatusKind::failed_precondition,
                  "the engine was already started; make a new Engine to run again");
  if (options_.max_line_bytes == 0 || options_.read_chunk_bytes == 0)
    return Status(StatusKind::invalid_argument,
                  "max_line_bytes and read_chunk_bytes must be above zero");
  if (!options_.file_events && options_.poll_interval.count() <= 0)
    return Status(StatusKind::invalid_argument,
                  "polling-only mode (file_events = false) needs a poll_interval above zero");
  if (options_.tick_interval.count() <= 0 || options_.checkpoint_interval.count() < 0 ||
      options_.poll_interval.count() < 0 || options_.rotate_grace.count() < 0 ||
      options_.max_hold_deleted.count() < 0)
    return Status(StatusKind::invalid_argument,
                  "tick_interval must be above zero and the other intervals not negative");
  if (Status st = open_store(); !st.ok()) return st;

  loop_ = loop;
  loop_thread_ = std::this_thread::get_id();
  hub_->set_loop_thread(loop_thread_);
  // The carry holds at most a held multiline record (up to the cap) and a partial line.
  buffer_.resize(2 * options_.max_line_bytes + options_.read_chunk_bytes);

  auto* stop_async = new uv_async_t;
  stop_async->data = this;
  uv_async_init(loop_, stop_async, [](uv_async_t* h) {
    static_cast<Impl*>(h->data)->begin_shutdown();
  });
  stop_async_.store(stop_async);
  ack_async_ = new uv_async_t;
  ack_async_->data = this;
  uv_async_init(loop_, ack_async_, [](uv_async_t* h) {
    auto* self = static_cast<Impl*>(h->data);
    self->hub_->drain();
    self->sweep();
    self->maybe_finish_shutdown();
  });
  idle_ = new uv_idle_t;
  idle_->data = this;
  uv_idle_init(loop_, idle_);
  for (uv_timer_t** t : {&poll_timer_, &tick_timer_, &checkpoint_timer_, &stop_timer_}) {
    *t = new uv_timer_t;
    (*t)->data = this;
    uv_timer_init(loop_, *t);
  }

  state_ = State::running;
  init_open_budget();
  if (Status st = discover_at_start(); !st.ok()) {
    begin_shutdown();
    return st;
  }
  start_watches();
  if (options_.poll_interval.count() > 0) {
    const auto ms = static_cast<std::uint64_t>(options_.poll_interval.count());
    uv_timer_start(poll_timer_, [](uv_timer_t* t) { static_cast<Impl*>(t->data)->on_poll(); },
                   ms, ms);
  }
  const auto tick = static_cast<std::uint64_t>(options_.tick_interval.count());
  uv_timer_start(tick_timer_, [](uv_timer_t* t) { static_cast<Impl*>(t->data)->on_tick(); },
                 tick, tick);
  for (auto& [id, s] : streams_) mark_dirty(*s);
  refresh_health();
  schedule();
  if (stop_requested_.load() || (drain_mode_ && dirty_.empty() && drain_complete()))
    begin_shutdown();
  return {};
}

void Engine::Impl::begin_shutdown() {
  if (state_ != State::running) return;
  state_ = State::stopping;
  uv_idle_stop(idle_);
  uv_timer_stop(poll_timer_);
  uv_timer_stop(tick_timer_);
  for (auto& [dir, w] : dirs_) {
    if (w->handle) close_handle(w->handle);
  }

  // Complete lines held for a multiline record go out now; partial lines stay unread.
  for (auto& [id, s] : streams_) flush_held(*s, true);
  dispatcher_->begin(0, nullptr, 0, "", Clock::now());
  for (auto& slot : observers_) {
    dispatcher_->set_observer(*slot);
    slot->observer->on_shutdown(*dispatcher_);
  }
  flush_sinks();
  for (auto& sink : sinks_) {
    if (Status st = sink->close(); !st.ok()) {
      counters_.sink_errors.fetch_add(1, std::memory_order_relaxed);
      if (first_sink_error_.ok()) first_sink_error_ = st;
      diag(DiagnosticKind::sink_error, Severity::error, "",
           fmt::format("sink '{}' did not close cleanly: {}", sink->name(), st.message()));
    }
  }
  uv_timer_start(stop_timer_, [](uv_timer_t* t) {
    auto* self = static_cast<Impl*>(t->data);
    self->diag(DiagnosticKind::sink_error, Severity::error, "",
               fmt::format("stopping without {} acknowledgements after {} s; their lines are "
                           "delivered again after a restart",
                           self->hub_->outstanding(), kStopTimeout.count()));
    self->finish_shutdown();
  }, static_cast<std::uint64_t>(std::chrono::milliseconds(kStopTimeout).count()), 0);
  maybe_finish_shutdown();
}

void Engine::Impl::maybe_finish_shutdown() {
  if (state_ == State::stopping && hub_->outstanding() == 0) finish_shutdown();
}

void Engine::Impl::finish_shutdown() {
  if (state_ != State::stopping) return;
  if (save_in_flight_) {
    // The worker's save must land first; after_checkpoint_save comes back here.
    final_save_pending_ = true;
    return;
  }
  state_ = State::stopped;
  hub_->drain();
  if (store_) {
    Status st = store_->save(snapshot());
    if (!st.ok()) {
      last_checkpoint_error_ = st;
      diag(DiagnosticKind::checkpoint_error, Severity::error, "", st.message());
    } else {
      counters_.checkpoints_written.fetch_add(1, std::memory_order_relaxed);
    }
  }
  hub_->detach();
  refresh_health();
  for (auto& [id, s] : streams_) close_stream_files(*s);
  if (uv_async_t* a = stop_async_.exchange(nullptr)) close_handle(a);
  close_handle(ack_async_);
  close_handle(idle_);
  close_handle(poll_timer_);
  close_handle(tick_timer_);
  close_handle(checkpoint_timer_);
  close_handle(stop_timer_);
  {
    std::lock_guard lock(done_mu_);
    final_status_ = !last_checkpoint_error_.ok() ? last_checkpoint_error_ : first_sink_error_;
    done_ = true;
  }
  done_cv_.notify_all();
}

Status Engine::Impl::final_status() {
  std::lock_guard lock(done_mu_);
  return final_status_;
}

void Engine::Impl::request_stop() {
  stop_requested_.store(true);
  if (uv_async_t* a = stop_async_.load()) uv_async_send(a);
}

Status Engine::Impl::stop_from_any_thread() {
  if (state_ == State::configuring && !thread_.joinable()) return {};
  if (std::this_thread::get_id() == loop_thread_) {
    // On the loop thread (a host loop, or a callback): the rest happens as the loop runs.
    begin_shutdown();
    return final_status();
  }
  request_stop();
  {
    std::unique_lock lock(done_mu_);
    done_cv_.wait(lock, [this] { return done_; });
  }
  if (thread_.joinable()) thread_.join();
  return final_status();
}

// ---- Engine ----

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Engine::~Engine() {
  if (impl_->state_ == Impl::State::running || impl_->state_ == Impl::State::stopping)
    (void)impl_->stop_from_any_thread();
}

void Engine::on_diagnostic(DiagnosticHandler handler) {
  impl_->on_diagnostic_ = std::move(handler);
}

Status Engine::watch(std::string_view path_or_glob, SourceOptions options) {
  return impl_->add_pattern(path_or_glob, options);
}

LineObserver& Engine::add(std::unique_ptr<LineObserver> observer, std::string_view name) {
  auto slot = std::make_unique<detail::ObserverSlot>();
  slot->name = name.empty() ? std::string(observer->name()) : std::string(name);
  slot->observer = std::move(observer);
  LineObserver& ref = *slot->observer;
  impl_->observers_.push_back(std::move(slot));
  return ref;
}

void Engine::route(LineObserver& from, std::shared_ptr<Sink> to) {
  bool known = false;
  for (auto& s : impl_->sinks_) known = known || s == to;
  if (!known) impl_->sinks_.push_back(to);
  for (auto& slot : impl_->observers_) {
    if (slot->observer.get() != &from) continue;
    bool routed = false;
    for (Sink* r : slot->routes) routed = routed || r == to.get();
    if (!routed) slot->routes.push_back(to.get());
  }
}

Status Engine::start() {
  if (impl_->state_ != Impl::State::configuring || impl_->thread_.joinable())
    return Status(StatusKind::failed_precondition,
                  "the engine was already started; make a new Engine to run again");
  impl_->own_loop_ = std::make_unique<uv_loop_t>();
  uv_loop_init(impl_->own_loop_.get());
  std::promise<Status> ready;
  auto started = ready.get_future();
  impl_->thread_ = std::thread([this, &ready] {
    Status st = impl_->setup(impl_->own_loop_.get());
    const bool ok = st.ok();
    ready.set_value(std::move(st));
    uv_run(impl_->own_loop_.get(), UV_RUN_DEFAULT);
    (void)ok;
  });
  Status st = started.get();
  if (!st.ok()) {
    impl_->thread_.join();
    return st;
  }
  return {};
}

Status Engine::run() {
  if (impl_->state_ != Impl::State::configuring)
    return Status(StatusKind::failed_precondition,
                  "the engine was already started; make a new Engine to run again");
  impl_->own_loop_ = std::make_unique<uv_loop_t>();
  uv_loop_init(impl_->own_loop_.get());
  Status st = impl_->setup(impl_->own_loop_.get());
  uv_run(impl_->own_loop_.get(), UV_RUN_DEFAULT);
  if (!st.ok()) return st;
  return impl_->final_status();
}

Status Engine::drain() {
  impl_->drain_mode_ = true;
  return run();
}

Status Engine::attach(uv_loop_s* loop) {
  if (loop == nullptr)
    return Status(StatusKind::invalid_argument, "attach() needs a libuv loop, not null");
  return impl_->setup(loop);
}

Status Engine::stop() { return impl_->stop_from_any_thread(); }

void Engine::request_stop() { impl_->request_stop(); }

EngineCounters Engine::counters() const {
  const auto& c = impl_->counters_;
  auto get = [](const std::atomic<std::uint64_t>& v) { return v.load(std::memory_order_relaxed); };
  EngineCounters out;
  out.bytes_read = get(c.bytes_read);
  out.lines = get(c.lines);
  out.events = get(c.events);
  out.events_dropped = get(c.events_dropped);
  out.truncated_lines = get(c.truncated_lines);
  out.rotations = get(c.rotations);
  out.truncations = get(c.truncations);
  out.missed_rotations = get(c.missed_rotations);
  out.sink_errors = get(c.sink_errors);
  out.checkpoints_written = get(c.checkpoints_written);
  out.hold_expired = get(c.hold_expired);
  out.unread_bytes_lost = get(c.unread_bytes_lost);
  return out;
}

}  // namespace logtail
