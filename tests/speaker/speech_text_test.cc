#include "logtail/speech_text.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace logtail {
namespace {

struct Case {
  std::string_view name;
  std::string input;
  std::size_t max_chars;
  std::string expected;
};

class SpeechTextTest : public ::testing::Test {};

TEST_F(SpeechTextTest, Table) {
  const std::vector<Case> cases = {
      {"plain", "payments.log: 42 errors", 400, "payments.log: 42 errors"},
      {"empty", "", 400, ""},
      {"only spaces", " \t\r\n ", 400, ""},
      {"collapse and trim", "  a \t\t b\n\nc  ", 400, "a b c"},
      {"no-break space", "a\u00a0\u00a0b", 400, "a b"},
      {"csi colour", "\x1b[31mred\x1b[0m alert", 400, "red alert"},
      {"csi with intermediates", "a\x1b[1 qb", 400, "ab"},
      {"csi private", "x\x1b[?25ly", 400, "xy"},
      {"csi cut short", "ok\x1b[12;3", 400, "ok"},
      {"osc bel", "\x1b]0;evil title\x07hello", 400, "hello"},
      {"osc st", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ text", 400, "link text"},
      {"osc unterminated", "safe \x1b]2;never ends", 400, "safe"},
      {"dcs", "a\x1bPq#0;1\x1b\\b", 400, "ab"},
      {"charset", "\x1b(Bplain", 400, "plain"},
      {"two-byte escape", "a\x1b" "7b", 400, "ab"},
      {"lone esc at end", "tail\x1b", 400, "tail"},
      {"lone esc before text", "a\x1b\x01z", 400, "a z"},
      {"controls become spaces", "a\x01" "b\x7f" "c\x08" "d", 400, "a b c d"},
      {"c1 control", "a\u009b31mb", 400, "a 31mb"},
      {"nul", std::string("a\0b", 3), 400, "a b"},
      {"invalid utf-8 removed", "caf\xe9 ok", 400, "caf ok"},
      {"stray continuation", "a\x80\xbf" "b", 400, "ab"},
      {"overlong", "a\xc0\xafz", 400, "az"},
      {"surrogate", "a\xed\xa0\x80z", 400, "az"},
      {"cut sequence", "end\xe2\x82", 400, "end"},
      {"valid utf-8 kept", "Gr\u00fc\u00dfe \u65e5\u672c \U0001F600", 400,
       "Gr\u00fc\u00dfe \u65e5\u672c \U0001F600"},
      {"cap at a word", "one two three four", 12, "one two..."},
      {"cap exact fits", "one two", 7, "one two"},
      {"cap space at boundary", "one two three", 10, "one two..."},
      {"cap one long word", "abcdefghijklmnop", 8, "abcde..."},
      {"cap counts characters", "\u00e9\u00e9\u00e9 \u00e9\u00e9\u00e9 \u00e9\u00e9\u00e9", 9,
       "\u00e9\u00e9\u00e9..."},
      {"cap tiny", "abcdef", 2, "ab"},
      {"cap tiny at a space", "a a", 2, "a"},
      {"cap zero", "abc", 0, ""},
      {"cap after cleaning", "\x1b[1m\x1b[31mab\x1b[0m cd", 5, "ab cd"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(clean_speech_text(c.input, c.max_chars), c.expected) << c.name;
  }
}

TEST_F(SpeechTextTest, HostileLineIsBounded) {
  std::string line;
  for (int i = 0; i < 100000; ++i) line += "\x1b[5mword\xff ";
  const std::string out = clean_speech_text(line, 400);
  EXPECT_LE(out.size(), 400u);
  EXPECT_TRUE(out.ends_with("..."));
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\xff'), std::string::npos);
  EXPECT_TRUE(out.starts_with("word word "));
}

}  // namespace
}  // namespace logtail
