#include "utc_time.h"

#include <chrono>
#include <cstdint>

namespace logtail {
namespace {

// Writes `value` as at least `width` digits ending at `end`, and returns where they start.
char* put_digits(char* end, std::uint64_t value, int width) {
  do {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
    --width;
  } while (value != 0 || width > 0);
  return end;
}

}  // namespace

std::string utc_timestamp(Clock::time_point time) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(time);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  const hh_mm_ss clock{ms - day};
  const int year = static_cast<int>(date.year());
  const auto abs_year = static_cast<std::uint64_t>(year < 0 ? -year : year);
  char buf[40];
  char* end = buf + sizeof buf;
  char* p = end;
  *--p = 'Z';
  p = put_digits(p, static_cast<std::uint64_t>(clock.subseconds().count()), 3);
  *--p = '.';
  p = put_digits(p, static_cast<std::uint64_t>(clock.seconds().count()), 2);
  *--p = ':';
  p = put_digits(p, static_cast<std::uint64_t>(clock.minutes().count()), 2);
  *--p = ':';
  p = put_digits(p, static_cast<std::uint64_t>(clock.hours().count()), 2);
  *--p = 'T';
  p = put_digits(p, static_cast<unsigned>(date.day()), 2);
  *--p = '-';
  p = put_digits(p, static_cast<unsigned>(date.month()), 2);
  *--p = '-';
  p = put_digits(p, abs_year, 4);
  if (year < 0) *--p = '-';
  return std::string(p, end);
}

}  // namespace logtail
