// Fuzz target: LineSplitter with and without a MultilineJoiner, driven the way the engine
// drives them (Engine::Impl::read_chunk and deliver_lines): each read is appended to the
// carried bytes, the block is split, complete records are delivered and the rest is carried
// into the next block; at the end the carry is finished as a rotated file's last line is.
//
// Input: byte 0 sets the line cap (1..48 bytes); byte 1 holds flags (bit 0: join records;
// bits 1-2: which start pattern, 0 being the built-in rules; bit 3: start inside a truncated
// line, as after a restart; bits 4-7: max_record_bytes, 0 for the line cap); byte 2 says how
// many of the next bytes (1..8) are read sizes, used in turn. The rest is the file's content.
//
// Checked: every line is a view inside the block it came from, at the offset it claims;
// offsets strictly increase; the carry stays within what the engine's buffer holds (a held
// record up to the record cap and a partial line up to the line cap); a line not truncated
// holds no '\n'; no line is longer than the cap, no joined record longer than the record
// cap; and the lines (records) are the same whatever the read sizes were, as long as no
// truncated line forced a record out early (with a joiner, their flags may differ: see below).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "logtail/line.h"
#include "logtail/multiline.h"
#include "multiline.h"
#include "splitter.h"

namespace {

using logtail::Line;
using logtail::LineSplitter;
using logtail::MultilineJoiner;

constexpr std::uint64_t kStartOffset = 1000;

struct Owned {
  std::uint64_t offset;
  bool truncated;
  std::string text;
  friend bool operator==(const Owned&, const Owned&) = default;
};

struct Config {
  std::size_t max_line = 1;
  bool join = false;
  int pattern = 0;
  bool start_skipping = false;
  std::size_t max_record = 0;
  std::vector<std::size_t> read_sizes;
};

// One file read through the engine's loop: the splitter, an optional joiner, the carry.
class Reader {
 public:
  Reader(const Config& config, const MultilineJoiner* joiner)
      : splitter_(config.max_line), joiner_(joiner), max_line_(config.max_line) {
    splitter_.set_skipping(config.start_skipping);
    record_cap_ = max_line_;
    if (config.max_record != 0 && config.max_record < record_cap_) record_cap_ = config.max_record;
  }

  void read(std::string_view bytes) {
    std::string block = carry_ + std::string(bytes);
    lines_.clear();
    const std::size_t split_end = splitter_.split(block, base_, lines_);
    FUZZ_CHECK(split_end <= block.size());
    // The splitter alone never leaves more than the cap behind.
    FUZZ_CHECK(block.size() - split_end <= max_line_);
    deliver(block, split_end, false);
  }

  void finish() {
    std::string block = carry_;
    lines_.clear();
    const std::size_t end = splitter_.finish(block, base_, lines_);
    FUZZ_CHECK(end == block.size());
    FUZZ_CHECK(!splitter_.skipping());
    deliver(block, end, true);
    FUZZ_CHECK(carry_.empty());
  }

  const std::vector<Owned>& got() const { return got_; }
  // A line was cut at the line cap (not a record at the record cap).
  bool saw_truncated() const { return saw_truncated_; }

 private:
  void deliver(const std::string& block, std::size_t consumed, bool flush) {
    // Held lines are split again with the next block, so with a joiner only the records'
    // offsets increase from block to block.
    std::optional<std::uint64_t> block_last;
    check_views(block, lines_, false, joiner_ != nullptr ? block_last : last_offset_);
    for (const Line& line : lines_) saw_truncated_ = saw_truncated_ || line.truncated();
    std::vector<Line>* out = &lines_;
    if (joiner_ != nullptr && !lines_.empty()) {
      records_.clear();
      const bool cut = splitter_.skipping() || lines_.back().truncated();
      const std::size_t used = joiner_->join(block, base_, lines_, flush || cut, records_);
      FUZZ_CHECK(used <= lines_.size());
      if (flush || cut) FUZZ_CHECK(used == lines_.size());
      if (used < lines_.size()) consumed = static_cast<std::size_t>(lines_[used].offset() - base_);
      check_views(block, records_, true, last_offset_);
      out = &records_;
    }
    for (const Line& line : *out) {
      got_.push_back({line.offset(), line.truncated(), std::string(line.text())});
    }
    FUZZ_CHECK(consumed <= block.size());
    carry_ = block.substr(consumed);
    base_ += consumed;
    // The engine's buffer holds twice the line cap plus one read: the carry must fit in the
    // first part, whatever the joiner holds back.
    FUZZ_CHECK(carry_.size() <= 2 * max_line_);
  }

  void check_views(const std::string& block, const std::vector<Line>& lines, bool records,
                   std::optional<std::uint64_t>& last) {
    const char* const begin = block.data();
    const char* const end = block.data() + block.size();
    for (const Line& line : lines) {
      const std::string_view text = line.text();
      FUZZ_CHECK(text.data() >= begin && text.data() + text.size() <= end);
      // A line's (a record's) offset is that of its first byte.
      FUZZ_CHECK(line.offset() == base_ + static_cast<std::uint64_t>(text.data() - begin));
      FUZZ_CHECK(!last || line.offset() > *last);
      last = line.offset();
      FUZZ_CHECK(text.size() <= max_line_);
      if (records) {
        FUZZ_CHECK(text.size() <= record_cap_ || text.find('\n') == std::string_view::npos);
      } else if (!line.truncated()) {
        FUZZ_CHECK(text.find('\n') == std::string_view::npos);
      }
    }
  }

  LineSplitter splitter_;
  const MultilineJoiner* joiner_;
  std::size_t max_line_;
  std::size_t record_cap_ = 0;
  std::string carry_;
  std::uint64_t base_ = kStartOffset;
  std::vector<Line> lines_;
  std::vector<Line> records_;
  std::vector<Owned> got_;
  std::optional<std::uint64_t> last_offset_;
  bool saw_truncated_ = false;
};

std::optional<MultilineJoiner> make_joiner(const Config& config) {
  static constexpr const char* kPatterns[] = {"", "^\\d", "^[A-Z]", "^\\["};
  logtail::MultilineOptions options;
  options.start_pattern = kPatterns[config.pattern];
  options.max_record_bytes = config.max_record;
  auto joiner = MultilineJoiner::make(options, config.max_line);
  FUZZ_CHECK(joiner.ok());
  return std::move(joiner).value();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  Config config;
  config.max_line = 1 + data[0] % 48;
  config.join = (data[1] & 1) != 0;
  config.pattern = (data[1] >> 1) & 3;
  config.start_skipping = (data[1] & 8) != 0;
  config.max_record = data[1] >> 4;
  const std::size_t sizes = 1 + data[2] % 8;
  if (size < 3 + sizes) return 0;
  for (std::size_t i = 0; i < sizes; ++i) config.read_sizes.push_back(1 + data[3 + i] % 64);
  const std::string_view content(reinterpret_cast<const char*>(data) + 3 + sizes,
                                 size - 3 - sizes);

  std::optional<MultilineJoiner> joiner;
  if (config.join) joiner = make_joiner(config);
  const MultilineJoiner* j = joiner ? &*joiner : nullptr;

  Reader chunked(config, j);
  std::size_t pos = 0;
  for (std::size_t k = 0; pos < content.size(); ++k) {
    const std::size_t n = config.read_sizes[k % config.read_sizes.size()];
    chunked.read(content.substr(pos, n));
    pos += n;
  }
  chunked.finish();

  Reader whole(config, j);
  if (!content.empty()) whole.read(content);
  whole.finish();

  if (j == nullptr) {
    FUZZ_CHECK(chunked.got() == whole.got());
    return 0;
  }
  // A truncated line makes the engine deliver a held record at once (its rest cannot be
  // split again), so where records end then depends on the reads. A record delivered early
  // because it and the partial line after it would overfill the buffer is the same record,
  // but not flagged truncated when its next line is cut off from it.
  if (whole.saw_truncated()) return 0;
  const auto& a = chunked.got();
  const auto& b = whole.got();
  FUZZ_CHECK(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    FUZZ_CHECK(a[i].offset == b[i].offset && a[i].text == b[i].text);
  return 0;
}
