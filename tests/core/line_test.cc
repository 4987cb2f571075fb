#include "logtail/line.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <random>
#include <string>
#include <vector>

#include "splitter.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

class LineTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(LineTest, LineAccessors) {
  const Line plain("text", 12);
  EXPECT_EQ(plain.text(), "text");
  EXPECT_EQ(plain.offset(), 12u);
  EXPECT_FALSE(plain.truncated());
  const Line cut("cut", 7, true);
  EXPECT_TRUE(cut.truncated());
  const Line empty;
  EXPECT_TRUE(empty.text().empty());
  EXPECT_EQ(empty.offset(), 0u);
}

TEST_F(LineTest, BatchAccessors) {
  const std::string bytes = "a\nb\n";
  const std::vector<Line> lines = {{std::string_view(bytes).substr(0, 1), 100},
                                   {std::string_view(bytes).substr(2, 1), 102}};
  const LineBatch batch("app.log", bytes, 100, lines);
  EXPECT_EQ(batch.source(), "app.log");
  EXPECT_EQ(batch.bytes(), bytes);
  EXPECT_EQ(batch.bytes_offset(), 100u);
  EXPECT_EQ(batch.size(), 2u);
  EXPECT_FALSE(batch.empty());
  EXPECT_EQ(batch.lines().data(), lines.data());
  EXPECT_TRUE(LineBatch("", "", 0, std::span<const Line>{}).empty());
}

// Builds the batch the engine would: the splitter's lines over `bytes`.
struct Built {
  std::string bytes;
  std::vector<Line> lines;
};

Built split(std::string bytes, std::uint64_t offset, std::size_t cap, bool skipping) {
  Built b{std::move(bytes), {}};
  LineSplitter splitter(cap);
  splitter.set_skipping(skipping);
  const std::size_t consumed = splitter.split(b.bytes, offset, b.lines);
  EXPECT_EQ(consumed, b.bytes.size()) << "test input should end with a newline";
  return b;
}

TEST_F(LineTest, LineAtTable) {
  struct Case {
    const char* name;
    std::string bytes;
    std::uint64_t offset;
    std::size_t cap;
    bool skipping;
    // want[pos] for every pos in bytes, plus pos == size and one past it.
    std::vector<std::size_t> want;
  };
  const std::vector<Case> cases = {
      // Positions: a a \n b b b \n \n c c \n
      {"plain lines", "aa\nbbb\n\ncc\n", 100, 64, false, {0, 0, 0, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3}},
      // The block starts inside a skipped line: positions before the first line have none.
      {"skipped start", "xxx\nab\n", 50, 64, true, {1, 1, 1, 1, 0, 0, 0, 0, 0}},
      // A truncated line's skipped rest belongs to it: "abcd" is cut at 2.
      {"truncated line", "abcd\nef\n", 0, 2, false, {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}},
      {"zero offset single line", "z\n", 0, 64, false, {0, 0, 0, 0}},
      {"no lines", "", 0, 64, false, {0, 0}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Built b = split(c.bytes, c.offset, c.cap, c.skipping);
    const LineBatch batch("f", b.bytes, c.offset, b.lines);
    ASSERT_EQ(c.want.size(), b.bytes.size() + 2);
    for (std::size_t pos = 0; pos < c.want.size(); ++pos) {
      EXPECT_EQ(batch.line_at(pos), c.want[pos]) << "pos " << pos;
    }
  }
}

TEST_F(LineTest, LineAtMatchesLinearScan) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::string bytes;
    const int n = static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      bytes.append(rng() % 12, 'x');
      bytes += '\n';
    }
    const std::uint64_t offset = rng() % 100000;
    const Built b = split(bytes, offset, 8, false);
    const LineBatch batch("f", b.bytes, offset, b.lines);
    for (std::size_t pos = 0; pos <= b.bytes.size(); ++pos) {
      std::size_t want = b.lines.size();
      for (std::size_t i = 0; i < b.lines.size(); ++i) {
        if (b.lines[i].offset() <= offset + pos) want = i;
      }
      ASSERT_EQ(batch.line_at(pos), want) << "pos " << pos;
      // And the line found does hold the position, unless it sits in skipped bytes.
      if (want < b.lines.size()) {
        const char* p = b.bytes.data() + pos;
        EXPECT_GE(p, b.lines[want].text().data());
      }
    }
  }
}

// Finds lines with the real splitter and counts how often it is asked.
class CountingFinder final : public detail::LineFinder {
 public:
  std::span<const Line> find(std::string_view bytes, std::uint64_t offset) const override {
    ++calls;
    lines.clear();
    LineSplitter(1 << 20).split(bytes, offset, lines);
    return lines;
  }
  mutable int calls = 0;
  mutable std::vector<Line> lines;
};

// line_holding() gives the same answer for every byte whether the lines were found or not,
// and finds them only when lines() is asked for.
TEST_F(LineTest, LineHoldingWithAndWithoutTheLinesFound) {
  const std::string bytes = "ab\r\ncd\n\nxyz\r\r\n\r\nq\n";
  CountingFinder finder;
  const LineBatch lazy("app.log", bytes, 100, finder);
  struct Want {
    std::size_t pos;
    std::optional<std::pair<std::string, std::uint64_t>> line;
  };
  const Want wants[] = {
      {0, {{"ab", 100}}},        {1, {{"ab", 100}}},   {2, std::nullopt},  // '\r' trimmed
      {3, std::nullopt},         {4, {{"cd", 104}}},   {6, std::nullopt},  // newline
      {7, std::nullopt},                                                   // empty line
      {8, {{"xyz\r", 108}}},     {11, {{"xyz\r", 108}}}, {12, std::nullopt},
      {14, std::nullopt},        {16, {{"q", 116}}},   {17, std::nullopt},
      {18, std::nullopt},                                                  // past the end
  };
  const auto check = [&](const LineBatch& batch) {
    for (const Want& w : wants) {
      SCOPED_TRACE("pos " + std::to_string(w.pos));
      const std::optional<Line> got = batch.line_holding(w.pos);
      ASSERT_EQ(got.has_value(), w.line.has_value());
      if (!got) continue;
      EXPECT_EQ(got->text(), w.line->first);
      EXPECT_EQ(got->offset(), w.line->second);
    }
  };
  check(lazy);
  EXPECT_EQ(finder.calls, 0);
  EXPECT_FALSE(lazy.lines_found());
  EXPECT_EQ(lazy.size(), 6u);
  EXPECT_EQ(finder.calls, 1);
  EXPECT_TRUE(lazy.lines_found());
  check(lazy);
  EXPECT_EQ(lazy.lines()[3].text(), "xyz\r");
  EXPECT_EQ(finder.calls, 1);
}

}  // namespace
}  // namespace logtail
