// Blocks handed to observers unsplit: a block of complete lines, none over the cap, goes out
// as a LineBatch whose lines are found only if an observer asks for them. The `lines`
// observer does, and the block is split as before; the `incidents` observer scans the bytes
// and looks only at the lines it matched, so the engine finds just the block's last newline
// and checks that no line is over the cap.
#include <algorithm>
#include <cstring>

#include "engine/engine_impl.h"

namespace logtail {

using detail::Stream;

namespace {

// Below this cap, checking line lengths would cost about what splitting does.
constexpr std::size_t kMinUnsplitCap = std::size_t{64} << 10;

// Splits a batch's bytes when an observer first asks for its lines, into the engine's line
// vector (free while the batch is out).
class SplittingFinder final : public detail::LineFinder {
 public:
  SplittingFinder(std::size_t cap, std::vector<Line>& lines) : cap_(cap), lines_(lines) {}
  std::span<const Line> find(std::string_view bytes, std::uint64_t offset) const override {
    lines_.clear();
    LineSplitter splitter(cap_);
    splitter.split(bytes, offset, lines_);
    return lines_;
  }

 private:
  std::size_t cap_;
  std::vector<Line>& lines_;
};

// True when no line of `bytes` (whole lines) is longer than `cap`: each stretch of cap / 2
// bytes, from the start, holds a newline. A line over the cap, newline excluded, is at least
// 2 * (cap / 2) + 1 bytes long, so it would cover one of those stretches whole.
bool lines_within(std::string_view bytes, std::size_t cap) {
  const std::size_t step = cap / 2;
  for (std::size_t at = 0; at < bytes.size(); at += step) {
    const std::size_t n = std::min(step, bytes.size() - at);
    if (std::memchr(bytes.data() + at, '\n', n) == nullptr) return false;
  }
  return true;
}

}  // namespace

bool Engine::Impl::deliver_unsplit(Stream& s, std::string_view block, std::uint64_t base) {
  const std::size_t cap = options_.max_line_bytes;
  if (cap < kMinUnsplitCap || s.splitter.skipping() || (s.owner != nullptr && s.owner->joiner))
    return false;
  // The last newline. What follows it is the partial line carried to the next read, at most
  // a cap long (else the splitter must cut it).
  std::size_t end = block.size();
  while (end > 0 && block[end - 1] != '\n' && block.size() - end <= cap) --end;
  if (end == 0 || block[end - 1] != '\n') return false;
  const std::string_view bytes = block.substr(0, end);
  if (!lines_within(bytes, cap)) return false;

  const std::string tail(block.substr(end));
  const std::string& source = s.owner ? s.owner->path : s.file_path;
  const SplittingFinder finder(cap, lines_);
  const LineBatch batch(source, bytes, base, finder);
  observe(s, batch, true);
  // Each line of the block ends in a newline; counted after the observers, which have just
  // brought the bytes into the cache.
  const std::size_t lines = batch.lines_found() ? batch.size() : count_newlines(bytes);
  counters_.lines.fetch_add(lines, std::memory_order_relaxed);
  s.carry = tail;
  return true;
}

}  // namespace logtail
