// Line and LineBatch: the bytes an observer sees.
//
// Owner: the engine. Thread: the engine's loop thread. Lifetime: every view (text, bytes,
// source) is valid only for the duration of the observer call that received it; copy what
// you keep.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace logtail {

class Line {
 public:
  Line() = default;
  Line(std::string_view text, std::uint64_t offset, bool truncated = false)
      : text_(text), offset_(offset), truncated_(truncated) {}

  // The line without its newline (a trailing "\r" is trimmed too). May hold any bytes,
  // NUL and invalid UTF-8 included.
  std::string_view text() const { return text_; }
  // Byte offset of the line's first byte in the file it was read from. For a compressed
  // rotated file the offset counts uncompressed bytes.
  std::uint64_t offset() const { return offset_; }
  // The line was longer than the engine's cap: text() holds its first cap bytes and the
  // rest was skipped.
  bool truncated() const { return truncated_; }

 private:
  std::string_view text_;
  std::uint64_t offset_ = 0;
  bool truncated_ = false;
};

// A run of complete lines read from one file in one go. All lines are views into one
// contiguous block, bytes(), in file order, so an observer can scan the block at once and map
// a position back to its line (see line_at()).
namespace detail {
// Finds the lines of a batch when they are first asked for: the engine's splitter. A batch
// made with one holds only complete lines, none over the engine's cap.
class LineFinder {
 public:
  virtual ~LineFinder() = default;
  virtual std::span<const Line> find(std::string_view bytes, std::uint64_t offset) const = 0;
};
}  // namespace detail

class LineBatch {
 public:
  LineBatch(std::string_view source, std::string_view bytes, std::uint64_t bytes_offset,
            std::span<const Line> lines)
      : source_(source), bytes_(bytes), bytes_offset_(bytes_offset), lines_(lines) {}
  // For the engine: complete lines, none over the cap, found by `finder` only when first
  // asked for. Observers that scan bytes() and want a few lines (line_holding()) spare the
  // engine finding them all.
  LineBatch(std::string_view source, std::string_view bytes, std::uint64_t bytes_offset,
            const detail::LineFinder& finder)
      : source_(source), bytes_(bytes), bytes_offset_(bytes_offset), finder_(&finder) {}

  // The path the lines were read from, as the engine watches it (a rotated file keeps the
  // path it had when it was opened).
  std::string_view source() const { return source_; }
  // The block all lines point into. It may also hold bytes that belong to no line (newlines,
  // the skipped rest of a truncated line).
  std::string_view bytes() const { return bytes_; }
  // File offset of bytes()[0].
  std::uint64_t bytes_offset() const { return bytes_offset_; }
  std::span<const Line> lines() const {
    if (finder_ != nullptr) find_lines();
    return lines_;
  }
  bool empty() const { return lines().empty(); }
  std::size_t size() const { return lines().size(); }

  // Index of the line holding bytes()[pos], or of the last line starting before it.
  // O(log n). Returns size() when pos lies before the first line.
  std::size_t line_at(std::size_t pos) const;

  // The line whose text holds bytes()[pos]; nullopt when that byte is in no line's text (a
  // newline, a trimmed '\r', the skipped rest of a truncated line). When the lines have not
  // been found yet it looks only around pos.
  std::optional<Line> line_holding(std::size_t pos) const;

  // False until lines() has been called on a batch made with a LineFinder.
  bool lines_found() const { return finder_ == nullptr; }

 private:
  void find_lines() const;

  std::string_view source_;
  std::string_view bytes_;
  std::uint64_t bytes_offset_ = 0;
  mutable std::span<const Line> lines_;
  mutable const detail::LineFinder* finder_ = nullptr;
};

}  // namespace logtail
