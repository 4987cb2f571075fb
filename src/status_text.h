// Small helpers that many parts of logtail share for building messages and statuses.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "logtail/status.h"

namespace logtail {

// Bad input from the caller (an option, a spec, a response field), as a Status.
inline Status invalid(std::string message) {
  return Status(StatusKind::invalid_argument, std::move(message));
}

// `text` without leading and trailing ASCII white space (space, \t, \n, \r, \f, \v).
inline std::string_view trim_space(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const std::size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(kSpace) - begin + 1);
}

}  // namespace logtail
