#include "multiline.h"

#include <fmt/format.h>

namespace logtail {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<MultilineJoiner> MultilineJoiner::make(const MultilineOptions& options,
                                              std::size_t max_line_bytes) {
  if (options.flush_timeout.count() <= 0)
    return Status(StatusKind::invalid_argument,
                  "multiline flush_timeout must be above zero (for example 1s)");
  std::size_t cap = options.max_record_bytes == 0 ? max_line_bytes
                                                  : std::min(options.max_record_bytes, max_line_bytes);
  MultilineJoiner joiner(options, cap, max_line_bytes);
  if (!options.start_pattern.empty()) {
    try {
      joiner.start_.emplace(options.start_pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      return Status(StatusKind::invalid_argument,
                    fmt::format("multiline start pattern '{}' is not a valid regex: {}",
                                options.start_pattern, e.what()));
    }
  }
  return joiner;
}

bool MultilineJoiner::continues(std::string_view line, bool& in_traceback) {
  if (starts_with(line, "Traceback (most recent call last):")) {
    in_traceback = true;
    return true;
  }
  const bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
  if (in_traceback) {
    // Frames are indented; the first line that is not ends the traceback and belongs to it
    // ("ValueError: boom").
    if (!indented) in_traceback = false;
    return true;
  }
  return indented || starts_with(line, "at ") || starts_with(line, "...") ||
         starts_with(line, "Caused by:") || starts_with(line, "Suppressed:");
}

bool MultilineJoiner::starts_record(std::string_view line, bool& in_traceback) const {
  if (start_) return std::regex_search(line.begin(), line.end(), *start_);
  return !continues(line, in_traceback);
}

std::size_t MultilineJoiner::join(std::string_view bytes, std::uint64_t base,
                                  std::span<const Line> lines, bool flush,
                                  std::vector<Line>& out) const {
  // A record is lines[first, i); it is emitted when the next record starts.
  auto emit = [&](std::size_t first, std::size_t last, bool cut) {
    const Line& a = lines[first];
    const Line& b = lines[last - 1];
    const std::size_t from = static_cast<std::size_t>(a.offset() - base);
    const std::size_t to = static_cast<std::size_t>(b.offset() - base) + b.text().size();
    bool truncated = cut;
    for (std::size_t k = first; k < last; ++k) truncated = truncated || lines[k].truncated();
    out.emplace_back(bytes.substr(from, to - from), a.offset(), truncated);
  };
  bool in_traceback = false;
  std::size_t first = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i == first) {
      // The record's own first line may open a traceback ("Traceback ..." after a cut).
      (void)starts_record(lines[i].text(), in_traceback);
      continue;
    }
    const std::size_t size =
        static_cast<std::size_t>(lines[i].offset() - lines[first].offset()) + lines[i].text().size();
    if (starts_record(lines[i].text(), in_traceback)) {
      emit(first, i, false);
      first = i;
    } else if (size > cap_) {
      emit(first, i, true);
      first = i;
      in_traceback = false;
    }
  }
  // The held record fits the cap and the partial line after it fits max_line, but the cap
  // leaves out the record's last line end ("\n" or "\r\n"), so the two together can be up
  // to two bytes more than twice max_line and overrun the caller's buffer. Such a record is
  // delivered now. Little is lost: if the partial line continues it, that line (nearly
  // max_line long) cuts it at the cap anyway; the record is then just not flagged truncated.
  const bool overfull =
      first < lines.size() &&
      bytes.size() - static_cast<std::size_t>(lines[first].offset() - base) > 2 * max_line_;
  if (first < lines.size() && (flush || overfull)) {
    emit(first, lines.size(), false);
    return lines.size();
  }
  return first;
}

}  // namespace logtail
