// How an episode reads in an event: its message and field values. Pure.
#pragma once

#include <string>

#include "episodes/episode_tracker.h"

namespace logtail::observers::episodes {

// Milliseconds for people: whole numbers from 10 ms up ("870", "2300"), up to two decimals
// below ("2.5", "0.25").
std::string format_ms(double ms);

// "slow episode: 14 lines over 500 ms from 10:15:02 to 10:15:09, max 2300 ms, mean 870 ms"
// (times in UTC).
std::string episode_message(const Episode& episode, double threshold_ms);

}  // namespace logtail::observers::episodes
