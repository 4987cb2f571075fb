// LineSplitter: the pure core that cuts a block of bytes into lines. No I/O.
//
// The caller reads into a buffer that starts with the carried partial line of the previous
// block, so every line of a block is contiguous. split() returns how many bytes it accounted
// for; the caller carries block[consumed..] into the next block. The carry is never longer
// than max_line_bytes, so a buffer of max_line_bytes + read size always suffices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "logtail/line.h"

namespace logtail {

// How many '\n' bytes `bytes` holds.
std::size_t count_newlines(std::string_view bytes);

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes) : max_(max_line_bytes) {}

  // Appends the complete lines of `block` (whose first byte is at file offset `offset`) to
  // `lines`. A line is complete once its '\n' is in the block; one trailing '\r' is trimmed.
  // A line longer than the cap yields its first max_line_bytes bytes, flagged truncated, and
  // the rest up to its newline is consumed without a line (also across later blocks).
  // Returns the number of bytes consumed: complete lines with their newlines, and skipped
  // bytes. The rest is a partial line shorter than or equal to the cap.
  // The cap counts the raw line, '\r' included: the only rule that cuts a line the same way
  // wherever a read happens to end.
  std::size_t split(std::string_view block, std::uint64_t offset, std::vector<Line>& lines);

  // The input has ended for good (a rotated file read to its end): the partial line left
  // in `block` becomes a line of its own (keeping a final '\r'). Returns block.size() and
  // leaves the splitter not skipping.
  std::size_t finish(std::string_view block, std::uint64_t offset, std::vector<Line>& lines);

  // True while the rest of a truncated line is being skipped. Persisted in checkpoints so a
  // restart inside a long line skips to its end rather than delivering the tail as a line.
  bool skipping() const { return skipping_; }
  void set_skipping(bool skipping) { skipping_ = skipping; }
  std::size_t max_line_bytes() const { return max_; }

 private:
  std::size_t max_;
  bool skipping_ = false;
};

}  // namespace logtail
