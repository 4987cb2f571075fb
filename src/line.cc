#include "logtail/line.h"

#include <algorithm>

namespace logtail {

// Lines are in file order, so their offsets are sorted. Comparing file offsets rather than
// positions in bytes() keeps the search free of underflow for any line.
std::size_t LineBatch::line_at(std::size_t pos) const {
  const std::uint64_t target = bytes_offset_ + pos;
  const auto after = std::upper_bound(
      lines_.begin(), lines_.end(), target,
      [](std::uint64_t t, const Line& line) { return t < line.offset(); });
  if (after == lines_.begin()) return lines_.size();
  return static_cast<std::size_t>(after - lines_.begin()) - 1;
}

}  // namespace logtail
