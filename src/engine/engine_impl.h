// Engine::Impl: the loop-thread machinery behind logtail::Engine.
//
// Everything here runs on the engine's loop thread except where a member says otherwise.
// Split across files by job: engine.cc (life cycle, public calls), streams.cc (reading,
// rotation, truncation), startup.cc (patterns and resuming from checkpoints), watch.cc
// (file events, polling, timers), checkpoints.cc (persisting committed offsets).
#pragma once

#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "commit_tracker.h"
#include "engine/ack_hub.h"
#include "engine/dispatcher.h"
#include "engine/file_ops.h"
#include "engine/read_ahead.h"
#include "gzip_reader.h"
#include "multiline.h"
#include "logtail/engine.h"
#include "splitter.h"

namespace logtail {

namespace detail {

struct PathState;

enum class Role { live, rotated, backlog };

// One open file being read: the live file of a path, a rotated-away file drained for its
// grace period, or a rotated sibling found at start-up and drained before the live file.
// How many of the last bytes read a live stream keeps to check that they are still there.
inline constexpr std::size_t kRecentBytes = 64;

struct Stream {
  Stream(std::uint64_t id_, std::size_t max_line) : id(id_), splitter(max_line) {}

  std::uint64_t id;
  PathState* owner = nullptr;
  std::string file_path;  // where it is read from (a sibling's name for a backlog file)
  Role role = Role::live;
  std::uint64_t generation = 0;
  int fd = -1;
  std::unique_ptr<GzipReader> gz;
  // A compressed backlog file, opened (gz) only once its gzip stream is whole (gzip_wait.cc).
  bool gz_pending = false;
  std::uint64_t gz_seen_size = 0;  // its size at the last look, and since when
  std::chrono::steady_clock::time_point gz_seen_since{};
  FileIdentity identity;
  std::uint64_t read_offset = 0;  // next byte to read; the carry starts carry.size() before
  std::uint64_t drain_target = 0;  // drain(): the file's size when it was opened
  std::string carry;              // the partial last line, waiting for its newline
  // The last bytes read, those just before read_offset (up to kRecentBytes). A file cut and
  // written again past the offset before the engine looks, with its first 4 KiB unchanged (a
  // start-up banner), keeps its size above the offset and its fingerprint: only these bytes
  // tell it from the same file grown. Empty when unknown (after a restart or a seek).
  std::string recent;
  LineSplitter splitter;
  CommitTracker commits;
  bool dirty = false;
  bool paused = false;    // waiting for acknowledgements (back-pressure)
  bool at_eof = false;    // the last read found nothing new
  bool finished = false;  // read to its end for good; retired once acknowledged
  std::chrono::steady_clock::time_point grace_deadline{};
  // Since when the file has been seen deleted (no link left) while not read to its end, with
  // nothing more read from it (read_offset was deleted_offset); epoch: not seen so.
  // max_hold_deleted counts from here.
  std::chrono::steady_clock::time_point deleted_since{};
  std::uint64_t deleted_offset = 0;
  std::chrono::steady_clock::time_point last_data{};  // for the multiline flush timeout
  // When it was opened or last read data: the least recently active idle files are closed
  // first when the open-file budget is reached (fd_budget.cc).
  std::chrono::steady_clock::time_point last_active{};
  // A live file closed while idle (fd -1), its identity and offset kept. A size other than
  // read_offset or an mtime other than the one it had when closed tells, from a stat alone,
  // that it changed and must be opened again.
  bool parked = false;
  std::int64_t parked_mtime_ns = 0;
};

// One concrete watched path (a file path, or a name a glob matched).
struct PathState {
  std::string path;
  std::string dir;
  std::string base;
  Stream* live = nullptr;
  std::deque<Stream*> backlog;  // start-up drains, oldest first; the live file waits for them
  // Files rotated away while open, oldest first. A newer file of the path is read only once
  // these have been read to their end, so lines come in the order they were written.
  std::deque<Stream*> rotated;
  std::string last_error;       // the last problem reported, so it is not repeated each poll
  std::string condition;        // the last warning or error about the path, for health()
  std::shared_ptr<const MultilineJoiner> joiner;  // from the pattern that named the path
  // Files of this path read in this run and closed, newest last (bounded): with the streams
  // still open they tell a rotated sibling already read from one skipped (skipped.cc).
  std::deque<FileIdentity> history;
  // The search for skipped generations ran out of file descriptors (skipped.cc): the live
  // file waits, and the search runs again, in full, at the next poll or tick.
  bool recover_pending = false;
  // Waiting in fd_waiting_ for room under the open-file budget (or after EMFILE).
  bool waiting_fd = false;
  // Its first open is still to come from start-up, so start_at applies to it.
  bool open_at_start = false;
  // Checkpoint entries whose resume waits for room under the open-file budget.
  std::vector<CheckpointEntry> resume_entries;
};

struct Pattern {
  std::string text;  // as given
  std::string dir;
  std::string name;  // the last component; may hold * ? [..]
  bool glob = false;
  std::shared_ptr<const MultilineJoiner> joiner;
};

struct DirWatch {
  std::string dir;
  uv_fs_event_t* handle = nullptr;
  bool events = false;  // false: the watch failed and the poll covers this directory
  void* engine = nullptr;  // the Engine::Impl that owns it
};

}  // namespace detail

class Engine::Impl {
 public:
  explicit Impl(EngineOptions options);
  ~Impl();

  // Configuration (before running).
  EngineOptions options_;
  DiagnosticHandler on_diagnostic_;
  std::vector<detail::Pattern> patterns_;
  std::vector<std::unique_ptr<detail::ObserverSlot>> observers_;
  std::vector<std::shared_ptr<Sink>> sinks_;

  // Life cycle (engine.cc).
  enum class State { configuring, running, stopping, stopped };
  Status setup(uv_loop_t* loop);
  void begin_shutdown();
  void finish_shutdown();
  void maybe_finish_shutdown();
  Status stop_from_any_thread();
  void request_stop();
  Status final_status();

  // Reading (streams.cc).
  void mark_dirty(detail::Stream& s);
  void schedule();
  void process();
  void service(detail::Stream& s);
  bool may_read(const detail::Stream& s) const;
  std::size_t read_chunk(detail::Stream& s);
  void check_live(detail::Stream& s);
  void restart_stream(detail::Stream& s, std::string_view why);
  void finish_stream(detail::Stream& s);
  // Closes a finished stream's file, takes it off its path's lists and lets the path's newer
  // files go on.
  void close_finished(detail::Stream& s);
  // A rotated or backlog file deleted while not read to its end, for longer than
  // max_hold_deleted: closed, its unread bytes counted as lost and reported.
  void check_deleted_hold(detail::Stream& s, std::chrono::steady_clock::time_point now);
  // A pending compressed backlog file: opens it once its gzip stream is whole (or has
  // stopped growing for rotate_grace). False: not now; it is looked at again at the next
  // tick or poll.
  bool open_compressed(detail::Stream& s);
  void maybe_retire(detail::Stream& s);
  void sweep();
  void resume_paused();
  bool can_read_more(const detail::Stream& s) const;
  void dispatch(detail::Stream& s, std::string_view bytes, std::uint64_t base,
                std::span<const Line> lines);
  // Opens the batch's record in the stream's commit tracker, hands the batch to every
  // observer (when it has lines) and seals the record.
  void observe(detail::Stream& s, const LineBatch& batch, bool has_lines);
  // A block of complete lines within the cap, for a stream without a multiline joiner, goes
  // to observers with its lines found only on demand (unsplit.cc). False: split it.
  bool deliver_unsplit(detail::Stream& s, std::string_view block, std::uint64_t base);
  void deliver_lines(detail::Stream& s, std::string_view block, std::uint64_t base,
                     std::size_t consumed, bool flush);
  void flush_held(detail::Stream& s, bool force);
  void apply_settlement(const detail::Settlement& settlement);
  void flush_sinks();
  detail::Stream& new_stream(detail::PathState& p, detail::Role role, std::string file_path);
  void close_stream_files(detail::Stream& s);
  // Opens p.path as p's live stream; `opened`, when not -1, is that file already open (and
  // now owned by the stream).
  Status open_live(detail::PathState& p, bool at_start, int opened = -1);
  // Marks the path's rotated files and its live file for reading.
  void wake_path(detail::PathState& p);
  bool drain_complete() const;

  // Patterns and start-up (startup.cc).
  Status add_pattern(std::string_view text, const SourceOptions& options);
  detail::PathState& ensure_path(const std::string& path, const detail::Pattern& pattern);
  Status discover_at_start();
  void discover(detail::DirWatch& dir, const std::string* name);
  void resume_path(detail::PathState& p, const std::vector<CheckpointEntry>& entries);
  bool adopt_if_known(detail::PathState& p);

  // Watching (watch.cc).
  void start_watches();
  void on_dir_event(detail::DirWatch& w, const char* filename);
  detail::PathState* owner_of_sibling(const std::string& path);
  void on_poll();
  void on_tick();

  // The open-file budget (fd_budget.cc).
  void init_open_budget();
  // Gives `s` the open file `fd` (counted against the budget).
  void attach_fd(detail::Stream& s, int fd);
  // True when one more file may be opened, closing the least recently active idle live file
  // if the budget is reached.
  bool make_room();
  // Closes an idle live file, keeping its identity and offset.
  void park(detail::Stream& s);
  // Queues `p` until a file can be opened for it; `error`, when given, is the EMFILE that
  // made it wait, reported once per spell of waiting.
  void wait_for_fd(detail::PathState& p, const Status* error);
  // Opens what waits for room, as far as the budget allows.
  void open_waiting();
  // Closes the live files idle for idle_close.
  void close_idle();
  // A parked stream whose path still leads to its file: opens it again when it changed (or
  // queues it for room). False when nothing changed.
  bool unpark_if_changed(detail::Stream& s, const detail::FileInfo& at_path);
  // Opens a parked stream's file again at its path, when it is still the same file.
  void unpark(detail::Stream& s);
  // A parked stream whose file was rotated away: its file is looked for among the path's
  // rotated siblings and opened there; false when it is gone.
  bool reopen_rotated(detail::Stream& s);

  // Rotations seen late (skipped.cc): the path's rotated siblings that no stream read or
  // reads and that are newer than a file it read are drained, oldest first, before the
  // path's newer files.
  void recover_skipped(detail::PathState& p);
  void retry_recovery();
  void postpone_recovery(detail::PathState& p, const Status& error, bool report);
  void remember_read(detail::Stream& s);

  // Checkpoints (checkpoints.cc).
  Status open_store();
  void checkpoint_dirty();
  void start_checkpoint_save();
  std::vector<CheckpointEntry> snapshot() const;
  void after_checkpoint_save(Status status);

  // Health (health.cc): the loop thread takes the snapshot that health() hands out.
  void refresh_health();
  mutable std::mutex health_mu_;
  EngineHealth health_;

  // Diagnostics.
  void diag(DiagnosticKind kind, Severity severity, std::string path, std::string message);

  // Loop state.
  uv_loop_t* loop_ = nullptr;
  std::unique_ptr<uv_loop_t> own_loop_;
  std::thread thread_;
  std::thread::id loop_thread_;
  std::atomic<uv_async_t*> stop_async_{nullptr};
  uv_async_t* ack_async_ = nullptr;
  uv_idle_t* idle_ = nullptr;
  uv_timer_t* poll_timer_ = nullptr;
  uv_timer_t* tick_timer_ = nullptr;
  uv_timer_t* checkpoint_timer_ = nullptr;
  uv_timer_t* stop_timer_ = nullptr;
  std::map<std::string, std::unique_ptr<detail::DirWatch>> dirs_;
  std::atomic<bool> stop_requested_{false};
  bool drain_mode_ = false;
  State state_ = State::configuring;

  std::mutex done_mu_;
  std::condition_variable done_cv_;
  bool done_ = false;
  Status final_status_;

  // Files.
  std::map<std::string, std::unique_ptr<detail::PathState>> paths_;
  std::unordered_map<std::uint64_t, std::unique_ptr<detail::Stream>> streams_;
  std::vector<std::uint64_t> dirty_;
  std::vector<std::uint64_t> paused_;    // waiting for acknowledgements
  std::vector<std::uint64_t> retiring_;  // finished; erased by sweep()
  std::uint64_t next_stream_id_ = 1;  // 0 stands for "no file" in tickets
  std::uint64_t next_generation_ = 1;
  std::vector<char> buffer_;
  detail::ReadAhead read_ahead_;       // the next chunk of a catch-up (read_ahead.h)
  std::uint64_t last_read_stream_ = 0;  // the stream read_chunk read last
  std::vector<Line> lines_;
  std::vector<Line> records_;  // multiline records made of lines_

  // The open-file budget.
  std::size_t open_budget_ = 0;
  std::unordered_set<std::uint64_t> open_streams_;  // streams holding an fd
  std::deque<std::string> fd_waiting_;  // paths waiting to open a file, oldest first
  bool fd_wait_reported_ = false;       // EMFILE reported for the current spell of waiting
  std::vector<std::string> recover_waiting_;  // paths whose recover_pending is set
  std::size_t dir_watches_ = 0;         // directories watched for file events

  // Delivery.
  std::shared_ptr<detail::AckHub> hub_;
  std::unique_ptr<detail::Dispatcher> dispatcher_;
  bool sinks_saturated() const;

  // Checkpoints.
  std::shared_ptr<CheckpointStore> store_;
  std::map<std::string, std::vector<CheckpointEntry>> loaded_;
  bool checkpoint_dirty_ = false;
  bool checkpoint_timer_active_ = false;
  bool save_in_flight_ = false;
  bool final_save_pending_ = false;
  Status last_checkpoint_error_;

  // Counters, read from any thread.
  struct AtomicCounters {
    std::atomic<std::uint64_t> bytes_read{0}, lines{0}, events{0}, events_dropped{0},
        truncated_lines{0}, rotations{0}, truncations{0}, missed_rotations{0}, sink_errors{0},
        checkpoints_written{0}, hold_expired{0}, unread_bytes_lost{0};
  } counters_;
  Status first_sink_error_;
};

}  // namespace logtail
