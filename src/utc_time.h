// UTC timestamps as text. Pure.
#pragma once

#include <string>

#include "logtail/event.h"

namespace logtail {

// "2026-11-22T22:45:19.123Z": UTC, milliseconds, rounded down (so an event never appears to
// come from the future, also before 1970).
std::string utc_timestamp(Clock::time_point time);

}  // namespace logtail
