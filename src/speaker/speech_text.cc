#include "logtail/speech_text.h"

#include <cstdint>

namespace logtail {
namespace {

constexpr char kEsc = '\x1b';
constexpr char kBel = '\x07';

// The length of the valid UTF-8 sequence at the start of `text` and its code point, or 0 when
// the first byte does not start one (stray continuation, overlong form, surrogate, beyond
// U+10FFFF, cut short).
std::size_t utf8_sequence(std::string_view text, char32_t& code) {
  const auto b0 = static_cast<unsigned char>(text[0]);
  if (b0 < 0x80) {
    code = b0;
    return 1;
  }
  std::size_t length = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, code = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, code = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, code = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b & 0xC0) != 0x80) return 0;
    code = (code << 6) | (b & 0x3F);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

// How many bytes of `text`, which starts with ESC, the escape sequence takes. Unterminated
// strings run to the end of the text: what follows an OSC opener was never meant to be read.
std::size_t escape_length(std::string_view text) {
  if (text.size() < 2) return 1;  // a lone ESC at the end
  const char kind = text[1];
  if (kind == '[') {
    std::size_t i = 2;
    // Parameter bytes 0x30-0x3F, then intermediate bytes 0x20-0x2F, then one final byte.
    while (i < text.size() && text[i] >= 0x30 && text[i] <= 0x3F) ++i;
    while (i < text.size() && text[i] >= 0x20 && text[i] <= 0x2F) ++i;
    if (i < text.size() && text[i] >= 0x40 && text[i] <= 0x7E) return i + 1;
    return i;  // malformed or cut short: drop what belonged to it
  }
  if (kind == ']' || kind == 'P' || kind == '^' || kind == '_') {
    for (std::size_t i = 2; i < text.size(); ++i) {
      if (text[i] == kBel) return i + 1;
      if (text[i] == kEsc && i + 1 < text.size() && text[i + 1] == '\\') return i + 2;
    }
    return text.size();
  }
  if (kind >= 0x20 && kind <= 0x2F) {
    // ESC, intermediates, final byte: ESC ( B selects a character set.
    std::size_t i = 1;
    while (i < text.size() && text[i] >= 0x20 && text[i] <= 0x2F) ++i;
    if (i < text.size() && text[i] >= 0x30 && text[i] <= 0x7E) return i + 1;
    return i;
  }
  if (kind >= 0x30 && kind <= 0x7E) return 2;  // ESC 7, ESC c, ESC M, ...
  return 1;  // a lone ESC before ordinary text: only the ESC goes
}

bool is_space(char32_t code) {
  return code == ' ' || code == 0xA0 || code < 0x20 || code == 0x7F ||
         (code >= 0x80 && code <= 0x9F);
}

// Drops escapes and invalid bytes, turns controls and spaces into single spaces, trims.
std::string normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == kEsc) {
      i += escape_length(text.substr(i));
      continue;
    }
    char32_t code = 0;
    const std::size_t length = utf8_sequence(text.substr(i), code);
    if (length == 0) {
      ++i;
      continue;
    }
    if (is_space(code)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out += ' ';
      pending_space = false;
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

// The byte offset just past the first `chars` code points of valid UTF-8 `text`.
std::size_t prefix_bytes(std::string_view text, std::size_t chars) {
  std::size_t i = 0;
  for (; i < text.size() && chars > 0; --chars) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

std::size_t count_chars(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string clean_speech_text(std::string_view text, std::size_t max_chars) {
  std::string out = normalize(text);
  if (count_chars(out) <= max_chars) return out;
  constexpr std::string_view kEllipsis = "...";
  if (max_chars <= kEllipsis.size()) {
    out.resize(prefix_bytes(out, max_chars));
    if (!out.empty() && out.back() == ' ') out.pop_back();  // "a a" cut to 2 is "a"
    return out;
  }
  // Room for the words and a space before the ellipsis would be wasted: the cut is at a
  // space, which the ellipsis replaces.
  const std::size_t keep = prefix_bytes(out, max_chars - kEllipsis.size() + 1);
  std::size_t cut = std::string_view(out).substr(0, keep).rfind(' ');
  if (cut == std::string::npos || cut == 0) cut = prefix_bytes(out, max_chars - kEllipsis.size());
  out.resize(cut);
  out += kEllipsis;
  return out;
}

}  // namespace logtail
