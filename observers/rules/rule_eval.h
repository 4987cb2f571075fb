// The rule evaluator: one parsed JSON document and one rule -> does the rule match? Rules are
// compiled once (operands read as numbers, regexes built) so a line costs lookups and
// comparisons only. Thread: a CompiledRule is immutable once built; evaluating it from one
// thread at a time is safe.
#pragma once

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "logtail/observers/rules.h"
#include "logtail/status.h"
#include "rules/json_line.h"

namespace logtail::observers::rules {

// libstdc++'s std::regex recurses once per input character for patterns like `(a|b)*`, so a
// long enough value overflows the stack: on an 8 MiB stack about 12 KiB does in an optimized
// build, and under the sanitizers 4 KiB already may (clang's ASan, unoptimized). A regex sees
// at most this many leading bytes of a value.
inline constexpr std::size_t kMaxRegexInput = 1024;

struct CompiledCondition {
  std::string field;
  RuleOp op = RuleOp::exists;
  RuleValue value;
  // The operand read as a number, when it is one or is a string that reads as one.
  std::optional<double> number;
  std::shared_ptr<const std::regex> regex;  // op == regex
};

struct CompiledRule {
  Rule rule;
  std::vector<CompiledCondition> conditions;
};

// Checks a rule (as built in code; parse_rules already checked what it returns) and compiles
// it. An error names the rule and what to fix.
Result<CompiledRule> compile_rule(const Rule& rule);
// All of them, and their labels unique.
Result<std::vector<CompiledRule>> compile_rules(const std::vector<Rule>& rules);

bool holds(const CompiledCondition& condition, const json_line::Document& doc);
// Every condition holds.
bool matches(const CompiledRule& rule, const json_line::Document& doc);

// A JSON value read as a number: numbers, and strings that are wholly a number (" 503" too).
std::optional<double> number_of(simdjson::dom::element value);
// A JSON scalar as text: strings as they are, numbers in their shortest form (503, 1.5),
// true/false, null. Objects and arrays have none.
std::optional<std::string> text_of(simdjson::dom::element value);

}  // namespace logtail::observers::rules
