// The episodes observer's options: the compact registry spec (parse_episode_spec in
// logtail/observers/episodes.h) and the checks every EpisodeOptions passes. Pure.
#pragma once

#include <optional>
#include <string_view>

#include "logtail/observers/episodes.h"
#include "logtail/status.h"

namespace logtail::observers::episodes {

// "250us", "500ms", "1.5s", "2m", "1h" (also "µs") in milliseconds. The unit is required;
// negative values are errors. `what` names the option in errors ("gap").
Result<double> parse_duration_ms(std::string_view text, std::string_view what);

std::optional<ValueUnit> parse_unit(std::string_view text);
double unit_ms(ValueUnit unit);

// Checks options given in code or parsed from a spec; errors name the option and the fix.
Status check_options(const EpisodeOptions& options);

}  // namespace logtail::observers::episodes
