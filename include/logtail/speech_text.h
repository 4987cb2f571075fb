// clean_speech_text: what of a summary may be read aloud. Pure.
//
// Summaries quote log lines, and log lines are untrusted: they may carry terminal escape
// sequences, control bytes, broken UTF-8, or simply be very long. The cleaned text is what
// the synth is given, so that a hostile line can neither confuse the synth nor make the
// speaker talk for minutes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace logtail {

// `text` made speakable:
// - ANSI escape sequences are removed: CSI (ESC [ ... final byte), OSC, DCS, PM and APC
//   strings (ESC ] ... ended by BEL or ESC \, or by the end of the text), two-byte escapes
//   (ESC ( B), and a lone ESC;
// - other control characters (C0, DEL, and C1 such as U+009B) become spaces;
// - bytes that are not valid UTF-8 are removed;
// - runs of whitespace (no-break space included) become one space; the ends are trimmed;
// - more than `max_chars` characters (code points) are cut at the last space that keeps the
//   result within `max_chars`, and "..." is appended (counted in `max_chars`); a single word
//   longer than that is cut inside it. `max_chars` 0 gives an empty text.
std::string clean_speech_text(std::string_view text, std::size_t max_chars);

}  // namespace logtail
