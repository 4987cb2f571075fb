#include "logtail/line.h"

#include <gtest/gtest.h>

#include <cstdint>
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
  EXPECT_TRUE(LineBatch("", "", 0, {}).empty());
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

}  // namespace
}  // namespace logtail
