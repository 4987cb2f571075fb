#include "splitter.h"

#include <cstring>

namespace logtail {

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

  while (pos < size) {
    const void* nl = std::memchr(data + pos, '\n', size - pos);
    if (nl == nullptr) break;
    const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
    std::size_t len = end - pos;
    if (len > max_) {
      lines.emplace_back(std::string_view(data + pos, max_), offset + pos, true);
    } else {
      if (len != 0 && data[end - 1] == '\r') --len;
      lines.emplace_back(std::string_view(data + pos, len), offset + pos);
    }
    pos = end + 1;
  }

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
