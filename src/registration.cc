// The process-wide list behind LOGTAIL_REGISTER_OBSERVER.
#include "logtail/registration.h"

#include <mutex>
#include <utility>
#include <vector>

namespace logtail {
namespace {

struct Recorded {
  std::string name;
  ObserverFactory factory;
};

struct RecordedList {
  std::mutex mutex;
  std::vector<Recorded> entries;
};

// A function-local static, so it exists before the first static initialiser that records
// into it, whatever order the linker put the translation units in. Never destroyed: a
// static destructor elsewhere may still run after this one would have.
RecordedList& recorded() {
  static RecordedList* const list = new RecordedList;
  return *list;
}

}  // namespace

namespace detail {

bool record_observer(std::string name, ObserverFactory factory) {
  RecordedList& list = recorded();
  const std::lock_guard lock(list.mutex);
  list.entries.push_back({std::move(name), std::move(factory)});
  return true;
}

}  // namespace detail

Status add_registered_observers(Registry& registry) {
  std::vector<Recorded> entries;
  {
    RecordedList& list = recorded();
    const std::lock_guard lock(list.mutex);
    entries = list.entries;
  }
  // Added to a copy first, so that a bad entry leaves the host's registry untouched.
  Registry staged = registry;
  for (Recorded& entry : entries) {
    Status added = staged.add_observer(std::move(entry.name), std::move(entry.factory));
    if (!added.ok()) return {added.kind(), "LOGTAIL_REGISTER_OBSERVER: " + added.message()};
  }
  registry = std::move(staged);
  return {};
}

}  // namespace logtail
