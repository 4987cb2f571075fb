// Timestamps at the start of log lines, and how episodes print times. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "logtail/event.h"

namespace logtail::observers::episodes {

// The ISO-8601 timestamp a line starts with, if any:
//   YYYY-MM-DD(T| )HH:MM:SS[(.|,)fraction][Z|+HH:MM|-HH:MM|+HHMM|-HHMM]
// optionally inside a leading '['. A timestamp without a zone is taken as UTC. Fractions
// beyond nanoseconds are cut. Out-of-range fields (month 13, 25:00) are not a timestamp.
std::optional<Clock::time_point> leading_timestamp(std::string_view line);

// "2026-11-22T22:45:19.123Z" (UTC, milliseconds).
std::string format_iso_ms(Clock::time_point t);
// "22:45:19" (UTC).
std::string format_hms(Clock::time_point t);

}  // namespace logtail::observers::episodes
