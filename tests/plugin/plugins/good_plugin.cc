// A well-formed plugin: observer `plugin_echo` (each line as an event whose message is
// ARG followed by the line; kind "echo") and sink `plugin_discard` (accepts and drops
// everything).
#include <memory>
#include <string>
#include <string_view>

#include "logtail/plugin.h"

namespace {

class Echo final : public logtail::LineObserver {
 public:
  explicit Echo(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string_view name() const override { return "plugin_echo"; }
  void on_line(const logtail::Line& line, logtail::Emitter& out) override {
    const std::string message = prefix_ + std::string(line.text());
    out.emit(logtail::Severity::notice, "echo", line, message, {{"plugin", "good"}});
  }

 private:
  std::string prefix_;
};

class Discard final : public logtail::Sink {
 public:
  std::string_view name() const override { return "plugin_discard"; }
  logtail::Status consume(const logtail::Event&, logtail::Delivery&) override { return {}; }
};

logtail::Status add_good(logtail::Registry& registry) {
  logtail::Status added = registry.add_observer(
      "plugin_echo",
      [](std::string_view arg) -> logtail::Result<std::unique_ptr<logtail::LineObserver>> {
        return std::unique_ptr<logtail::LineObserver>(std::make_unique<Echo>(std::string(arg)));
      });
  if (!added.ok()) return added;
  return registry.add_sink(
      "plugin_discard", [](std::string_view) -> logtail::Result<std::shared_ptr<logtail::Sink>> {
        return std::shared_ptr<logtail::Sink>(std::make_shared<Discard>());
      });
}

}  // namespace

LOGTAIL_PLUGIN("good", add_good)
