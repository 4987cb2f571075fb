#include "fingerprint.h"

namespace logtail {

namespace {
// The 64-bit FNV-1a parameters. They are part of the checkpoint format: changing them would
// make every stored fingerprint mismatch and every file look new.
constexpr std::uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;
}  // namespace

std::uint64_t fingerprint_hash(std::string_view prefix) {
  std::uint64_t hash = kFnvOffsetBasis;
  for (char c : prefix) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace logtail
