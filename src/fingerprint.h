// File fingerprints: a hash of a file's first bytes, used with (device, inode) to tell a file
// from the one that was there before. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace logtail {

// The fingerprint grows with the file up to this many bytes.
inline constexpr std::size_t kFingerprintMax = 4096;

// 64-bit FNV-1a of `prefix`. Stable across versions: it is stored in checkpoints.
std::uint64_t fingerprint_hash(std::string_view prefix);

}  // namespace logtail
