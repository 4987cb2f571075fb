// Checkpoint codec: the on-disk form of a set of CheckpointEntry. Pure.
//
// Text, one entry per line, so an operator can read it; a version header and a CRC-32 trailer
// over everything before it, so a torn or edited file is detected rather than trusted.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "logtail/checkpoint.h"
#include "logtail/status.h"

namespace logtail {

inline constexpr int kCheckpointVersion = 1;

std::string encode_checkpoints(const std::vector<CheckpointEntry>& entries);

// `where` names the stored file in error messages. Every malformed input (empty, torn,
// a wrong checksum, an unknown version, bad numbers, trailing bytes) is a StatusKind::corrupt
// error of one line naming `where` and the fix (--reset-state).
Result<std::vector<CheckpointEntry>> decode_checkpoints(std::string_view bytes,
                                                        std::string_view where);

}  // namespace logtail
