// A plugin whose entry point says what the build asks it to, for the loader's checks:
// TEST_PLUGIN_ABI (a number), TEST_PLUGIN_VERSION (a string literal or nullptr) and
// TEST_PLUGIN_NAME (a string literal or nullptr). It registers observer `plugin_versioned`.
#include <memory>
#include <string_view>

#include "logtail/plugin.h"

namespace {

logtail::Status add_versioned(logtail::Registry& registry) {
  return registry.add_observer(
      "plugin_versioned",
      [](std::string_view) -> logtail::Result<std::unique_ptr<logtail::LineObserver>> {
        return std::unique_ptr<logtail::LineObserver>(
            std::make_unique<logtail::LineObserver>());
      });
}

}  // namespace

extern "C" LOGTAIL_PLUGIN_EXPORT const logtail_plugin_info* logtail_plugin_v1(void) {
  static const logtail_plugin_info info{TEST_PLUGIN_ABI, TEST_PLUGIN_VERSION, TEST_PLUGIN_NAME,
                                        add_versioned};
  return &info;
}
