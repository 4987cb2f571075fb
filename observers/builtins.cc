#include "logtail/builtin_observers.h"

#include "logtail/observers/episodes.h"
#include "logtail/observers/templates.h"
#if LOGTAIL_HAVE_HYPERSCAN
#include "logtail/observers/incidents.h"
#endif
#if LOGTAIL_HAVE_SIMDJSON
#include "logtail/observers/rules.h"
#endif

namespace logtail {

Status add_builtin_observers(Registry& registry) {
#if LOGTAIL_HAVE_SIMDJSON
  if (Status st = registry.add_observer("rules", observers::make_rules_observer); !st.ok())
    return st;
#endif
  if (Status st = registry.add_observer("episodes", observers::make_episodes_observer); !st.ok())
    return st;
#if LOGTAIL_HAVE_HYPERSCAN
  if (Status st = registry.add_observer("incidents", observers::make_incidents_observer); !st.ok())
    return st;
#endif
  if (Status st = registry.add_observer("templates", observers::make_templates_observer); !st.ok())
    return st;
  (void)registry;
  return {};
}

}  // namespace logtail
