#include "multiline.h"

#include <gtest/gtest.h>

#include "splitter.h"

namespace logtail {
namespace {

struct Out {
  std::vector<std::string> records;
  std::vector<std::uint64_t> offsets;
  std::size_t consumed_lines;
};

Out join(std::string_view text, bool flush, MultilineOptions options = {}) {
  auto joiner = MultilineJoiner::make(options, 1 << 20);
  EXPECT_TRUE(joiner.ok()) << joiner.status().message();
  LineSplitter splitter(1 << 20);
  std::vector<Line> lines;
  splitter.split(text, 100, lines);
  std::vector<Line> records;
  Out out;
  out.consumed_lines = joiner->join(text, 100, lines, flush, records);
  for (const auto& r : records) {
    out.records.emplace_back(r.text());
    out.offsets.push_back(r.offset());
  }
  return out;
}

TEST(MultilineTest, JavaStackTraceJoinsItsStartingLine) {
  const std::string text =
      "INFO ok\n"
      "ERROR boom\n"
      "java.lang.IllegalStateException: bad\n"
      "\tat com.example.A.run(A.java:10)\n"
      "\tat com.example.B.run(B.java:20)\n"
      "Caused by: java.io.IOException: disk\n"
      "\t... 3 more\n"
      "INFO next\n";
  auto out = join(text, false);
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[0], "INFO ok");
  EXPECT_EQ(out.records[1], "ERROR boom");
  EXPECT_EQ(out.records[2],
            "java.lang.IllegalStateException: bad\n"
            "\tat com.example.A.run(A.java:10)\n"
            "\tat com.example.B.run(B.java:20)\n"
            "Caused by: java.io.IOException: disk\n"
            "\t... 3 more");
  EXPECT_EQ(out.offsets[2], 100u + 19u);
  EXPECT_EQ(out.consumed_lines, 7u);  // "INFO next" may still continue
}

TEST(MultilineTest, PythonTracebackEndsWithItsExceptionLine) {
  const std::string text =
      "ERROR request failed\n"
      "Traceback (most recent call last):\n"
      "  File \"app.py\", line 3, in <module>\n"
      "    main()\n"
      "ValueError: boom\n"
      "INFO after\n";
  auto out = join(text, true);
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0],
            "ERROR request failed\n"
            "Traceback (most recent call last):\n"
            "  File \"app.py\", line 3, in <module>\n"
            "    main()\n"
            "ValueError: boom");
  EXPECT_EQ(out.records[1], "INFO after");
}

TEST(MultilineTest, TheLastRecordIsHeldUntilFlushed) {
  auto held = join("a\n  b\n", false);
  EXPECT_TRUE(held.records.empty());
  EXPECT_EQ(held.consumed_lines, 0u);
  auto flushed = join("a\n  b\n", true);
  EXPECT_EQ(flushed.records, std::vector<std::string>{"a\n  b"});
  EXPECT_EQ(flushed.consumed_lines, 2u);
}

TEST(MultilineTest, UserStartPatternDecidesWhereRecordsBegin) {
  MultilineOptions o;
  o.start_pattern = R"(^\d{4}-\d\d-\d\d )";
  auto out = join("2026-11-26 one\nnot indented but continues\n2026-11-26 two\n", true, o);
  EXPECT_EQ(out.records,
            (std::vector<std::string>{"2026-11-26 one\nnot indented but continues", "2026-11-26 two"}));
}

TEST(MultilineTest, RecordsAreCutAtTheCap) {
  MultilineOptions o;
  o.max_record_bytes = 14;
  auto joiner = MultilineJoiner::make(o, 1 << 20);
  ASSERT_TRUE(joiner.ok());
  const std::string text = "start\n  aaaa\n  bbbb\n";
  LineSplitter splitter(1 << 20);
  std::vector<Line> lines;
  splitter.split(text, 0, lines);
  std::vector<Line> records;
  joiner->join(text, 0, lines, true, records);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].text(), "start\n  aaaa");  // 12 bytes; with the next line 19
  EXPECT_TRUE(records[0].truncated());
  EXPECT_EQ(records[1].text(), "  bbbb");
  EXPECT_FALSE(records[1].truncated());
}

// Found by the splitter fuzz target: a held record and a partial line each fit max_line, but
// the record's line end does not count towards the cap, so the carry could be a byte or two
// more than the engine's buffer (twice max_line plus one read) holds.
TEST(MultilineTest, TheCarryNeverExceedsTwiceTheLineCap) {
  constexpr std::size_t kMaxLine = 4;
  auto joiner = MultilineJoiner::make({}, kMaxLine);
  ASSERT_TRUE(joiner.ok());
  for (const std::string text : {"abcd\nwxyz", "a\n b\nwxyz", "a\n b\r\nwxy\r"}) {
    LineSplitter splitter(kMaxLine);
    std::vector<Line> lines;
    const std::size_t split_end = splitter.split(text, 0, lines);
    ASSERT_LE(text.size() - split_end, kMaxLine) << text;
    std::vector<Line> records;
    const std::size_t used = joiner->join(text, 0, lines, false, records);
    const std::size_t carry_from = used < lines.size() ? lines[used].offset() : split_end;
    EXPECT_LE(text.size() - carry_from, 2 * kMaxLine) << text;
    // The records delivered early are whole: the partial line is all that is carried.
    EXPECT_EQ(used, lines.size()) << text;
  }
}

TEST(MultilineTest, BadOptionsAreClearErrors) {
  MultilineOptions bad_regex;
  bad_regex.start_pattern = "([";
  auto a = MultilineJoiner::make(bad_regex, 100);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("(["), std::string::npos);
  MultilineOptions zero;
  zero.flush_timeout = std::chrono::milliseconds(0);
  EXPECT_FALSE(MultilineJoiner::make(zero, 100).ok());
}

}  // namespace
}  // namespace logtail
