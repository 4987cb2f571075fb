// CheckpointStore: where the engine keeps each file's committed offset.
//
// The engine saves the whole set of entries a few times a second at most and on a clean stop,
// and loads it once at start. The default store is a file in the state directory, written
// atomically; a host can keep offsets in its own database by implementing this interface.
// Thread: load() is called on the thread that starts the engine; save() on a worker thread,
// never twice at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "logtail/status.h"

namespace logtail {

// Which file an offset belongs to. (device, inode) tell files apart while they exist; the
// fingerprint (a hash of the first fingerprint_size bytes, up to a few KiB, growing with the
// file) tells a reused inode or a rewritten file from the one that was read.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint32_t fingerprint_size = 0;
  std::uint64_t fingerprint = 0;

  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

struct CheckpointEntry {
  std::string path;          // the watched path the file was opened under
  FileIdentity identity;
  std::uint64_t offset = 0;  // committed: every line before it is acknowledged
  // Orders the files seen under one path: a later file has a larger generation.
  std::uint64_t generation = 0;
  // The offset lies inside an over-long line whose head was delivered truncated; on resume
  // the rest up to its newline is skipped, not delivered as a line of its own.
  bool skipping = false;

  friend bool operator==(const CheckpointEntry&, const CheckpointEntry&) = default;
};

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  // No stored state is an empty set, not an error. State that does not decode is a
  // StatusKind::corrupt error naming where it is kept and how to move it aside.
  virtual Result<std::vector<CheckpointEntry>> load() = 0;
  // Replaces the whole set, atomically: after a crash, load() returns this set or the
  // previous one, never a mix.
  virtual Status save(const std::vector<CheckpointEntry>& entries) = 0;
};

// The default store: DIR/checkpoints, written to a temp file, fsynced, renamed over the old
// one, and the directory fsynced. Creates DIR if needed and locks it (DIR/lock) for the
// store's lifetime: a second store on the same directory fails with StatusKind::busy.
Result<std::unique_ptr<CheckpointStore>> open_file_checkpoint_store(const std::filesystem::path& dir);

// Moves DIR/checkpoints aside (to DIR/checkpoints.reset-<UTC time>) so the next start begins
// afresh. Nothing to move is OK.
Status reset_checkpoint_state(const std::filesystem::path& dir);

}  // namespace logtail
