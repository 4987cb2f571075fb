#include "episodes/line_time.h"

#include <chrono>

#include <fmt/format.h>

namespace logtail::observers::episodes {
namespace {

using namespace std::chrono;

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t k = at; k < at + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return false;
    out = out * 10 + (s[k] - '0');
  }
  return true;
}

// Splits a time point into its UTC calendar parts.
struct Parts {
  year_month_day date;
  hh_mm_ss<milliseconds> time;
};

Parts parts_of(Clock::time_point t) {
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  return {year_month_day(sys_days(day)), hh_mm_ss<milliseconds>(ms - day)};
}

}  // namespace

std::optional<Clock::time_point> leading_timestamp(std::string_view s) {
  if (!s.empty() && s.front() == '[') s.remove_prefix(1);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) ||
      s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, sec))
    return std::nullopt;
  const year_month_day date{year(y), month(static_cast<unsigned>(mo)),
                            day(static_cast<unsigned>(d))};
  // A leap second (":60") is read as the last moment of its minute's 59th second.
  if (!date.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  Clock::duration since_midnight = hours(h) + minutes(mi) + seconds(sec == 60 ? 59 : sec);
  std::size_t i = 19;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    std::int64_t frac = 0;
    int n = 0;
    const std::size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (n < 9) {
        frac = frac * 10 + (s[i] - '0');
        ++n;
      }
    }
    if (i == start) return std::nullopt;
    for (; n < 9; ++n) frac *= 10;
    since_midnight += duration_cast<Clock::duration>(nanoseconds(frac));
  }
  Clock::duration offset{0};
  if (i < s.size() && s[i] == 'Z') {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const int sign = s[i] == '+' ? 1 : -1;
    int oh = 0, om = 0;
    if (!digits(s, i + 1, 2, oh)) return std::nullopt;
    std::size_t j = i + 3;
    if (j < s.size() && s[j] == ':') ++j;
    if (!digits(s, j, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset = sign * (hours(oh) + minutes(om));
    i = j + 2;
  }
  // The timestamp must end there: "2026-11-22T22:45:19abc" is not one.
  if (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != ']' && s[i] != '|' && s[i] != ',')
    return std::nullopt;
  return Clock::time_point(sys_days(date).time_since_epoch()) + since_midnight - offset;
}

std::string format_iso_ms(Clock::time_point t) {
  const Parts p = parts_of(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(p.date.year()),
                     static_cast<unsigned>(p.date.month()), static_cast<unsigned>(p.date.day()),
                     p.time.hours().count(), p.time.minutes().count(), p.time.seconds().count(),
                     p.time.subseconds().count());
}

std::string format_hms(Clock::time_point t) {
  const Parts p = parts_of(t);
  return fmt::format("{:02}:{:02}:{:02}", p.time.hours().count(), p.time.minutes().count(),
                     p.time.seconds().count());
}

}  // namespace logtail::observers::episodes
