#include "logtail/status.h"

namespace logtail {

std::string_view to_string(StatusKind kind) {
  switch (kind) {
    case StatusKind::ok: return "ok";
    case StatusKind::invalid_argument: return "invalid_argument";
    case StatusKind::not_found: return "not_found";
    case StatusKind::already_exists: return "already_exists";
    case StatusKind::permission_denied: return "permission_denied";
    case StatusKind::io_error: return "io_error";
    case StatusKind::corrupt: return "corrupt";
    case StatusKind::busy: return "busy";
    case StatusKind::unavailable: return "unavailable";
    case StatusKind::failed_precondition: return "failed_precondition";
    case StatusKind::internal: return "internal";
  }
  // Only reachable through a value cast from outside the enumeration.
  return "unknown";
}

}  // namespace logtail
