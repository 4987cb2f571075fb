// The `rules` observer: watch rules on the fields of JSON log lines, counted in exact
// sliding windows. A rule fires one event when its count reaches its threshold and re-arms
// when the count falls back below it.
//
//   [{"label": "http_5xx_spike", "match": {"field": "status", "gte": 500},
//     "threshold": 10, "window_seconds": 60}]
//
// Owner: the engine once added (the host may keep a reference for state() and
// replace_rules()). Threads: the LineObserver calls come on the engine's loop thread;
// replace_rules(), state() and skipped_lines() may be called from any thread.
// Needs logtail built with LOGTAIL_WITH_SIMDJSON (the default). See docs/observers/rules.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/event.h"
#include "logtail/observer.h"
#include "logtail/status.h"

namespace logtail::observers {

enum class RuleOp : std::uint8_t { eq, ne, gt, gte, lt, lte, contains, regex, exists };

// "eq", "ne", ..., "exists".
std::string_view to_string(RuleOp op);

// An operand as a rule states it.
struct RuleValue {
  enum class Type : std::uint8_t { null, boolean, number, string };
  Type type = Type::null;
  bool boolean_value = false;
  double number_value = 0;
  std::string string_value;

  static RuleValue null() { return {}; }
  static RuleValue boolean(bool b) {
    RuleValue v;
    v.type = Type::boolean;
    v.boolean_value = b;
    return v;
  }
  static RuleValue number(double n) {
    RuleValue v;
    v.type = Type::number;
    v.number_value = n;
    return v;
  }
  static RuleValue string(std::string s) {
    RuleValue v;
    v.type = Type::string;
    v.string_value = std::move(s);
    return v;
  }
};

// One test on one field. Operands by operator:
//   eq, ne           any value; when both sides read as numbers ("503" and 503 do) they
//                    compare as numbers, otherwise as text, booleans or null
//   gt, gte, lt, lte a number (or a string that reads as one)
//   contains, regex  a string; regex is ECMAScript syntax, searched anywhere in the value
//   exists           a boolean: true when the field must be present, false when absent
// Every operator but `exists` needs the field to be present. See docs for the details.
struct RuleCondition {
  std::string field;  // dotted path: "http.status", "items.0.id"
  RuleOp op = RuleOp::exists;
  RuleValue value = RuleValue::boolean(true);
};

struct Rule {
  std::string label;                  // unique among the rules; names the rule in events
  std::vector<RuleCondition> match;   // every condition must hold
  std::uint64_t threshold = 1;        // matches within the window that fire the rule
  std::chrono::milliseconds window{60'000};
  Severity severity = Severity::warning;
};

// Parses a rules document: a JSON array of rule objects, or {"rules": [...]}. An error names
// `origin`, the line and column (1-based, in bytes) and the reason:
//   "rules.json:3:17: unknown operator 'gtx'; use one of eq, ne, gt, gte, lt, lte, ..."
Result<std::vector<Rule>> parse_rules(std::string_view json_text,
                                      std::string_view origin = "rules");
// Reads and parses a rules file; errors name the file.
Result<std::vector<Rule>> load_rules(const std::filesystem::path& path);

// A rule as it stands now, for hosts that tune thresholds.
struct RuleState {
  std::string label;
  std::uint64_t count = 0;  // matches within the window
  std::uint64_t threshold = 0;
  std::chrono::milliseconds window{0};
  bool fired = false;  // fired and not yet re-armed
};

struct RulesOptions {
  // The read time given to each batch's lines (called once per batch, on the loop thread).
  // Empty: Clock::now. Tests and replays inject their own.
  std::function<Clock::time_point()> clock;
};

class RulesObserver final : public LineObserver {
 public:
  // Checks and compiles the rules (an error names the rule and the fix).
  static Result<std::unique_ptr<RulesObserver>> create(std::vector<Rule> rules,
                                                       RulesOptions options = {});
  ~RulesObserver() override;
  RulesObserver(const RulesObserver&) = delete;
  RulesObserver& operator=(const RulesObserver&) = delete;

  std::string_view name() const override { return "rules"; }
  void on_line(const Line& line, Emitter& out) override;
  void on_batch(const LineBatch& batch, Emitter& out) override;
  // Slides every window to `now` (counts decay with no lines arriving) and re-arms rules.
  void on_tick(Clock::time_point now, Emitter& out) override;

  // Any thread. Checks and compiles `rules`, then stages them; the observer takes them at
  // its next batch or tick, so a batch never sees half of one set and half of another. A
  // rule whose label was already present keeps its window and its fired state; a new label
  // starts empty. An error leaves the current rules in place.
  Status replace_rules(std::vector<Rule> rules);

  // Any thread. Every rule in order, as of the last batch or tick.
  std::vector<RuleState> state() const;
  // Any thread. Lines that were not a JSON object, skipped by every rule.
  std::uint64_t skipped_lines() const;

 private:
  class Impl;
  explicit RulesObserver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The registry's factory for `--observer rules=PATH`: loads the rules file at PATH.
Result<std::unique_ptr<LineObserver>> make_rules_observer(std::string_view arg);

}  // namespace logtail::observers
