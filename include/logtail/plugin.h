// Observer plugins: shared libraries that add observers (and sinks) to a host's Registry at
// run time, as `logtail --plugin ./libslow_requests.so` does. See docs/plugins.md.
//
// Writing one: put the observers in a shared library that links logtail::core (a static,
// position-independent library, so the plugin carries its own copy of the code it calls),
// write a function that adds them to the Registry it is given, and name it once:
//
//   logtail::Status add_mine(logtail::Registry& registry) {
//     return registry.add_observer("slow_requests", make_slow_requests);
//   }
//   LOGTAIL_PLUGIN("slow_requests", add_mine)
//
// Loading one: load_plugin(path, registry). Before the plugin's registration function runs,
// the loader checks the plugin ABI number and that the plugin was built against the same
// logtail MAJOR.MINOR as the host; C++ types (Registry, LineObserver, Line, Event, Status)
// cross between the two, and only within one MAJOR.MINOR do they keep their layout. Host and
// plugin must also use the same C++ standard library (the same compiler family).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "logtail/registry.h"
#include "logtail/status.h"
#include "logtail/version.h"

// The plugin ABI: the name logtail_plugin_v1, the layout of logtail_plugin_info and what its
// fields mean. It changes only when those do.
#define LOGTAIL_PLUGIN_ABI_VERSION 1

// What logtail_plugin_v1 returns. The first two fields keep their place in every ABI
// version, so a host can read them from any plugin and refuse a mismatch before it touches
// anything else. The registration function is a C++ function pointer, not a C one: it is
// called only after both checks have passed, at which point host and plugin agree on the
// layout of Registry and Status.
struct logtail_plugin_info {
  std::uint32_t abi_version;    // LOGTAIL_PLUGIN_ABI_VERSION when the plugin was built
  const char* logtail_version;  // LOGTAIL_VERSION_STRING the plugin was built against
  const char* name;             // the plugin's name, for messages
  // Adds the plugin's observers (and sinks, if it has any) to `registry`. A failed Status
  // refuses the plugin; nothing it added is kept.
  logtail::Status (*register_observers)(logtail::Registry& registry);
};

// The entry point's name, which carries the ABI's major number: a host looks up only the
// symbol of the ABI it speaks.
#define LOGTAIL_PLUGIN_ENTRY_POINT "logtail_plugin_v1"

#if defined(__GNUC__)
#define LOGTAIL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define LOGTAIL_PLUGIN_EXPORT
#endif

// Defines the plugin's entry point. `plugin_name` is a string literal; `register_fn` a
// function `logtail::Status (logtail::Registry&)`. Use it once per plugin, at global scope
// in one .cc file. The entry point is exported even when the plugin is compiled with hidden
// visibility (which is recommended: then it is the only logtail symbol the plugin exports).
#define LOGTAIL_PLUGIN(plugin_name, register_fn)                                         \
  extern "C" LOGTAIL_PLUGIN_EXPORT const ::logtail_plugin_info* logtail_plugin_v1(void);  \
  extern "C" LOGTAIL_PLUGIN_EXPORT const ::logtail_plugin_info* logtail_plugin_v1(void) { \
    static const ::logtail_plugin_info info{LOGTAIL_PLUGIN_ABI_VERSION,                   \
                                            LOGTAIL_VERSION_STRING, plugin_name,          \
                                            register_fn};                                 \
    return &info;                                                                        \
  }

namespace logtail {

// A plugin that load_plugin accepted.
//
// The shared library itself stays loaded until the process ends, whatever happens to this
// handle: the factories it registered, the observers they made and those observers' vtables
// all point into its code, and unloading it under them would crash the host. So there is no
// unload; loading the same file again (into another registry) reuses the loaded library.
struct PluginHandle {
  std::string name;                   // logtail_plugin_info::name
  std::filesystem::path path;         // the file, as given to load_plugin
  std::string built_against;          // logtail_plugin_info::logtail_version
  std::vector<std::string> observers;  // the observer names it added, sorted
  std::vector<std::string> sinks;      // the sink names it added, sorted
};

// Loads the shared library at `path` (a path, never looked up in the library search path),
// checks its entry point, ABI and logtail version, and lets it add its observers to
// `registry`, all or none. Every refusal is a one-line error that names the file and the fix:
// a missing file (not_found); a file that is not a loadable shared object, or has no
// logtail_plugin_v1 (invalid_argument); an ABI or MAJOR.MINOR mismatch (failed_precondition);
// a failed registration (its own kind, the message prefixed with the plugin). A refused
// plugin is unloaded again.
//
// Thread: any, one call at a time per registry. The plugin's static initialisers run inside
// this call, on this thread.
Result<PluginHandle> load_plugin(const std::filesystem::path& path, Registry& registry);

}  // namespace logtail
