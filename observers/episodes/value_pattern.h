// The value regex of the episodes observer, made ready for std::regex. Pure.
//
// std::regex (ECMAScript) has no named groups, but users write them: (?<ms>\d+) in
// JavaScript, Java and PCRE style, (?P<ms>\d+) in Python style. Each is rewritten to a plain
// group, which keeps the group numbering the same as in those dialects (named groups are
// numbered too), and the value's group number is remembered.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "logtail/status.h"

namespace logtail::observers::episodes {

struct ValuePattern {
  std::string ecmascript;  // the pattern for std::regex
  std::size_t group = 0;   // the capture holding the value (1-based)
  std::string name;        // its name, or empty when the first capture is used
};

// Exactly one named group, or none and at least one plain capture (then group 1).
// Errors name the pattern and say what to write.
Result<ValuePattern> translate_value_pattern(std::string_view pattern);

// A run of characters every match of `ecmascript` must contain, so lines without it can be
// skipped by a plain search before the regex runs. Conservative: empty when the pattern has
// an alternation or no such run of two or more characters.
std::string required_literal(std::string_view ecmascript);

// The value a capture holds: a number, optionally followed by a unit (us, µs, ms, s; white
// space allowed between) that overrides `default_unit_ms` (the bare number's milliseconds per
// unit). Returns milliseconds, or nothing when the text is not such a value.
std::optional<double> read_value_ms(std::string_view text, double default_unit_ms);

}  // namespace logtail::observers::episodes
