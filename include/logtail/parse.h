// Parsers for the values options take, with errors that name the value and the fix.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "logtail/status.h"

namespace logtail {

// "250ms", "2s", "1.5s", "3m", "1h"; a bare number is seconds. Negative values are errors.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);
// "512", "64KiB", "4MiB", "1GiB" (also k/K, M, G as binary units). Zero is allowed.
Result<std::uint64_t> parse_size(std::string_view text);

}  // namespace logtail
