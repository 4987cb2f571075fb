// The core's built-in observer (`lines`) and the registry entries for the core's built-ins.
#include <memory>
#include <string_view>

#include <fmt/format.h>

#include "logtail/observers.h"
#include "logtail/registry.h"
#include "logtail/sinks.h"

namespace logtail {
namespace observers {
namespace {

class LinesObserver final : public LineObserver {
 public:
  std::string_view name() const override { return "lines"; }

  void on_line(const Line& line, Emitter& out) override { out.emit(Severity::info, "line", line); }

  // The hot path of catch-up: one loop here rather than a virtual on_line call per line.
  void on_batch(const LineBatch& batch, Emitter& out) override {
    for (const Line& line : batch.lines()) out.emit(Severity::info, "line", line);
  }
};

}  // namespace

std::unique_ptr<LineObserver> lines() { return std::make_unique<LinesObserver>(); }

}  // namespace observers

namespace {

Status no_argument(std::string_view what, std::string_view name, std::string_view arg) {
  if (arg.empty()) return {};
  return {StatusKind::invalid_argument,
          fmt::format("{} '{}' takes no argument, not '{}'; write just {}", what, name, arg, name)};
}

}  // namespace

Status add_core_builtins(Registry& registry) {
  Status added = registry.add_observer(
      "lines", [](std::string_view arg) -> Result<std::unique_ptr<LineObserver>> {
        if (Status s = no_argument("observer", "lines", arg); !s.ok()) return s;
        return observers::lines();
      });
  if (!added.ok()) return added;

  added = registry.add_sink("jsonl", [](std::string_view arg) -> Result<std::shared_ptr<Sink>> {
    return sinks::jsonl(std::filesystem::path(arg));
  });
  if (!added.ok()) return added;

  return registry.add_sink("count", [](std::string_view arg) -> Result<std::shared_ptr<Sink>> {
    if (Status s = no_argument("sink", "count", arg); !s.ok()) return s;
    return std::shared_ptr<Sink>(std::make_shared<sinks::Counting>());
  });
}

}  // namespace logtail
