#include "splitter.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace logtail {
namespace {

// Calls `on_newline(pos)` for every '\n' in data[from, size), in order.
//
// Log lines are short (about 100 bytes), so a memchr call per line spends much of its time
// starting and ending. With SSE2 (every x86-64 CPU has it) the scan instead compares 64
// bytes at a time into a bit mask and walks its set bits, which costs the same whatever the
// line lengths. Elsewhere memchr does the job.
template <class OnNewline>
void for_each_newline(const char* data, std::size_t from, std::size_t size,
                      OnNewline&& on_newline) {
  std::size_t pos = from;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  for (; pos + 64 <= size; pos += 64) {
    const char* p = data + pos;
    const auto eq = [&](int i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      return static_cast<std::uint64_t>(
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))));
    };
    std::uint64_t mask = eq(0) | eq(1) << 16 | eq(2) << 32 | eq(3) << 48;
    while (mask != 0) {
      on_newline(pos + static_cast<std::size_t>(__builtin_ctzll(mask)));
      mask &= mask - 1;
    }
  }
#endif
  while (pos < size) {
    const void* found = std::memchr(data + pos, '\n', size - pos);
    if (found == nullptr) return;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(found) - data);
    on_newline(at);
    pos = at + 1;
  }
}

}  // namespace

std::size_t count_newlines(std::string_view bytes) {
  const char* data = bytes.data();
  std::size_t pos = 0;
  std::size_t count = 0;
#if defined(__SSE2__)
  // Each compare gives -1 in the bytes that are '\n'; subtracting it counts per byte lane,
  // up to 255 times before a lane could overflow, and a sum of absolute differences against
  // zero then adds the lanes up. No popcount instruction is needed (baseline x86-64 has none).
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i zero = _mm_setzero_si128();
  __m128i sums = zero;
  while (bytes.size() - pos >= 16) {
    const std::size_t rounds = std::min<std::size_t>((bytes.size() - pos) / 16, 255);
    __m128i lanes = zero;
    for (std::size_t r = 0; r < rounds; ++r, pos += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, nl));
    }
    sums = _mm_add_epi64(sums, _mm_sad_epu8(lanes, zero));
  }
  count = static_cast<std::size_t>(_mm_cvtsi128_si64(sums)) +
          static_cast<std::size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
#endif
  for (; pos < bytes.size(); ++pos) count += data[pos] == '\n' ? 1 : 0;
  return count;
}

// The cap is measured on the line as it is in the file, '\r' included and '\n' excluded.
// Measuring before the '\r' is trimmed keeps the result independent of where blocks end: a
// partial line is judged by its raw length before its newline has arrived, so a complete
// line must be judged the same way. A CRLF line whose text is exactly the cap is therefore
// flagged truncated, though its text is whole.
std::size_t LineSplitter::split(std::string_view block, std::uint64_t offset,
                                std::vector<Line>& lines) {
  const char* const data = block.data();
  const std::size_t size = block.size();
  std::size_t pos = 0;

  if (skipping_) {
    const void* nl = size ? std::memchr(data, '\n', size) : nullptr;
    if (nl == nullptr) return size;  // still inside the truncated line
    pos = static_cast<std::size_t>(static_cast<const char*>(nl) - data) + 1;
    skipping_ = false;
  }

  // `pos` is the start of the line whose newline comes next.
  for_each_newline(data, pos, size, [&](std::size_t end) {
    std::size_t len = end - pos;
    if (len > max_) {
      lines.emplace_back(std::string_view(data + pos, max_), offset + pos, true);
    } else {
      if (len != 0 && data[end - 1] == '\r') --len;
      lines.emplace_back(std::string_view(data + pos, len), offset + pos);
    }
    pos = end + 1;
  });

  // A partial line may be carried only while it fits the cap; beyond it, cut it now so the
  // caller's carry (and so its buffer) stays bounded, and skip the rest up to its newline.
  if (size - pos > max_) {
    lines.emplace_back(std::string_view(data + pos, max_), offset + pos, true);
    skipping_ = true;
    return size;
  }
  return pos;
}

// After the end of input the splitter is back in its initial state (not skipping), ready for
// the next file: a truncated line cut short by the end of input has ended with it.
std::size_t LineSplitter::finish(std::string_view block, std::uint64_t offset,
                                 std::vector<Line>& lines) {
  const std::size_t pos = split(block, offset, lines);
  if (pos < block.size()) {
    // The rest fits the cap (split() cut it otherwise) and has no newline, so no '\r' is
    // trimmed: it is not a line ending.
    lines.emplace_back(block.substr(pos), offset + pos);
  }
  skipping_ = false;
  return block.size();
}

}  // namespace logtail
