// The built-in observers of logtail::observers, added to a Registry by one explicit call
// (static libraries drop unused self-registering initialisers, so nothing registers itself).
#pragma once

#include "logtail/registry.h"
#include "logtail/status.h"

namespace logtail {

// Adds every observer compiled into logtail::observers: incidents, rules, episodes,
// templates (each only when its dependency was enabled at build time).
Status add_builtin_observers(Registry& registry);

}  // namespace logtail
