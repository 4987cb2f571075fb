// Rules text -> Rule values (parse_rules in logtail/observers/rules.h), with every error
// pointing at the line and column to fix. Pure: no I/O. Shared names for operators and
// limits live here so the parser and the checks on rules built in code agree.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "logtail/observers/rules.h"

namespace logtail::observers::rules {

// "eq, ne, gt, gte, lt, lte, contains, regex, exists", for error messages.
std::string_view operator_list();
std::optional<RuleOp> parse_op(std::string_view name);

// A window is at least a millisecond and at most this long, so counts stay meaningful and
// the arithmetic on time points cannot overflow.
inline constexpr std::chrono::milliseconds kMaxWindow{31LL * 24 * 3600 * 1000};
// Thresholds are integers a double holds exactly.
inline constexpr std::uint64_t kMaxThreshold = std::uint64_t{1} << 53;

}  // namespace logtail::observers::rules
