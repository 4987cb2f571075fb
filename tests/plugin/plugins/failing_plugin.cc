// A plugin whose registration fails after it has added an observer: with TEST_PLUGIN_THROWS
// it throws, otherwise it returns an error. Either way the host must keep nothing from it.
#include <memory>
#include <stdexcept>
#include <string_view>

#include "logtail/plugin.h"

namespace {

logtail::Status add_then_fail(logtail::Registry& registry) {
  logtail::Status added = registry.add_observer(
      "plugin_partial",
      [](std::string_view) -> logtail::Result<std::unique_ptr<logtail::LineObserver>> {
        return std::unique_ptr<logtail::LineObserver>(
            std::make_unique<logtail::LineObserver>());
      });
  if (!added.ok()) return added;
#ifdef TEST_PLUGIN_THROWS
  throw std::runtime_error("configuration table is empty");
#else
  return {logtail::StatusKind::unavailable,
          "license server did not answer; start it or run without this plugin"};
#endif
}

}  // namespace

LOGTAIL_PLUGIN("failing", add_then_fail)
