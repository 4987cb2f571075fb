// Engine: watches files, hands their new lines to observers, routes events to sinks and
// keeps each file's committed offset.
//
// Owner: the host. Threads: configure (watch, add, route, on_diagnostic) before starting, from
// one thread. Then either start() (the engine runs its own loop thread), run() / drain() (it
// runs on the calling thread), or attach() (it runs on a libuv loop the host already has).
// stop() and request_stop() may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "logtail/checkpoint.h"
#include "logtail/diagnostic.h"
#include "logtail/health.h"
#include "logtail/multiline.h"
#include "logtail/observer.h"
#include "logtail/sink.h"
#include "logtail/status.h"

struct uv_loop_s;

namespace logtail {

// Where to begin a file that has no checkpoint. `end` applies only to files present when the
// engine starts; a file that appears later (a new match of a glob, the new file after a
// rotation) is always read from its beginning.
enum class StartAt { beginning, end };

// Per watched path or glob.
struct SourceOptions {
  // Join continuation lines (stack traces, tracebacks) into one record before observers see
  // them. Off when empty.
  std::optional<MultilineOptions> multiline;
};

struct EngineOptions {
  // Checkpoints live here (see open_file_checkpoint_store). Empty: offsets are kept in memory
  // only and a restart starts afresh (by start_at).
  std::filesystem::path state_dir;
  StartAt start_at = StartAt::end;
  // A host-provided store; takes precedence over state_dir.
  std::shared_ptr<CheckpointStore> store;
  // The stat poll that runs alongside file events (for file systems where events do not
  // arrive). Zero turns it off.
  std::chrono::milliseconds poll_interval{1000};
  // False: polling only (NFS and other file systems without events); needs poll_interval.
  bool file_events = true;
  // Lines longer than this are cut, flagged truncated, and their rest skipped.
  std::size_t max_line_bytes = std::size_t{1} << 20;
  // One read(2) takes at most this much.
  std::size_t read_chunk_bytes = std::size_t{4} << 20;
  // Per file: bytes read but not yet acknowledged by every sink. Past it, reading pauses.
  std::size_t max_inflight_bytes = std::size_t{64} << 20;
  // How long a rotated-away or deleted file stays open for its writer's late lines.
  std::chrono::milliseconds rotate_grace{5000};
  // How long a rotated file that was deleted (no name left) before it was read to its end is
  // kept open with nothing read from it. While sinks do not take lines, reading pauses and
  // such a file would otherwise pin its disk space and an fd for as long as the sinks are
  // away. Past this, it is closed: its unread bytes are lost, counted and reported
  // (hold_expired). A rotated file that still has a name is kept until it is read: it costs
  // no disk space beyond the file itself.
  std::chrono::milliseconds max_hold_deleted{std::chrono::minutes(5)};
  // At most one checkpoint write per interval.
  std::chrono::milliseconds checkpoint_interval{250};
  // How often observers' on_tick runs.
  std::chrono::milliseconds tick_interval{1000};
  // A live file read to its end and without new data for this long is closed; its identity
  // and offset are kept, and it is opened again (and read on only if it is still the same
  // file) when a file event or the poll sees it change. Zero: never closed for idleness.
  std::chrono::milliseconds idle_close{60000};
  // The most files held open at once. Past it, the live files read to their end that were
  // least recently active are closed first (as for idle_close); a file that finds no room
  // waits until one is closed. Zero: half of the RLIMIT_NOFILE soft limit at start (at least
  // 16), leaving the rest for the host, sinks, checkpoints and the event loop.
  std::size_t max_open_files = 0;
  // The most directories watched for file events; the files of the directories past it are
  // polled every poll_interval, as when the system's watch limit (inotify's
  // max_user_watches) is reached. Unset: no limit but the system's.
  std::optional<std::size_t> max_dir_watches;
};

// What the engine has done so far; cheap to read from any thread.
struct EngineCounters {
  std::uint64_t bytes_read = 0;
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  std::uint64_t events_dropped = 0;
  std::uint64_t truncated_lines = 0;
  std::uint64_t rotations = 0;
  std::uint64_t truncations = 0;
  std::uint64_t missed_rotations = 0;
  std::uint64_t sink_errors = 0;
  std::uint64_t checkpoints_written = 0;
  // Deleted files closed before they were read to their end (max_hold_deleted), and the
  // bytes they still held: lost.
  std::uint64_t hold_expired = 0;
  std::uint64_t unread_bytes_lost = 0;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();  // stops the engine if it still runs
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Before starting. Without a handler, diagnostics are counted and discarded.
  void on_diagnostic(DiagnosticHandler handler);

  // A file path or a glob ("logs/*.log"; * ? [..] in the last component only). A path that
  // does not exist yet is waited for. A glob never takes compressed names (.gz, .xz, ...).
  // Before starting.
  Status watch(std::string_view path_or_glob, SourceOptions options = {});

  // Adds an observer; the reference stays valid for the engine's lifetime. `name`, if given,
  // replaces observer->name() in events. Before starting.
  LineObserver& add(std::unique_ptr<LineObserver> observer, std::string_view name = {});

  // Sends what `from` emits to `to`. A sink may be routed from several observers. Before
  // starting.
  void route(LineObserver& from, std::shared_ptr<Sink> to);

  // Runs the engine on a thread of its own. Returns once watching has begun (or failed).
  Status start();
  // Runs on the calling thread until stop() or request_stop().
  Status run();
  // Delivers everything that exists now (rotated backlog included), waits for every
  // acknowledgement, checkpoints and returns. Lines still without a newline stay unread.
  Status drain();
  // Sets the engine up on a loop the host runs. The host keeps running the loop; stop() (on
  // the loop's thread) flushes, checkpoints and closes the engine's handles.
  Status attach(uv_loop_s* loop);

  // Flushes observers and sinks, waits for acknowledgements (bounded), writes a final
  // checkpoint and stops. Any thread; returns when done. Safe to call twice.
  Status stop();
  // Asks the engine to stop and returns at once. Async-signal-safe: fine in a SIGTERM
  // handler.
  void request_stop();

  EngineCounters counters() const;
  // Every followed file's offsets, lag, identity and watch mode (health.h). Any thread.
  EngineHealth health() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace logtail
