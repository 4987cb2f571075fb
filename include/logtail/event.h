// Event: what an observer found, on its way to sinks.
//
// Owner: the engine builds each Event while an observer emits it and hands it to the routed
// sinks at once. Thread: the loop thread. Lifetime: the views in an Event are valid only during
// Sink::consume; a sink that keeps an event past that call copies it into an OwnedEvent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace logtail {

enum class Severity : std::uint8_t { debug, info, notice, warning, error, critical };

// "debug", "info", "notice", "warning", "error", "critical".
std::string_view to_string(Severity severity);
// Accepts the names above (case-insensitive) and "warn", "err", "fatal", "crit".
std::optional<Severity> parse_severity(std::string_view name);

// A named value attached to an event ("count" = "42"). Values are text; a sink that writes
// JSON writes them as strings unless they parse as numbers.
struct Field {
  std::string_view key;
  std::string_view value;
};

using Clock = std::chrono::system_clock;

struct Event {
  Clock::time_point time{};     // when the engine read the line (or the observer emitted)
  std::string_view source{};    // the file's path; empty for events not tied to a file
  std::uint64_t offset = 0;     // byte offset of the line in source
  std::string_view observer{};  // the emitting observer's name
  std::string_view kind{};      // what was found: "line", "incident", "slow_request", ...
  Severity severity = Severity::info;
  std::string_view message{};   // the line itself, or the observer's sentence
  bool truncated = false;       // the line behind it was cut at the engine's cap
  std::span<const Field> fields{};
};

// An Event that owns its bytes; safe to keep, move and hand to another thread.
class OwnedEvent {
 public:
  OwnedEvent() = default;
  explicit OwnedEvent(const Event& e);
  OwnedEvent(const OwnedEvent& other);
  OwnedEvent& operator=(const OwnedEvent& other);
  // Moves rebind the views too: a short string keeps its bytes inside the string object,
  // so they change address when the string moves.
  OwnedEvent(OwnedEvent&& other) noexcept;
  OwnedEvent& operator=(OwnedEvent&& other) noexcept;

  // A view valid while this object lives and is not modified.
  const Event& view() const { return view_; }
  const Event* operator->() const { return &view_; }

 private:
  void rebind();
  std::string source_, observer_, kind_, message_;
  std::vector<std::string> field_text_;  // key, value, key, value, ...
  std::vector<Field> fields_;
  Event view_;
};

}  // namespace logtail
