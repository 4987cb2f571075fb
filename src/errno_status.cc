#include "errno_status.h"

#include <cerrno>
#include <cstring>

namespace logtail {

StatusKind status_kind_of_errno(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return StatusKind::not_found;
    case EACCES:
    case EPERM:
    case EROFS:
      return StatusKind::permission_denied;
    default:
      return StatusKind::io_error;
  }
}

std::string errno_text(int err) {
  // strerror() may share a buffer between threads; the GNU strerror_r does not.
  char buffer[256];
  return strerror_r(err, buffer, sizeof buffer);
}

}  // namespace logtail
