// A shared library built like a plugin, with logtail linked in, but without
// logtail_plugin_v1.
#include "logtail/plugin.h"

extern "C" LOGTAIL_PLUGIN_EXPORT const char* not_an_entry_point(void) {
  return LOGTAIL_VERSION_STRING;
}
