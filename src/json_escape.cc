#include "json_escape.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace logtail {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

// True when some byte of `w` is zero. Borrows can flag bytes above a true zero byte, never
// a word without one, which is all the bulk test below needs.
constexpr bool has_zero_byte(std::uint64_t w) { return ((w - kOnes) & ~w & kHighs) != 0; }

// True when all 8 bytes are printable ASCII other than '"' and '\\' (0x20..0x7E), so the
// whole word can be copied without looking at each byte.
bool plain_word(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  if ((w & kHighs) != 0) return false;  // a byte >= 0x80
  // With every byte below 0x80, a high bit after subtracting 0x20 from each byte can only
  // come from a byte below 0x20 (or a borrow out of one).
  if (((w - kOnes * 0x20) & kHighs) != 0) return false;
  if (has_zero_byte(w ^ (kOnes * '"'))) return false;
  if (has_zero_byte(w ^ (kOnes * '\\'))) return false;
  if (has_zero_byte(w ^ (kOnes * 0x7F))) return false;
  return true;
}

// Length of the well-formed UTF-8 sequence starting at p[0] (a byte >= 0x80), or 0 when it is
// not one. Follows Unicode's table of well-formed byte sequences: no overlong forms, no
// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequences.
std::size_t utf8_sequence(const unsigned char* p, std::size_t avail) {
  const unsigned char b0 = p[0];
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong below U+0800
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong below U+10000
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // a continuation byte, C0/C1 (always overlong) or F5..FF
  }
  if (avail < len) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return len;
}

void append_u00(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char esc[6] = {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xF]};
  out.append(esc, sizeof esc);
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
  const auto* const p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  out.reserve(out.size() + n);

  std::size_t run = 0;  // start of the bytes that can be copied as they are
  std::size_t i = 0;
  while (i < n) {
    if (n - i >= 8 && plain_word(p + i)) {
      i += 8;
      continue;
    }
    const unsigned char c = p[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (const std::size_t len = utf8_sequence(p + i, n - i); len != 0) {
        i += len;
        continue;
      }
    }
    // c needs an escape: flush the run before it.
    out.append(text.data() + run, i - run);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      default: append_u00(out, c); break;
    }
    run = ++i;
  }
  out.append(text.data() + run, n - run);
}

}  // namespace logtail
