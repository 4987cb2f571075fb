// Fs: the file-system seam under the checkpoint store. posix_fs() is the real one; tests wrap
// it in a fake that fails chosen calls or loses unsynced writes, to exercise crash paths.
//
// Every failure is a Status naming the file and the OS's reason: not_found for a missing
// file, permission_denied when the OS refuses, busy for a held lock, io_error otherwise.
// Thread: an Fs is used by one thread at a time per file; posix_fs() itself has no state.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "logtail/status.h"

namespace logtail::platform {

// A file opened for writing. Destroying it closes the descriptor.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Writes all of `bytes` (retrying short writes) at the end of what was written so far.
  virtual Status append(std::string_view bytes) = 0;
  // fsync(2): the bytes written so far survive a crash once this returns OK.
  virtual Status sync() = 0;
  // Closes explicitly, so that a failing close(2) is reported rather than lost.
  virtual Status close() = 0;
};

// An exclusive lock on a file, held until this is destroyed.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class Fs {
 public:
  virtual ~Fs() = default;

  // The whole content of a regular file.
  virtual Result<std::string> read_file(const std::filesystem::path& path) = 0;
  // Creates or truncates `path` for writing (mode 0644 before the umask).
  virtual Result<std::unique_ptr<WritableFile>> create_file(const std::filesystem::path& path) = 0;
  // fsync(2) of a directory, which makes renames and creations in it durable.
  virtual Status sync_dir(const std::filesystem::path& dir) = 0;
  // rename(2): atomically replaces `to` if it exists.
  virtual Status rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  // Removes a file; a missing file is not_found.
  virtual Status remove(const std::filesystem::path& path) = 0;
  // mkdir -p. An existing directory is OK.
  virtual Status create_directories(const std::filesystem::path& dir) = 0;
  // Whether anything exists at `path` (without following a final symlink).
  virtual Result<bool> exists(const std::filesystem::path& path) = 0;
  // flock(LOCK_EX | LOCK_NB) on `path`, created if needed, on a descriptor kept open by the
  // returned lock. A lock held elsewhere (another process, or another descriptor in this
  // one) is StatusKind::busy. The holder's pid is written into the file, for messages.
  virtual Result<std::unique_ptr<FileLock>> lock_file(const std::filesystem::path& path) = 0;

  // Replaces DIR/NAME with `bytes` so that after a crash it holds either the old or the new
  // content, never a mix: writes DIR/.NAME.tmp, fsyncs it, renames it over DIR/NAME and
  // fsyncs DIR. On failure the temp file is removed (best effort) and DIR/NAME is untouched
  // unless the failure came after the rename (a failed directory fsync), in which case the
  // new content may or may not survive a crash. Built from the calls above, so a fake can
  // fail each step.
  Status write_file_atomically(const std::filesystem::path& dir, std::string_view name,
                               std::string_view bytes);
};

// The real file system, through POSIX calls.
Fs& posix_fs();

}  // namespace logtail::platform
