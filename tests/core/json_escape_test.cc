#include "json_escape.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace logtail {
namespace {

using namespace std::string_literals;

std::string escaped(std::string_view text) {
  std::string out;
  append_json_escaped(out, text);
  return out;
}

// An independent strict UTF-8 check: decodes each code point and rejects overlong forms,
// surrogates and values above U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp;
    std::uint32_t min;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2, cp = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3, cp = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4, cp = b & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Checks that `s` is valid as the inside of a JSON string, as UTF-8, with no raw control
// byte or DEL, and decodes it back to bytes, reading \u00XX as the byte XX (which is how
// append_json_escaped writes invalid bytes). Returns false with `why` set when it is not.
bool decode_json_inside(std::string_view s, std::string& bytes, std::string& why) {
  if (!valid_utf8(s)) {
    why = "not valid UTF-8";
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      why = "raw control byte at " + std::to_string(i);
      return false;
    }
    if (c == '"') {
      why = "raw quote at " + std::to_string(i);
      return false;
    }
    if (c != '\\') {
      bytes += static_cast<char>(c);
      continue;
    }
    if (i + 1 >= s.size()) {
      why = "backslash at the end";
      return false;
    }
    const char e = s[++i];
    switch (e) {
      case '"': bytes += '"'; break;
      case '\\': bytes += '\\'; break;
      case '/': bytes += '/'; break;
      case 'b': bytes += '\b'; break;
      case 'f': bytes += '\f'; break;
      case 'n': bytes += '\n'; break;
      case 'r': bytes += '\r'; break;
      case 't': bytes += '\t'; break;
      case 'u': {
        if (s.size() - i < 5) {
          why = "short \\u escape";
          return false;
        }
        int v = 0;
        for (std::size_t k = 1; k <= 4; ++k) {
          const int h = hex_value(s[i + k]);
          if (h < 0) {
            why = "bad hex digit in \\u escape";
            return false;
          }
          v = v * 16 + h;
        }
        if (v > 0xFF) {
          why = "\\u escape above 0xFF";
          return false;
        }
        bytes += static_cast<char>(v);
        i += 4;
        break;
      }
      default:
        why = "unknown escape \\"s + e;
        return false;
    }
  }
  return true;
}

class JsonEscapeTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(JsonEscapeTest, Table) {
  struct Case {
    std::string in;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"plain", "plain"},
      {"a longer plain line that spans several words: 0123456789",
       "a longer plain line that spans several words: 0123456789"},
      {"/ and ' stay", "/ and ' stay"},
      {"\"", "\\\""},
      {"\\", "\\\\"},
      {"say \"hi\" \\o/", "say \\\"hi\\\" \\\\o/"},
      {"\n\r\t\b\f", "\\n\\r\\t\\b\\f"},
      {"\0"s, "\\u0000"},
      {"a\0b"s, "a\\u0000b"},
      {"\x01\x1f", "\\u0001\\u001f"},
      {"\x0b", "\\u000b"},
      {"\x7f", "\\u007f"},
      {"\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"},
      // Valid UTF-8 is copied, at the edges of each length.
      {"\xc2\x80", "\xc2\x80"},                  // U+0080
      {"h\xc3\xa9llo", "h\xc3\xa9llo"},          // é
      {"\xdf\xbf", "\xdf\xbf"},                  // U+07FF
      {"\xe0\xa0\x80", "\xe0\xa0\x80"},          // U+0800
      {"\xe2\x82\xac", "\xe2\x82\xac"},          // €
      {"\xed\x9f\xbf", "\xed\x9f\xbf"},          // U+D7FF
      {"\xee\x80\x80", "\xee\x80\x80"},          // U+E000
      {"\xef\xbf\xbf", "\xef\xbf\xbf"},          // U+FFFF
      {"\xf0\x90\x80\x80", "\xf0\x90\x80\x80"},  // U+10000
      {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},  // 😀
      {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},  // U+10FFFF
      {"0123456789\xe2\x82\xac" "0123456789", "0123456789\xe2\x82\xac" "0123456789"},
      // Overlong forms.
      {"\xc0\x80", "\\u00c0\\u0080"},
      {"\xc1\xbf", "\\u00c1\\u00bf"},
      {"\xe0\x80\x80", "\\u00e0\\u0080\\u0080"},
      {"\xe0\x9f\xbf", "\\u00e0\\u009f\\u00bf"},
      {"\xf0\x80\x80\x80", "\\u00f0\\u0080\\u0080\\u0080"},
      {"\xf0\x8f\xbf\xbf", "\\u00f0\\u008f\\u00bf\\u00bf"},
      // Surrogates.
      {"\xed\xa0\x80", "\\u00ed\\u00a0\\u0080"},
      {"\xed\xbf\xbf", "\\u00ed\\u00bf\\u00bf"},
      // Above U+10FFFF and bytes that never start a sequence.
      {"\xf4\x90\x80\x80", "\\u00f4\\u0090\\u0080\\u0080"},
      {"\xf5\x80\x80\x80", "\\u00f5\\u0080\\u0080\\u0080"},
      {"\xfe\xff", "\\u00fe\\u00ff"},
      // Truncated sequences, at the end and before other bytes.
      {"\xc3", "\\u00c3"},
      {"\xe2\x82", "\\u00e2\\u0082"},
      {"\xe2\x82" "A", "\\u00e2\\u0082A"},
      {"\xf0\x9f\x98", "\\u00f0\\u009f\\u0098"},
      {"\xf0\x9f\x98" "\xc3\xa9", "\\u00f0\\u009f\\u0098\xc3\xa9"},
      {"\xc3\x28", "\\u00c3("},
      // Stray continuation bytes.
      {"\x80", "\\u0080"},
      {"a\xbf" "b", "a\\u00bfb"},
      {"\xe2\x82\xac\xac", "\xe2\x82\xac\\u00ac"},
      // Escapes right after an 8-byte plain run.
      {"abcdefgh\"ijklmnop\\", "abcdefgh\\\"ijklmnop\\\\"},
      {"abcdefg\xc3\xa9hijklmnop", "abcdefg\xc3\xa9hijklmnop"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.in));
    EXPECT_EQ(escaped(c.in), c.want);
  }
}

TEST_F(JsonEscapeTest, AppendsAfterExistingText) {
  std::string out = "{\"message\":\"";
  append_json_escaped(out, "a\"b");
  out += "\"}";
  EXPECT_EQ(out, "{\"message\":\"a\\\"b\"}");
}

// Every single byte value, at every position of a plain context (so each lands in and out of
// the 8-byte bulk path), escapes exactly as a lone byte should.
TEST_F(JsonEscapeTest, EveryByteAtEveryPosition) {
  auto lone = [](unsigned char b) -> std::string {
    switch (b) {
      case '"': return "\\\"";
      case '\\': return "\\\\";
      case '\n': return "\\n";
      case '\r': return "\\r";
      case '\t': return "\\t";
      case '\b': return "\\b";
      case '\f': return "\\f";
      default: break;
    }
    if (b >= 0x20 && b < 0x7F) return std::string(1, static_cast<char>(b));
    // Controls, DEL, and any byte >= 0x80 on its own (never valid UTF-8 alone).
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("\\u00") + kHex[b >> 4] + kHex[b & 0xF];
  };
  for (int b = 0; b < 256; ++b) {
    for (std::size_t pos = 0; pos <= 17; ++pos) {
      const std::string before(pos, 'a');
      const std::string after(17 - pos, 'z');
      const std::string in = before + static_cast<char>(b) + after;
      ASSERT_EQ(escaped(in), before + lone(static_cast<unsigned char>(b)) + after)
          << "byte " << b << " at " << pos;
    }
  }
}

// Random byte strings, some of them built from valid code points: the output is always valid
// JSON string content and UTF-8, decodes back to the input exactly, and escapes a byte >= 0x80
// exactly when the input is not valid UTF-8.
TEST_F(JsonEscapeTest, RandomBytesProperty) {
  std::mt19937 rng(20240611);
  auto append_code_point = [](std::string& s, std::uint32_t cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  };
  int valid_inputs = 0;
  int invalid_inputs = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const int len = static_cast<int>(rng() % 48);
    const unsigned mode = rng() % 3;
    for (int k = 0; k < len; ++k) {
      if (mode == 0) {
        in += static_cast<char>(rng() % 256);  // anything
      } else if (mode == 1) {
        // Mostly printable with occasional specials, so bulk runs get interrupted.
        const unsigned r = rng() % 40;
        in += r < 36 ? static_cast<char>(0x20 + rng() % 95) : static_cast<char>(rng() % 256);
      } else {
        // Code points of every length, surrogates and out-of-range values encoded too
        // (those must come out escaped).
        const std::uint32_t ranges[] = {0x80, 0x800, 0x10000, 0x110000, 0x140000};
        std::uint32_t cp = rng() % ranges[rng() % 5];
        append_code_point(in, cp);
      }
    }
    const std::string out = escaped(in);
    std::string decoded;
    std::string why;
    ASSERT_TRUE(decode_json_inside(out, decoded, why))
        << why << " for input " << ::testing::PrintToString(in) << " -> " << out;
    ASSERT_EQ(decoded, in) << "round trip of " << ::testing::PrintToString(in);

    bool escaped_high_byte = false;
    for (std::size_t i = 0; i + 5 < out.size(); ++i) {
      if (out[i] == '\\') {
        if (out.compare(i, 4, "\\u00") == 0 && hex_value(out[i + 4]) >= 8) {
          escaped_high_byte = true;
        }
        ++i;  // skip the escaped character so "\\\\u00..." is not misread
      }
    }
    const bool valid = valid_utf8(in);
    (valid ? valid_inputs : invalid_inputs)++;
    ASSERT_EQ(escaped_high_byte, !valid) << ::testing::PrintToString(in);
  }
  // The generator must exercise both sides.
  EXPECT_GT(valid_inputs, 1000);
  EXPECT_GT(invalid_inputs, 1000);
}

}  // namespace
}  // namespace logtail
