// Registry: observer and sink factories by name, so `--observer NAME=ARG` and configuration
// files can build what code would.
//
// Owner: the host (there is no global registry). Thread: any one thread at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/observer.h"
#include "logtail/sink.h"
#include "logtail/status.h"

namespace logtail {

// ARG is everything after the first '=' of "NAME=ARG" (empty when there is none).
using ObserverFactory =
    std::function<Result<std::unique_ptr<LineObserver>>(std::string_view arg)>;
using SinkFactory = std::function<Result<std::shared_ptr<Sink>>(std::string_view arg)>;

class Registry {
 public:
  // A duplicate name is an error that names it.
  Status add_observer(std::string name, ObserverFactory factory);
  Status add_sink(std::string name, SinkFactory factory);

  // "NAME" or "NAME=ARG". An unknown name is an error that lists the known ones.
  Result<std::unique_ptr<LineObserver>> make_observer(std::string_view spec) const;
  Result<std::shared_ptr<Sink>> make_sink(std::string_view spec) const;

  std::vector<std::string> observer_names() const;
  std::vector<std::string> sink_names() const;

 private:
  std::map<std::string, ObserverFactory, std::less<>> observers_;
  std::map<std::string, SinkFactory, std::less<>> sinks_;
};

// Adds the core's built-ins: observer `lines`; sinks `jsonl` (ARG: a file to append to,
// stdout when empty or "-") and `count`.
Status add_core_builtins(Registry& registry);

}  // namespace logtail
