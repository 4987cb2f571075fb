// errno values as Status kinds and text. Pure.
#pragma once

#include <string>

#include "logtail/status.h"

namespace logtail {

// ENOENT and ENOTDIR: not_found; EACCES, EPERM and EROFS: permission_denied; else io_error.
StatusKind status_kind_of_errno(int err);

// The system's message for `err` ("No such file or directory"); thread-safe.
std::string errno_text(int err);

}  // namespace logtail
