// Checks shared by the patterns file parser and IncidentsObserver::create.
#pragma once

#include <string_view>

namespace logtail::observers {

// Letters, digits, '_', '-' and '.'; not empty.
bool valid_pattern_id(std::string_view id);

}  // namespace logtail::observers
