#include "splitter.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace logtail {
namespace {

using std::string_literals::operator""s;

// A line as the test sees it: owned, so it survives the caller's buffer.
struct Got {
  std::uint64_t offset;
  bool truncated;
  std::string text;
  bool operator==(const Got&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{" << g.offset << ", " << (g.truncated ? "truncated" : "whole") << ", \""
            << ::testing::PrintToString(g.text) << "\"}";
}

std::vector<Got> own(const std::vector<Line>& lines) {
  std::vector<Got> out;
  for (const Line& l : lines) out.push_back({l.offset(), l.truncated(), std::string(l.text())});
  return out;
}

// Checks that every line is a view into `block`: the splitter never copies.
void expect_views_into(const std::vector<Line>& lines, std::string_view block) {
  for (const Line& l : lines) {
    EXPECT_GE(l.text().data(), block.data());
    EXPECT_LE(l.text().data() + l.text().size(), block.data() + block.size());
  }
}

// The engine's loop: each read lands after the carried partial line, the splitter runs over
// carry + new bytes, and the unconsumed rest is carried to the next read. At the end,
// finish() (when asked) flushes the last partial line.
class CallerLoop {
 public:
  CallerLoop(LineSplitter& splitter, std::uint64_t start_offset)
      : splitter_(splitter), buffer_offset_(start_offset) {}

  void read(std::string_view bytes) {
    buffer_.append(bytes);
    std::vector<Line> lines;
    const std::size_t consumed = splitter_.split(buffer_, buffer_offset_, lines);
    take(lines, consumed);
    ASSERT_LE(buffer_.size(), splitter_.max_line_bytes()) << "the carry must stay under the cap";
  }

  void finish() {
    std::vector<Line> lines;
    const std::size_t consumed = splitter_.finish(buffer_, buffer_offset_, lines);
    EXPECT_EQ(consumed, buffer_.size());
    take(lines, consumed);
    EXPECT_TRUE(buffer_.empty());
    EXPECT_FALSE(splitter_.skipping());
  }

  const std::vector<Got>& got() const { return got_; }

 private:
  void take(const std::vector<Line>& lines, std::size_t consumed) {
    ASSERT_LE(consumed, buffer_.size());
    expect_views_into(lines, buffer_);
    const std::vector<Got> owned = own(lines);
    got_.insert(got_.end(), owned.begin(), owned.end());
    buffer_.erase(0, consumed);
    buffer_offset_ += consumed;
  }

  LineSplitter& splitter_;
  std::string buffer_;
  std::uint64_t buffer_offset_;
  std::vector<Got> got_;
};

// One split() call on one block.
struct SplitCase {
  const char* name;
  std::string block;
  std::size_t cap;
  std::uint64_t offset;
  bool skipping_before;
  std::vector<Got> want;
  std::size_t want_consumed;
  bool want_skipping;
};

class SplitterTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(SplitterTest, SingleBlockTable) {
  const std::vector<SplitCase> cases = {
      {"empty block", "", 8, 0, false, {}, 0, false},
      {"empty block while skipping", "", 8, 0, true, {}, 0, true},
      {"no newline", "abc", 8, 0, false, {}, 0, false},
      {"single newline", "\n", 8, 0, false, {{0, false, ""}}, 1, false},
      {"crlf alone", "\r\n", 8, 0, false, {{0, false, ""}}, 2, false},
      {"one cr of two trimmed", "\r\r\n", 8, 0, false, {{0, false, "\r"}}, 3, false},
      {"lone cr inside kept", "a\rb\n", 8, 0, false, {{0, false, "a\rb"}}, 4, false},
      {"inner and final cr", "a\rb\r\n", 8, 0, false, {{0, false, "a\rb"}}, 5, false},
      {"cr at block end carried", "abc\r", 8, 0, false, {}, 0, false},
      {"lone cr carried", "\r", 8, 0, false, {}, 0, false},
      {"line exactly at cap", "abcd\n", 4, 0, false, {{0, false, "abcd"}}, 5, false},
      {"line one over cap", "abcde\n", 4, 0, false, {{0, true, "abcd"}}, 6, false},
      {"crlf line counts its cr", "abcd\r\n", 4, 0, false, {{0, true, "abcd"}}, 6, false},
      {"crlf line within cap", "abc\r\n", 4, 0, false, {{0, false, "abc"}}, 5, false},
      {"rest exactly at cap carried", "abcd", 4, 0, false, {}, 0, false},
      {"rest over cap cut", "abcde", 4, 0, false, {{0, true, "abcd"}}, 5, true},
      {"line then rest over cap", "x\nabcdefg", 4, 10, false,
       {{10, false, "x"}, {12, true, "abcd"}}, 9, true},
      {"line then rest at cap", "x\nabcd", 4, 10, false, {{10, false, "x"}}, 2, false},
      {"skipping ends at newline", "rest\nnext\n", 8, 100, true, {{105, false, "next"}}, 10,
       false},
      {"skipping whole block", "rest without end", 8, 0, true, {}, 16, true},
      {"skipping just the newline", "\n", 8, 0, true, {}, 1, false},
      {"skipping then long rest", "rest\nabcdefg", 4, 0, true, {{5, true, "abcd"}}, 12, true},
      {"skipping then partial", "rest\nab", 4, 0, true, {}, 5, false},
      {"nul bytes", "a\0b\n\0\n"s, 8, 0, false, {{0, false, "a\0b"s}, {4, false, "\0"s}}, 6,
       false},
      {"invalid utf-8 verbatim", "\xff\xc3(\xed\xa0\x80\n", 8, 0, false,
       {{0, false, "\xff\xc3(\xed\xa0\x80"}}, 7, false},
      {"offsets", "a\nbb\n\nccc\nd", 8, 1000, false,
       {{1000, false, "a"}, {1002, false, "bb"}, {1005, false, ""}, {1006, false, "ccc"}}, 10,
       false},
      {"zero cap", "\nab\n", 0, 0, false, {{0, false, ""}, {1, true, ""}}, 4, false},
      {"zero cap partial", "a", 0, 0, false, {{0, true, ""}}, 1, true},
      {"large offset", "x\n", 8, 0xFFFF'FFFF'FF00ULL, false, {{0xFFFF'FFFF'FF00ULL, false, "x"}},
       2, false},
  };
  for (const SplitCase& c : cases) {
    SCOPED_TRACE(c.name);
    LineSplitter splitter(c.cap);
    splitter.set_skipping(c.skipping_before);
    std::vector<Line> lines;
    EXPECT_EQ(splitter.split(c.block, c.offset, lines), c.want_consumed);
    EXPECT_EQ(own(lines), c.want);
    EXPECT_EQ(splitter.skipping(), c.want_skipping);
    expect_views_into(lines, c.block);
  }
}

// Several reads through the engine's carry loop.
struct StreamCase {
  const char* name;
  std::size_t cap;
  std::uint64_t offset;
  bool skipping_before;  // as restored from a checkpoint
  std::vector<std::string> reads;
  bool finish;
  std::vector<Got> want;
};

TEST_F(SplitterTest, StreamTable) {
  const std::string x10(10, 'x');
  const std::vector<StreamCase> cases = {
      {"cr at block end then lf", 10, 0, false, {"abc\r", "\ndef\n"}, false,
       {{0, false, "abc"}, {5, false, "def"}}},
      {"lf alone in its own read", 10, 0, false, {"abc", "\r", "\n"}, false, {{0, false, "abc"}}},
      {"line at cap across reads", 4, 0, false, {"ab", "cd", "\n"}, false, {{0, false, "abcd"}}},
      {"line over cap across reads", 4, 0, false, {"ab", "cd", "e", "\n", "f\n"}, false,
       {{0, true, "abcd"}, {6, false, "f"}}},
      {"crlf at cap across reads", 4, 0, false, {"abcd", "\r", "\n", "g\n"}, false,
       {{0, true, "abcd"}, {6, false, "g"}}},
      {"huge line skipped across many reads", 8, 0, false,
       {"start\nxx", x10, x10, x10, x10, x10, "yyy\nend\n"}, false,
       {{0, false, "start"}, {6, true, "xxxxxxxx"}, {62, false, "end"}}},
      {"two huge lines in a row", 4, 0, false, {"aaaaaa", "aa\nbbbb", "bbb", "\nc\n"}, false,
       {{0, true, "aaaa"}, {9, true, "bbbb"}, {17, false, "c"}}},
      {"skipping restored from a checkpoint", 8, 500, true,
       {"tail of a long line", " more\nnext\n"}, false, {{525, false, "next"}}},
      {"skipping restored, newline first", 8, 500, true, {"\nnext\n"}, false,
       {{501, false, "next"}}},
      {"finish flushes partial", 8, 0, false, {"a\nbc"}, true, {{0, false, "a"}, {2, false, "bc"}}},
      {"finish keeps final cr", 8, 0, false, {"x\r"}, true, {{0, false, "x\r"}}},
      {"finish with nothing left", 8, 0, false, {"a\n"}, true, {{0, false, "a"}}},
      {"finish with no input", 8, 0, false, {}, true, {}},
      {"finish partial at cap", 4, 0, false, {"ab", "cd"}, true, {{0, false, "abcd"}}},
      {"finish while skipping", 4, 0, false, {"abcdefgh", "ij"}, true, {{0, true, "abcd"}}},
      {"finish with empty lines", 4, 7, false, {"\n\n\r\n"}, true,
       {{7, false, ""}, {8, false, ""}, {9, false, ""}}},
  };
  for (const StreamCase& c : cases) {
    SCOPED_TRACE(c.name);
    LineSplitter splitter(c.cap);
    splitter.set_skipping(c.skipping_before);
    CallerLoop loop(splitter, c.offset);
    for (const std::string& r : c.reads) loop.read(r);
    if (c.finish) loop.finish();
    EXPECT_EQ(loop.got(), c.want);
  }
}

TEST_F(SplitterTest, AppendsToCallersVector) {
  LineSplitter splitter(16);
  std::vector<Line> lines;
  lines.emplace_back("kept", 0);
  EXPECT_EQ(splitter.split("a\nb\n", 10, lines), 4u);
  EXPECT_EQ(own(lines), (std::vector<Got>{{0, false, "kept"}, {10, false, "a"}, {12, false, "b"}}));
}

TEST_F(SplitterTest, ManyShortLines) {
  std::string block;
  std::vector<Got> want;
  for (int i = 0; i < 20000; ++i) {
    std::string text = std::to_string(i);
    if (i % 3 == 0) text.clear();
    want.push_back({block.size() + 42, false, text});
    block += text;
    block += (i % 2 == 0) ? "\r\n" : "\n";
  }
  LineSplitter splitter(64);
  std::vector<Line> lines;
  EXPECT_EQ(splitter.split(block, 42, lines), block.size());
  EXPECT_EQ(own(lines), want);
}

TEST_F(SplitterTest, MaxLineBytes) {
  EXPECT_EQ(LineSplitter(1 << 20).max_line_bytes(), std::size_t{1} << 20);
}

// Golden files: tests/data/splitter/<case>.in is split with a cap of kGoldenCap bytes and must
// give <case>.out, one line per line: offset, 1 if truncated else 0, and the text with '\\'
// written as "\\\\" and bytes outside printable ASCII as \xHH. The same output is expected
// whatever the size of the reads.
constexpr std::size_t kGoldenCap = 16;

std::string escape_for_golden(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string format_golden(const std::vector<Got>& lines) {
  std::string out;
  for (const Got& g : lines) {
    out += std::to_string(g.offset) + "\t" + (g.truncated ? "1" : "0") + "\t" +
           escape_for_golden(g.text) + "\n";
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The splitter's result written the plainest way: every raw line (without its '\n') of the
// whole input, cut at the cap or with one '\r' trimmed; the unterminated rest, cut at the cap.
std::vector<Got> reference_split(std::string_view input, std::size_t cap) {
  std::vector<Got> out;
  std::size_t start = 0;
  while (start < input.size()) {
    const std::size_t nl = input.find('\n', start);
    const bool complete = nl != std::string_view::npos;
    std::string_view raw = input.substr(start, (complete ? nl : input.size()) - start);
    if (raw.size() > cap) {
      out.push_back({start, true, std::string(raw.substr(0, cap))});
    } else {
      if (complete && !raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      out.push_back({start, false, std::string(raw)});
    }
    if (!complete) break;
    start = nl + 1;
  }
  return out;
}

// Random inputs, caps and read sizes against reference_split(): newlines at every position
// relative to the splitter's 64-byte scan blocks, lines around the cap, '\r' before and
// after block edges.
TEST_F(SplitterTest, MatchesReferenceOnRandomInput) {
  std::mt19937 rng(20261126);
  const std::string alphabet("ab\n\r\n x\0", 8);
  for (int round = 0; round < 400; ++round) {
    const std::size_t cap = std::vector<std::size_t>{1, 5, 63, 64, 65, 130, 1000}[round % 7];
    std::string input(std::uniform_int_distribution<std::size_t>(0, 700)(rng), 'a');
    const std::size_t sparse = std::uniform_int_distribution<std::size_t>(1, 120)(rng);
    for (char& c : input) {
      const std::size_t r = std::uniform_int_distribution<std::size_t>(0, sparse)(rng);
      c = r < alphabet.size() ? alphabet[r] : 'a';
    }
    const std::size_t read_size = std::uniform_int_distribution<std::size_t>(1, 300)(rng);
    SCOPED_TRACE("round " + std::to_string(round) + ", cap " + std::to_string(cap) +
                 ", reads of " + std::to_string(read_size));
    LineSplitter splitter(cap);
    CallerLoop loop(splitter, 0);
    for (std::size_t at = 0; at < input.size(); at += read_size) {
      loop.read(std::string_view(input).substr(at, read_size));
    }
    loop.finish();
    ASSERT_EQ(loop.got(), reference_split(input, cap));
  }
}

TEST_F(SplitterTest, CountNewlines) {
  EXPECT_EQ(count_newlines(""), 0u);
  EXPECT_EQ(count_newlines("no newline"), 0u);
  EXPECT_EQ(count_newlines("\n"), 1u);
  std::string text;
  std::size_t want = 0;
  for (int i = 0; i < 300; ++i) {
    text += std::string(static_cast<std::size_t>(i % 70), 'x') + (i % 3 == 0 ? "\r\n" : "\n");
    ++want;
    // Every length, so newlines fall on every position of the 64-byte scan blocks.
    EXPECT_EQ(count_newlines(text), want);
    EXPECT_EQ(count_newlines(std::string_view(text).substr(1)), want);
  }
}

class SplitterGoldenTest : public SplitterTest,
                           public ::testing::WithParamInterface<const char*> {};

TEST_P(SplitterGoldenTest, SameLinesForEveryReadSize) {
  const std::string data_dir = std::string(LOGTAIL_TEST_DATA_DIR) + "/splitter/";
  const std::string name = GetParam();
  const std::string input = slurp(data_dir + name + ".in");
  ASSERT_FALSE(input.empty()) << "missing golden input " << data_dir << name << ".in";
  const std::string want = slurp(data_dir + name + ".out");
  ASSERT_FALSE(want.empty()) << "missing golden output " << data_dir << name << ".out";
  // The reads below come from a real file, as the engine's do.
  dir_.write(name + ".in", input);
  ASSERT_EQ(dir_.read(name + ".in"), input);

  for (const std::size_t read_size : {std::size_t{1}, std::size_t{2}, std::size_t{3},
                                      std::size_t{7}, std::size_t{4096}, input.size()}) {
    SCOPED_TRACE("reads of " + std::to_string(read_size) + " bytes");
    // Read the file the way the engine does: fixed-size reads from a real descriptor.
    const int fd = ::open(dir_.file(name + ".in").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    LineSplitter splitter(kGoldenCap);
    CallerLoop loop(splitter, 0);
    std::string buf(read_size, '\0');
    for (ssize_t n; (n = ::read(fd, buf.data(), buf.size())) > 0;) {
      loop.read(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    }
    ::close(fd);
    loop.finish();
    EXPECT_EQ(format_golden(loop.got()), want);
    // Offsets are exact: each line's text is at its offset in the input.
    for (const Got& g : loop.got()) {
      ASSERT_LE(g.offset + g.text.size(), input.size());
      EXPECT_EQ(input.substr(g.offset, g.text.size()), g.text);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, SplitterGoldenTest,
                         ::testing::Values("basic", "crlf", "long_lines", "binary",
                                           "empty_lines", "many_short"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

}  // namespace
}  // namespace logtail
