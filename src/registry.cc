// Registry: factories by name, and the "NAME" / "NAME=ARG" specs that select them.
#include "logtail/registry.h"

#include <exception>
#include <utility>

#include <fmt/format.h>

namespace logtail {
namespace {

// Names end up on command lines and in configuration files, so they are kept to characters
// that need no quoting anywhere.
bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

template <class Factory>
Status add_factory(std::map<std::string, Factory, std::less<>>& map, std::string_view what,
                   std::string name, Factory factory) {
  if (!valid_name(name)) {
    return {StatusKind::invalid_argument,
            fmt::format("{} name '{}' is not valid; use lowercase letters, digits, '_' and '-'",
                        what, name)};
  }
  if (!factory) {
    return {StatusKind::invalid_argument,
            fmt::format("{} '{}' has no factory; pass a callable that builds it", what, name)};
  }
  if (map.contains(name)) {
    return {StatusKind::already_exists,
            fmt::format("{} '{}' is already registered; register it once or pick another name",
                        what, name)};
  }
  map.emplace(std::move(name), std::move(factory));
  return {};
}

template <class Map>
std::vector<std::string> names_of(const Map& map) {
  std::vector<std::string> names;
  names.reserve(map.size());
  for (const auto& entry : map) names.push_back(entry.first);
  return names;
}

struct Spec {
  std::string_view name;
  std::string_view arg;
};

Spec split_spec(std::string_view spec) {
  const auto eq = spec.find('=');
  if (eq == std::string_view::npos) return {spec, {}};
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

// Finds the factory a spec names, or the error a user should see. `what` is "observer" or
// "sink"; `plural` its plural.
template <class Map>
Result<const typename Map::mapped_type*> find_factory(const Map& map, std::string_view what,
                                                      std::string_view plural, Spec spec,
                                                      std::string_view whole) {
  if (spec.name.empty()) {
    return Status{StatusKind::invalid_argument,
                  fmt::format("{} spec '{}' has no name; write NAME or NAME=ARG", what, whole)};
  }
  auto it = map.find(spec.name);
  if (it == map.end()) {
    if (map.empty()) {
      return Status{StatusKind::not_found,
                    fmt::format("unknown {} '{}'; no {} are registered", what, spec.name, plural)};
    }
    return Status{StatusKind::not_found,
                  fmt::format("unknown {} '{}'; known {}: {}", what, spec.name, plural,
                              fmt::join(names_of(map), ", "))};
  }
  return &it->second;
}

// Factories are host code: a throw is turned into an error here rather than crossing the
// public API.
template <class T, class Factory>
Result<T> call_factory(const Factory& factory, std::string_view what, Spec spec) {
  try {
    Result<T> made = factory(spec.arg);
    if (made.ok() && *made == nullptr) {
      return Status{StatusKind::internal,
                    fmt::format("{} '{}': its factory returned nothing", what, spec.name)};
    }
    return made;
  } catch (const std::exception& e) {
    return Status{StatusKind::internal,
                  fmt::format("{} '{}': its factory threw: {}", what, spec.name, e.what())};
  } catch (...) {
    return Status{StatusKind::internal,
                  fmt::format("{} '{}': its factory threw an unknown exception", what, spec.name)};
  }
}

}  // namespace

Status Registry::add_observer(std::string name, ObserverFactory factory) {
  return add_factory(observers_, "observer", std::move(name), std::move(factory));
}

Status Registry::add_sink(std::string name, SinkFactory factory) {
  return add_factory(sinks_, "sink", std::move(name), std::move(factory));
}

Result<std::unique_ptr<LineObserver>> Registry::make_observer(std::string_view spec) const {
  const Spec parts = split_spec(spec);
  auto factory = find_factory(observers_, "observer", "observers", parts, spec);
  if (!factory.ok()) return factory.status();
  return call_factory<std::unique_ptr<LineObserver>>(**factory, "observer", parts);
}

Result<std::shared_ptr<Sink>> Registry::make_sink(std::string_view spec) const {
  const Spec parts = split_spec(spec);
  auto factory = find_factory(sinks_, "sink", "sinks", parts, spec);
  if (!factory.ok()) return factory.status();
  return call_factory<std::shared_ptr<Sink>>(**factory, "sink", parts);
}

std::vector<std::string> Registry::observer_names() const { return names_of(observers_); }

std::vector<std::string> Registry::sink_names() const { return names_of(sinks_); }

}  // namespace logtail
