#include "logtail/parse.h"

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

#include "status_text.h"

namespace logtail {
namespace {

constexpr std::string_view kDurationExamples = "e.g. '250ms', '2s', '1.5s', '3m' or '1h'";
constexpr std::string_view kSizeExamples = "e.g. '512', '64KiB', '4MiB' or '1GiB'";

// A fraction keeps at most this many significant digits: 10^18 still fits 64 bits.
constexpr int kMaxFractionDigits = 18;

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

// Duration units in milliseconds. Case matters: 'm' is minutes, and 'M' would read as a size.
constexpr std::array<Unit, 5> kDurationUnits{{
    {"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}}};

// Size units in bytes, matched ignoring case. All are binary: k and KiB both mean 1024.
constexpr std::array<Unit, 10> kSizeUnits{{{"", 1},
                                           {"b", 1},
                                           {"k", 1ULL << 10},
                                           {"kib", 1ULL << 10},
                                           {"m", 1ULL << 20},
                                           {"mib", 1ULL << 20},
                                           {"g", 1ULL << 30},
                                           {"gib", 1ULL << 30},
                                           {"t", 1ULL << 40},
                                           {"tib", 1ULL << 40}}};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The value as it may appear in a one-line message: quoted, control and non-ASCII bytes
// shown as '?', and cut short if long.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const char c = text[i];
    out += (c >= 0x20 && c < 0x7F) ? c : '?';
  }
  if (text.size() > kMax) out += "...";
  out += "'";
  return out;
}

enum class NumberError { none, syntax, negative, too_large, too_fine, too_precise };

struct Number {
  std::uint64_t whole = 0;
  std::uint64_t fraction = 0;  // the digits after the point, trailing zeros removed
  std::uint64_t fraction_scale = 1;  // 10^(number of those digits)
  std::string_view unit;
};

// Reads "<digits>[.<digits>][ ]<unit>" where the unit is whatever follows the number.
NumberError read_number(std::string_view text, Number& n) {
  if (!text.empty() && text.front() == '-') return NumberError::negative;
  std::size_t i = 0;
  if (i == text.size() || !is_digit(text[i])) return NumberError::syntax;
  for (; i < text.size() && is_digit(text[i]); ++i) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (n.whole > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
      return NumberError::too_large;
    }
    n.whole = n.whole * 10 + digit;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    const std::size_t first = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == first) return NumberError::syntax;
    std::string_view digits = text.substr(first, i - first);
    while (!digits.empty() && digits.back() == '0') digits.remove_suffix(1);
    if (digits.size() > static_cast<std::size_t>(kMaxFractionDigits)) {
      return NumberError::too_precise;
    }
    for (const char c : digits) {
      n.fraction = n.fraction * 10 + static_cast<std::uint64_t>(c - '0');
      n.fraction_scale *= 10;
    }
  }
  n.unit = trim_space(text.substr(i));  // "64 KiB" reads like "64KiB"
  return NumberError::none;
}

// whole * factor + fraction * factor / scale, which must come out whole and at most `max`.
NumberError scale(const Number& n, std::uint64_t factor, std::uint64_t max, std::uint64_t& out) {
  const unsigned __int128 whole = static_cast<unsigned __int128>(n.whole) * factor;
  const unsigned __int128 part = static_cast<unsigned __int128>(n.fraction) * factor;
  if (part % n.fraction_scale != 0) return NumberError::too_fine;
  const unsigned __int128 total = whole + part / n.fraction_scale;
  if (total > max) return NumberError::too_large;
  out = static_cast<std::uint64_t>(total);
  return NumberError::none;
}

const Unit* find_unit(std::string_view name, std::span<const Unit> units, bool ignore_case) {
  for (const Unit& u : units) {
    if (u.name.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      same = (ignore_case ? ascii_lower(name[i]) : name[i]) == u.name[i];
    }
    if (same) return &u;
  }
  return nullptr;
}

}  // namespace

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  const std::string_view t = trim_space(text);
  const std::string what = "invalid duration " + quoted(text) + ": ";
  if (t.empty()) {
    return invalid("empty duration: give a number with a unit, " + std::string(kDurationExamples));
  }
  Number n;
  NumberError err = read_number(t, n);
  const Unit* unit = nullptr;
  if (err == NumberError::none) {
    unit = find_unit(n.unit, kDurationUnits, /*ignore_case=*/false);
    if (unit == nullptr) {
      return invalid(what + "unknown unit " + quoted(n.unit) + "; use ms, s, m or h, " +
                     std::string(kDurationExamples));
    }
    constexpr auto kMaxMs = std::numeric_limits<std::chrono::milliseconds::rep>::max();
    std::uint64_t ms = 0;
    err = scale(n, unit->factor, static_cast<std::uint64_t>(kMaxMs), ms);
    if (err == NumberError::none) {
      return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(ms));
    }
  }
  switch (err) {
    case NumberError::negative:
      return invalid(what + "must not be negative, e.g. '0s' or '2s'");
    case NumberError::too_large:
      return invalid(what + "too large; the largest is about 292 million years, e.g. '24h'");
    case NumberError::too_fine:
    case NumberError::too_precise:
      return invalid(what + "finer than a millisecond; round it, e.g. '1ms' or '1.5s'");
    case NumberError::none:
    case NumberError::syntax:
      break;
  }
  return invalid(what + "expected a number with an optional unit (ms, s, m, h), " +
                 std::string(kDurationExamples));
}

Result<std::uint64_t> parse_size(std::string_view text) {
  const std::string_view t = trim_space(text);
  const std::string what = "invalid size " + quoted(text) + ": ";
  if (t.empty()) {
    return invalid("empty size: give a number of bytes with an optional unit, " +
                   std::string(kSizeExamples));
  }
  Number n;
  NumberError err = read_number(t, n);
  if (err == NumberError::none) {
    const Unit* unit = find_unit(n.unit, kSizeUnits, /*ignore_case=*/true);
    if (unit == nullptr) {
      return invalid(what + "unknown unit " + quoted(n.unit) +
                     "; use B, KiB (or k), MiB (or M), GiB (or G) or TiB (or T), " +
                     std::string(kSizeExamples));
    }
    std::uint64_t bytes = 0;
    err = scale(n, unit->factor, std::numeric_limits<std::uint64_t>::max(), bytes);
    if (err == NumberError::none) return bytes;
  }
  switch (err) {
    case NumberError::negative:
      return invalid(what + "must not be negative, " + std::string(kSizeExamples));
    case NumberError::too_large:
      return invalid(what + "too large; the largest size is 16 EiB, e.g. '1GiB'");
    case NumberError::too_fine:
    case NumberError::too_precise:
      return invalid(what + "not a whole number of bytes; e.g. '1.5KiB' is 1536 bytes");
    case NumberError::none:
    case NumberError::syntax:
      break;
  }
  return invalid(what + "expected a number of bytes with an optional unit (KiB, MiB, GiB), " +
                 std::string(kSizeExamples));
}

}  // namespace logtail
