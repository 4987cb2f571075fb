// Resume planning: where to pick up each file of one watched path after a restart. Pure: the
// caller supplies what it found on disk, this decides.
//
// The checkpoint holds one entry per file that was open under the path (the live file and,
// while they drained, rotated ones), ordered by generation. Each entry is looked for first
// among the candidates by (device, inode) with a matching fingerprint, then by fingerprint
// alone (a compressed or copied rotation). What was rotated in after the newest match is read
// from its beginning; what cannot be found is reported as missed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "logtail/checkpoint.h"

namespace logtail {

struct ResumeCandidate {
  std::string path;
  bool compressed = false;
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  // Uncompressed size; unknown (nullopt) for compressed files.
  std::optional<std::uint64_t> size;
  // Fingerprint of the first n bytes, or nullopt when the file is shorter than n.
  std::function<std::optional<std::uint64_t>(std::uint32_t n)> prefix_hash;
};

struct ResumeRead {
  std::size_t candidate = 0;  // index into the candidates
  std::uint64_t offset = 0;
  bool skipping = false;
};

struct ResumePlan {
  // In the order to read them; the live file, when planned, is last.
  std::vector<ResumeRead> reads;
  // Entries found nowhere: their unread lines are lost.
  std::vector<CheckpointEntry> missed;
  // True when the checkpoint said anything about this path, so a live file not planned
  // above is new and is read from its beginning (start_at does not apply).
  bool known = false;
};

// `entries`: this path's checkpoint entries in any order. `candidates`: the rotated siblings
// oldest first, then the live file (if it exists) last, flagged by `live_index`.
ResumePlan plan_resume(std::span<const CheckpointEntry> entries,
                       std::span<const ResumeCandidate> candidates,
                       std::optional<std::size_t> live_index);

}  // namespace logtail
