// What counts as a rotated sibling, beyond the header's list:
// - NAME.0 is one (logrotate's `start 0`); NAME.01 is not: logrotate never pads, and it
//   would tie with NAME.1.
// - NAME.gz is not: with neither a number nor a date its age is unknown.
// - A number or a seconds field too large for 64 bits, or an impossible date (month 13,
//   February 30, hour 24) is not a sibling.
// - Dated names sort by (date, hour, seconds): within one dateext format this is their age;
//   a directory mixing formats is ordered by date first. Ties (NAME.1 beside NAME.1.gz while
//   logrotate compresses) are broken by name, so the order is always the same.
#include "siblings.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <tuple>

namespace logtail {

namespace {

constexpr std::string_view kGzipSuffix = ".gz";

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Decimal without sign or leading zeros, fitting 64 bits.
std::optional<std::uint64_t> parse_number(std::string_view text) {
  if (!all_digits(text) || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Fixed-width digits, leading zeros allowed (as in dates).
std::optional<unsigned> parse_fixed(std::string_view text) {
  if (!all_digits(text)) return std::nullopt;
  unsigned value = 0;
  for (char c : text) value = value * 10 + static_cast<unsigned>(c - '0');
  return value;
}

struct Candidate {
  Sibling sibling;
  bool dated = false;
  // Dated: (YYYYMMDD, hour, seconds). Numbered: (N, 0, 0).
  std::uint64_t major = 0;
  std::uint64_t hour = 0;
  std::uint64_t seconds = 0;
};

// "YYYYMMDD", "YYYYMMDDHH" or "YYYYMMDD-SSSSSSSSSS" (what follows NAME-).
bool parse_date(std::string_view text, Candidate& out) {
  if (text.size() < 8) return false;
  const auto year = parse_fixed(text.substr(0, 4));
  const auto month = parse_fixed(text.substr(4, 2));
  const auto day = parse_fixed(text.substr(6, 2));
  if (!year || !month || !day) return false;
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(*year)),
                                         std::chrono::month(*month), std::chrono::day(*day)};
  if (!date.ok()) return false;
  out.major = *year * 10000ULL + *month * 100ULL + *day;
  const std::string_view rest = text.substr(8);
  if (rest.empty()) return true;
  if (rest.size() == 2) {
    const auto hour = parse_fixed(rest);
    if (!hour || *hour > 23) return false;
    out.hour = *hour;
    return true;
  }
  if (rest[0] == '-') {
    const auto seconds = parse_number(rest.substr(1));
    if (!seconds) return false;
    out.seconds = *seconds;
    return true;
  }
  return false;
}

std::optional<Candidate> classify(std::string_view base, std::string_view name) {
  if (name.size() <= base.size() || !name.starts_with(base)) return std::nullopt;
  std::string_view rest = name.substr(base.size());
  Candidate c;
  c.sibling.name = std::string(name);
  if (rest.ends_with(kGzipSuffix)) {
    c.sibling.compressed = true;
    rest.remove_suffix(kGzipSuffix.size());
  }
  if (rest.size() < 2) return std::nullopt;
  const std::string_view tail = rest.substr(1);
  if (rest[0] == '.') {
    const auto number = parse_number(tail);
    if (!number) return std::nullopt;
    c.major = *number;
    return c;
  }
  if (rest[0] == '-' && parse_date(tail, c)) {
    c.dated = true;
    return c;
  }
  return std::nullopt;
}

// Oldest first: dated before numbered; earlier dates first; larger numbers first.
bool older(const Candidate& a, const Candidate& b) {
  if (a.dated != b.dated) return a.dated;
  if (a.dated) {
    return std::tie(a.major, a.hour, a.seconds, a.sibling.name) <
           std::tie(b.major, b.hour, b.seconds, b.sibling.name);
  }
  if (a.major != b.major) return a.major > b.major;
  return a.sibling.name < b.sibling.name;
}

}  // namespace

std::vector<Sibling> rotated_siblings(std::string_view base, std::span<const std::string> names) {
  std::vector<Candidate> found;
  if (base.empty()) return {};
  for (const std::string& name : names) {
    if (auto c = classify(base, name)) found.push_back(std::move(*c));
  }
  std::sort(found.begin(), found.end(), older);
  std::vector<Sibling> out;
  out.reserve(found.size());
  for (Candidate& c : found) out.push_back(std::move(c.sibling));
  return out;
}

}  // namespace logtail
