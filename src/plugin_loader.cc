// load_plugin: opens a plugin's shared library through libuv's dlopen wrapper, checks that it
// was built for this logtail, and lets it register its observers.
#include <uv.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "logtail/plugin.h"

namespace logtail {
namespace {

constexpr std::string_view kRebuild = "rebuild the plugin against this version";
constexpr std::string_view kUseMacro =
    "define the entry point with LOGTAIL_PLUGIN(name, register_fn)";

using EntryPoint = const logtail_plugin_info* (*)();

struct LibraryCloser {
  void operator()(uv_lib_t* lib) const {
    uv_dlclose(lib);
    delete lib;
  }
};
using Library = std::unique_ptr<uv_lib_t, LibraryCloser>;

// Every accepted plugin's library, kept open until the process ends (see PluginHandle).
// Never destroyed, so no static destructor can close a library whose code another static
// destructor still runs.
struct LoadedLibraries {
  std::mutex mutex;
  std::vector<uv_lib_t*> libraries;
};

LoadedLibraries& loaded_libraries() {
  static LoadedLibraries* const loaded = new LoadedLibraries;
  return *loaded;
}

void keep_loaded(Library library) {
  LoadedLibraries& loaded = loaded_libraries();
  const std::lock_guard lock(loaded.mutex);
  loaded.libraries.push_back(library.release());
}

// dlerror text is one line in practice; made sure of, since it ends up inside one.
std::string one_line(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\n', ' ');
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

struct MajorMinor {
  unsigned major = 0;
  unsigned minor = 0;
};

// "MAJOR.MINOR" followed by the end, or by '.' and anything (the patch level, a suffix).
std::optional<MajorMinor> parse_major_minor(std::string_view text) {
  MajorMinor out;
  const char* const end = text.data() + text.size();
  auto [after_major, major_error] = std::from_chars(text.data(), end, out.major);
  if (major_error != std::errc() || after_major == end || *after_major != '.') {
    return std::nullopt;
  }
  auto [after_minor, minor_error] = std::from_chars(after_major + 1, end, out.minor);
  if (minor_error != std::errc() || (after_minor != end && *after_minor != '.')) {
    return std::nullopt;
  }
  return out;
}

Status refuse(StatusKind kind, const std::filesystem::path& path, std::string_view why) {
  return {kind, fmt::format("plugin '{}' {}", path.string(), why)};
}

// Everything the entry point promises, checked in the order that makes each later check
// meaningful: nothing past abi_version is read from a plugin of another ABI.
Status check_info(const logtail_plugin_info* info, const std::filesystem::path& path) {
  if (info == nullptr) {
    return refuse(StatusKind::invalid_argument, path,
                  fmt::format("is not a usable logtail plugin: logtail_plugin_v1 returned no "
                              "information; {}",
                              kUseMacro));
  }
  if (info->abi_version != LOGTAIL_PLUGIN_ABI_VERSION) {
    return refuse(StatusKind::failed_precondition, path,
                  fmt::format("uses plugin ABI {}, this logtail loads ABI {}; {}",
                              info->abi_version, LOGTAIL_PLUGIN_ABI_VERSION, kRebuild));
  }
  const std::string_view version =
      info->logtail_version == nullptr ? std::string_view() : info->logtail_version;
  const auto built = parse_major_minor(version);
  if (!built) {
    return refuse(StatusKind::failed_precondition, path,
                  fmt::format("reports logtail version '{}', which is not MAJOR.MINOR.PATCH; {}",
                              version, kRebuild));
  }
  if (built->major != LOGTAIL_VERSION_MAJOR || built->minor != LOGTAIL_VERSION_MINOR) {
    return refuse(StatusKind::failed_precondition, path,
                  fmt::format("was built against logtail {}.{}, this is {}.{}; {}", built->major,
                              built->minor, LOGTAIL_VERSION_MAJOR, LOGTAIL_VERSION_MINOR,
                              kRebuild));
  }
  if (info->name == nullptr || *info->name == '\0') {
    return refuse(StatusKind::invalid_argument, path, fmt::format("has no name; {}", kUseMacro));
  }
  if (info->register_observers == nullptr) {
    return refuse(StatusKind::invalid_argument, path,
                  fmt::format("has no registration function; {}", kUseMacro));
  }
  return {};
}

std::vector<std::string> added_names(const std::vector<std::string>& before,
                                     const std::vector<std::string>& after) {
  std::vector<std::string> added;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
  return added;
}

// Runs the plugin's registration on a copy of `registry` and keeps the copy only when it
// succeeds. Returns with the copy destroyed, so a refused plugin's factories are gone before
// its library is closed.
Status register_into(const logtail_plugin_info& info, const std::filesystem::path& path,
                     Registry& registry, PluginHandle& handle) {
  Registry staged = registry;
  Status registered;
  try {
    registered = info.register_observers(staged);
  } catch (const std::exception& e) {
    registered = {StatusKind::internal, fmt::format("its registration threw: {}", e.what())};
  } catch (...) {
    registered = {StatusKind::internal, "its registration threw an unknown exception"};
  }
  if (!registered.ok()) {
    return {registered.kind(), fmt::format("plugin '{}' ({}) could not register its observers: {}",
                                           path.string(), info.name, registered.message())};
  }
  handle.observers = added_names(registry.observer_names(), staged.observer_names());
  handle.sinks = added_names(registry.sink_names(), staged.sink_names());
  registry = std::move(staged);
  return {};
}

}  // namespace

Result<PluginHandle> load_plugin(const std::filesystem::path& path, Registry& registry) {
  if (path.empty()) {
    return Status{StatusKind::invalid_argument,
                  "plugin path is empty; give the path of a plugin's shared library"};
  }
  // exists() reports a missing file as false without an error; any other failure (a
  // directory that may not be searched) is left for dlopen to describe.
  std::error_code error;
  if (!std::filesystem::exists(path, error) && !error) {
    return refuse(StatusKind::not_found, path,
                  "does not exist; give the path of a plugin's shared library");
  }
  // An absolute path, so that dlopen opens this file and does not search the library path
  // for a bare name such as "libslow.so".
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) absolute = path;

  Library library(new uv_lib_t{});
  if (uv_dlopen(absolute.c_str(), library.get()) != 0) {
    return refuse(StatusKind::invalid_argument, path,
                  fmt::format("cannot be loaded: {}; give a shared library built as a logtail "
                              "plugin",
                              one_line(uv_dlerror(library.get()))));
  }
  void* symbol = nullptr;
  if (uv_dlsym(library.get(), LOGTAIL_PLUGIN_ENTRY_POINT, &symbol) != 0 || symbol == nullptr) {
    return refuse(StatusKind::invalid_argument, path,
                  fmt::format("is not a logtail plugin: it has no logtail_plugin_v1; {}",
                              kUseMacro));
  }
  const logtail_plugin_info* info = reinterpret_cast<EntryPoint>(symbol)();
  if (Status s = check_info(info, path); !s.ok()) return s;

  PluginHandle handle;
  handle.name = info->name;
  handle.path = path;
  handle.built_against = info->logtail_version;
  if (Status s = register_into(*info, path, registry, handle); !s.ok()) return s;
  keep_loaded(std::move(library));
  return handle;
}

}  // namespace logtail
