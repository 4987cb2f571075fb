// MultilineJoiner: the pure core that joins continuation lines into records. No I/O.
//
// Lines come in blocks, each a run of complete lines that are contiguous in one buffer, so a
// record is simply the span from its first line's first byte to its last line's last byte.
// The last record of a block may continue in the next block: the joiner leaves its lines
// unconsumed and the caller carries their bytes into the next block, where they are split
// and offered again. That also keeps a checkpoint from ever falling inside a record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <span>
#include <string_view>
#include <vector>

#include "logtail/line.h"
#include "logtail/multiline.h"
#include "logtail/status.h"

namespace logtail {

class MultilineJoiner {
 public:
  // A bad start_pattern is an invalid_argument error naming it.
  static Result<MultilineJoiner> make(const MultilineOptions& options, std::size_t max_line_bytes);

  // Appends the records made of `lines` to `out`. `bytes` is the block the lines point into,
  // starting at file offset `base`. With `flush`, the last record is complete too (the input
  // ended or the flush timeout passed). Returns how many of `lines` were consumed; the
  // caller carries bytes from lines[consumed].offset() on. What is carried, a held record
  // and the partial line after it, is never more than twice max_line_bytes: the engine's
  // buffer holds that much besides a read.
  std::size_t join(std::string_view bytes, std::uint64_t base, std::span<const Line> lines,
                   bool flush, std::vector<Line>& out) const;

  const MultilineOptions& options() const { return options_; }

  // True when `line` continues the record before it under the built-in rules; `in_traceback`
  // carries the state of a Python traceback across lines.
  static bool continues(std::string_view line, bool& in_traceback);

 private:
  MultilineJoiner(MultilineOptions options, std::size_t cap, std::size_t max_line)
      : options_(std::move(options)), cap_(cap), max_line_(max_line) {}
  bool starts_record(std::string_view line, bool& in_traceback) const;

  MultilineOptions options_;
  std::size_t cap_;
  std::size_t max_line_;
  std::optional<std::regex> start_;
};

}  // namespace logtail
