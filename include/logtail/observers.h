// The core's built-in observers.
#pragma once

#include <memory>

#include "logtail/observer.h"

namespace logtail::observers {

// Every line becomes an event: kind "line", severity info, message the line.
std::unique_ptr<LineObserver> lines();

}  // namespace logtail::observers
