// EngineHealth: what the engine knows about each file it follows, for dashboards, `logtail
// --stats`, and hosts that want to alert on a lagging or stuck file.
//
// Engine::health() returns a copy taken by the loop thread at start-up, at every tick
// (EngineOptions::tick_interval, 1 s by default) and when the engine stops, so it is at most
// a tick old. Cheap to call from any thread; the copy is the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "logtail/checkpoint.h"
#include "logtail/event.h"

namespace logtail {

// How the engine learns that a file changed: file events (inotify, kqueue) with the stat poll
// as a safety net, or the stat poll alone (events turned off, or the watch could not be set:
// an unsupported file system, the watch limit reached).
enum class WatchMode : std::uint8_t { events, polling };

std::string_view to_string(WatchMode mode);

struct FileHealth {
  std::string path;  // the watched path
  // Where it is read from: the path itself, a rotated file's new name, or a rotated sibling
  // drained at start-up. Empty while the path has no file (not created yet, or unreadable).
  std::string file;
  // "live" (the file at the path), "rotated" (renamed away or deleted, read to its end within
  // the grace period), "backlog" (a rotated sibling drained at start-up), or "waiting" (no
  // file at the path yet, or one that cannot be opened: see `condition`).
  std::string role;
  FileIdentity identity;             // device, inode and fingerprint of the file read
  std::uint64_t size = 0;            // the file's size now (uncompressed bytes read for .gz)
  std::uint64_t read_offset = 0;     // the next byte to read
  std::uint64_t committed_offset = 0;  // every line before it acknowledged by every sink
  std::uint64_t lag_bytes = 0;       // size - committed_offset: written but not yet delivered
  std::optional<Clock::time_point> last_data;  // when lines were last read from it
  WatchMode watch = WatchMode::events;
  bool paused = false;  // reading waits for sinks to acknowledge (back-pressure)
  // The last problem reported for the path (permission denied, a missed rotation, ...);
  // empty when there is none.
  std::string condition;
};

struct EngineHealth {
  Clock::time_point taken{};  // when the loop thread took it; epoch: not yet taken
  std::vector<FileHealth> files;  // by path, then oldest file first
};

}  // namespace logtail
