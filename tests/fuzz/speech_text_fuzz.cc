// Fuzz target: the speaker's text cleaner. Byte 0 of the input is max_chars (0..255), the
// rest the text. Checked: the result is valid UTF-8 (no overlong forms, surrogates or code
// points past U+10FFFF), holds no control character (C0, DEL, C1) and so no ESC, has no
// white space at either end (but see below) nor two spaces in a row, and is at most max_chars
// code points.
// Cleaning it again changes nothing when it was not cut.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "logtail/speech_text.h"

namespace {

// Decodes `text` as strict UTF-8 into code points; false when it is not valid.
bool decode_utf8(std::string_view text, std::vector<char32_t>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    char32_t code = 0;
    if (b0 < 0x80) {
      n = 1, code = b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2, code = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3, code = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4, code = b0 & 0x07u;
    } else {
      return false;
    }
    if (i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      code = (code << 6) | (b & 0x3Fu);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMin[n] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    out.push_back(code);
    i += n;
  }
  return true;
}

bool is_control(char32_t code) { return code < 0x20 || (code >= 0x7F && code <= 0x9F); }

bool is_space(char32_t code) { return code == ' ' || code == 0xA0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t max_chars = data[0];
  const std::vector<char> bytes(data + 1, data + size);
  const std::string_view text(bytes.data(), bytes.size());

  const std::string cleaned = logtail::clean_speech_text(text, max_chars);
  std::vector<char32_t> codes;
  FUZZ_CHECK(decode_utf8(cleaned, codes));
  FUZZ_CHECK(codes.size() <= max_chars);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    FUZZ_CHECK(!is_control(codes[i]));
    if (is_space(codes[i])) {
      FUZZ_CHECK(codes[i] == ' ');  // other white space becomes a plain space
      FUZZ_CHECK(i != 0);
      FUZZ_CHECK(i + 1 != codes.size());  // no trailing space, however short the cut
      FUZZ_CHECK(i + 1 == codes.size() || !is_space(codes[i + 1]));
    }
  }
  // A text that fits is cleaned once and for all.
  const std::string full = logtail::clean_speech_text(text, SIZE_MAX);
  FUZZ_CHECK(logtail::clean_speech_text(full, SIZE_MAX) == full);
  return 0;
}
