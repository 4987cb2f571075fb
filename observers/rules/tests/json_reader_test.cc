// The configuration JSON reader: values, positions, and errors that point at the right byte.
// The rules observer is built only with simdjson (LOGTAIL_WITH_SIMDJSON).
#if LOGTAIL_HAVE_SIMDJSON
#include "rules/json_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace logtail::observers::json {
namespace {

TEST(JsonReaderTest, ReadsEveryKindOfValueWithOffsets) {
  const std::string text = R"( {"a": [1, -2.5e1, "x\n\u00e9\ud83d\ude00"], "b": true, "c": null, "d": {}} )";
  ReadResult r = read(text);
  ASSERT_TRUE(r.ok) << r.error.reason;
  const Value& v = r.value;
  ASSERT_EQ(v.type, Value::Type::object);
  EXPECT_EQ(v.offset, 1u);
  ASSERT_EQ(v.members.size(), 4u);
  EXPECT_EQ(v.members[0].key, "a");
  EXPECT_EQ(v.members[0].key_offset, 2u);
  const Value* a = v.find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->items.size(), 3u);
  EXPECT_EQ(a->offset, 7u);
  EXPECT_EQ(a->items[0].number, 1);
  EXPECT_EQ(a->items[0].text, "1");
  EXPECT_EQ(a->items[1].number, -25);
  EXPECT_EQ(a->items[1].text, "-2.5e1");
  EXPECT_EQ(a->items[1].offset, 11u);
  EXPECT_EQ(a->items[2].text, "x\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(v.find("b")->type, Value::Type::boolean);
  EXPECT_TRUE(v.find("b")->boolean);
  EXPECT_EQ(v.find("c")->type, Value::Type::null);
  EXPECT_EQ(v.find("d")->type, Value::Type::object);
  EXPECT_EQ(v.find("zz"), nullptr);
}

struct BadCase {
  std::string text;
  std::size_t offset;
  std::string reason_part;
};

TEST(JsonReaderTest, ErrorsPointAtTheFault) {
  const std::vector<BadCase> cases = {
      {"", 0, "unexpected end of text"},
      {"[1, 2", 5, "array is not closed"},
      {"[1, 2,]", 6, "trailing comma"},
      {"{\"a\": 1,}", 8, "trailing comma"},
      {"{\"a\" 1}", 5, "expected ':'"},
      {"{a: 1}", 1, "expected a quoted key"},
      {"{'a': 1}", 1, "expected a quoted key"},
      {"['a']", 1, "double quotes"},
      {"{\"a\": 1, \"a\": 2}", 9, "duplicate key \"a\""},
      {"[01]", 1, "leading zeros"},
      {"[1.]", 3, "after the decimal point"},
      {"[1e]", 3, "exponent"},
      {"[-]", 1, "needs digits"},
      {"[1e999]", 1, "out of range"},
      {"\"abc", 0, "string is not closed"},
      {"\"a\tb\"", 2, "control character"},
      {"\"\\q\"", 1, "invalid escape"},
      {"\"\\u12\"", 3, "four hex digits"},
      {"\"\\ud83d\"", 1, "low surrogate"},
      {"\"\\ude00\"", 1, "without a high one"},
      {"[1] [2]", 4, "after the end"},
      {"[tru]", 1, "unexpected character 't'"},
      {"{\"a\": 1 \"b\": 2}", 8, "expected ',' or '}'"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.text);
    ReadResult r = read(c.text);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.error.offset, c.offset);
    EXPECT_NE(r.error.reason.find(c.reason_part), std::string::npos) << r.error.reason;
  }
}

TEST(JsonReaderTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(kMaxDepth + 1, '[');
  deep += std::string(kMaxDepth + 1, ']');
  ReadResult r = read(deep);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error.offset, static_cast<std::size_t>(kMaxDepth));
  EXPECT_NE(r.error.reason.find("nesting deeper"), std::string::npos);

  std::string ok_depth(kMaxDepth, '[');
  ok_depth += std::string(kMaxDepth, ']');
  EXPECT_TRUE(read(ok_depth).ok);
}

TEST(JsonReaderTest, PositionsCountLinesAndBytes) {
  const std::string text = "ab\ncd\n\nefg";
  struct Case {
    std::size_t offset, line, column;
  };
  for (const Case& c : std::vector<Case>{
           {0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}, {99, 4, 4}}) {
    const Position p = position_of(text, c.offset);
    EXPECT_EQ(p.line, c.line) << c.offset;
    EXPECT_EQ(p.column, c.column) << c.offset;
  }
}

}  // namespace
}  // namespace logtail::observers::json

#endif  // LOGTAIL_HAVE_SIMDJSON
