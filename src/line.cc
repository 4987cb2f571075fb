#include "logtail/line.h"

#include <algorithm>
#include <cstring>

namespace logtail {

// Lines are in file order, so their offsets are sorted. Comparing file offsets rather than
// positions in bytes() keeps the search free of underflow for any line.
std::size_t LineBatch::line_at(std::size_t pos) const {
  const std::uint64_t target = bytes_offset_ + pos;
  const std::span<const Line> all = lines();
  const auto after = std::upper_bound(
      all.begin(), all.end(), target,
      [](std::uint64_t t, const Line& line) { return t < line.offset(); });
  if (after == all.begin()) return all.size();
  return static_cast<std::size_t>(after - all.begin()) - 1;
}

void LineBatch::find_lines() const {
  lines_ = finder_->find(bytes_, bytes_offset_);
  finder_ = nullptr;
}

std::optional<Line> LineBatch::line_holding(std::size_t pos) const {
  if (pos >= bytes_.size()) return std::nullopt;
  if (finder_ == nullptr) {
    const std::size_t i = line_at(pos);
    if (i >= lines_.size()) return std::nullopt;
    const Line& line = lines_[i];
    if (bytes_offset_ + pos >= line.offset() + line.text().size()) return std::nullopt;
    return line;
  }
  // Complete lines within the cap, the last one ending the batch: the line is what lies
  // between the newlines around pos, less one trailing '\r', as the splitter cuts it.
  const char* data = bytes_.data();
  if (data[pos] == '\n') return std::nullopt;
  std::size_t begin = pos;
  while (begin > 0 && data[begin - 1] != '\n') --begin;
  const void* nl = std::memchr(data + pos, '\n', bytes_.size() - pos);
  if (nl == nullptr) return std::nullopt;
  std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
  if (end > begin && data[end - 1] == '\r') --end;
  if (pos >= end) return std::nullopt;
  return Line(std::string_view(data + begin, end - begin), bytes_offset_ + begin);
}

}  // namespace logtail
