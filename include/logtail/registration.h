// LOGTAIL_REGISTER_OBSERVER: observers that announce themselves by name when the program
// starts, for hosts that keep each observer in a source file of its own.
//
//   // slow_requests.cc, compiled into the host executable
//   LOGTAIL_REGISTER_OBSERVER("slow_requests", [](std::string_view arg)
//       -> logtail::Result<std::unique_ptr<logtail::LineObserver>> { ... });
//
//   // main.cc
//   logtail::Registry registry;
//   if (auto s = logtail::add_registered_observers(registry); !s.ok()) return fail(s);
//
// The macro records (name, factory) in a process-wide list during static initialisation; it
// registers nothing by itself. The host's own Registry gets the entries only through
// add_registered_observers, so there is still no global registry.
//
// It works only in the host's own object files. The linker takes an object file out of a
// static library only when something refers to one of its symbols, and nothing refers to a
// self-registering initialiser, so an observer that registers itself from inside a static
// library silently goes missing. Libraries (logtail::observers among them) offer an explicit
// call instead, such as add_builtin_observers. Use the macro in a .cc file, never in a header:
// each translation unit that expands it records the name again.
//
// Owner of the list: the process. Threads: recording happens before main; the list is
// guarded, so add_registered_observers may be called from any thread.
#pragma once

#include <string>

#include "logtail/registry.h"
#include "logtail/status.h"

namespace logtail {

// Adds every observer recorded by LOGTAIL_REGISTER_OBSERVER to `registry`, all or none: a
// name that is invalid, recorded twice, or already in `registry` is an error that names it,
// and the registry is left as it was.
Status add_registered_observers(Registry& registry);

namespace detail {
// Appends to the process-wide list; returns true so it can initialise a static.
bool record_observer(std::string name, ObserverFactory factory);
}  // namespace detail

}  // namespace logtail

// Records the observer factory (anything an ObserverFactory can be made from) under `name`.
// Place it at namespace scope in a .cc file of the host. The factory is variadic only so that
// commas inside a lambda body need no extra parentheses.
#define LOGTAIL_REGISTER_OBSERVER(name, ...) \
  LOGTAIL_REGISTER_OBSERVER_WITH_ID_(__COUNTER__, name, __VA_ARGS__)

// Two levels, so that __COUNTER__ is expanded before it is pasted into the variable's name.
#define LOGTAIL_REGISTER_OBSERVER_WITH_ID_(id, name, ...) \
  LOGTAIL_REGISTER_OBSERVER_PASTE_(id, name, __VA_ARGS__)
#define LOGTAIL_REGISTER_OBSERVER_PASTE_(id, name, ...)                        \
  [[maybe_unused]] static const bool logtail_registered_observer_##id##_ = \
      ::logtail::detail::record_observer(name, __VA_ARGS__)
