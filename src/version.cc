#include "logtail/version.h"

namespace logtail {

const char* version() { return LOGTAIL_VERSION_STRING; }

}  // namespace logtail
