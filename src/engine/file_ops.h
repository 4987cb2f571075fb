// Thin wrappers over the file system calls the tailer makes, returning Status with messages
// that name the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/checkpoint.h"
#include "logtail/status.h"

namespace logtail::detail {

struct FileInfo {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t size = 0;
  std::uint64_t links = 0;
  std::int64_t mtime_ns = 0;
  bool regular = false;
};

// stat(2) (following symlinks). A missing file is StatusKind::not_found.
Result<FileInfo> stat_path(const std::string& path);
Result<FileInfo> stat_fd(int fd, const std::string& path_for_errors);
// open(2) for reading, close-on-exec. Out of file descriptors (EMFILE, ENFILE) is
// StatusKind::busy: the file is there, it can be opened later.
Result<int> open_for_read(const std::string& path);
void close_fd(int fd);
// pread(2) of up to `size` bytes at `offset`, retrying short reads; returns what was read.
Result<std::string> read_at(int fd, std::uint64_t offset, std::size_t size,
                            const std::string& path_for_errors);

// The identity of an open file whose size is `size`: its (device, inode) and a fingerprint
// of its first min(size, kFingerprintMax) bytes.
Result<FileIdentity> identify(int fd, const FileInfo& info, const std::string& path);
// Hash of the first `n` bytes of an open file, or nullopt when it is shorter.
std::optional<std::uint64_t> prefix_hash(int fd, std::uint32_t n);
// True when `info` is the file `id` names: the same (device, inode).
bool same_inode(const FileIdentity& id, const FileInfo& info);
// True when the open file `fd` still starts with the bytes `id` was fingerprinted from; true
// when `id` has no fingerprint (the file was empty). An inode is handed to a new file once
// the old one is deleted, so this tells the new file from the old.
bool same_start(int fd, const FileIdentity& id);

// `name` inside the directory `dir`, where "." leaves the name as it is (a relative path
// stays relative) and a `dir` ending in '/' (the root) gets no second one.
std::string join_path(const std::string& dir, std::string_view name);

// Names of the entries of a directory (no "." and ".."). A missing directory is not_found.
Result<std::vector<std::string>> list_directory(const std::string& dir);


}  // namespace logtail::detail
