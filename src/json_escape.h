// JSON string escaping that keeps any bytes valid JSON. Pure.
#pragma once

#include <string>
#include <string_view>

namespace logtail {

// Appends `text` to `out` as the inside of a JSON string (no quotes): '"' and '\\' escaped,
// control bytes as \n, \t, ... or \u00XX, valid UTF-8 copied as is, and each byte of invalid
// UTF-8 (stray continuation bytes, overlong forms, surrogates, truncated sequences) written
// as \u00XX of its byte value so the output is always valid JSON and UTF-8.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace logtail
