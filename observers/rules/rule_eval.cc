#include "rules/rule_eval.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "rules/rule_parser.h"

namespace logtail::observers::rules {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<double> number_of_text(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  double n = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), n);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(n))
    return std::nullopt;
  return n;
}

Status rule_error(const Rule& rule, std::string_view what) {
  return Status(StatusKind::invalid_argument,
                fmt::format("rules: rule '{}': {}", rule.label, what));
}

bool equal(const CompiledCondition& c, element value) {
  switch (c.value.type) {
    case RuleValue::Type::null:
      return value.type() == element_type::NULL_VALUE;
    case RuleValue::Type::boolean: {
      bool b = false;
      return value.get(b) == simdjson::SUCCESS && b == c.value.boolean_value;
    }
    case RuleValue::Type::number:
    case RuleValue::Type::string: {
      if (c.number) {
        const auto n = number_of(value);
        if (n) return *n == *c.number;
      }
      if (c.value.type == RuleValue::Type::number) return false;
      const auto text = text_of(value);
      return text && *text == c.value.string_value;
    }
  }
  return false;
}

bool compare(RuleOp op, double field, double operand) {
  switch (op) {
    case RuleOp::gt: return field > operand;
    case RuleOp::gte: return field >= operand;
    case RuleOp::lt: return field < operand;
    case RuleOp::lte: return field <= operand;
    default: return false;
  }
}

}  // namespace

std::optional<double> number_of(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return value.get_double().value_unsafe();
    case element_type::STRING: return number_of_text(value.get_string().value_unsafe());
    default: return std::nullopt;
  }
}

std::optional<std::string> text_of(element value) {
  switch (value.type()) {
    case element_type::STRING: return std::string(value.get_string().value_unsafe());
    case element_type::INT64: return std::to_string(value.get_int64().value_unsafe());
    case element_type::UINT64: return std::to_string(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return fmt::format("{}", value.get_double().value_unsafe());
    case element_type::BOOL: return std::string(value.get_bool().value_unsafe() ? "true" : "false");
    case element_type::NULL_VALUE: return std::string("null");
    default: return std::nullopt;
  }
}

Result<CompiledRule> compile_rule(const Rule& rule) {
  if (rule.label.empty())
    return Status(StatusKind::invalid_argument, "rules: a rule has an empty label; name it");
  if (rule.match.empty()) return rule_error(rule, "no conditions; add one to `match`");
  if (rule.threshold < 1 || rule.threshold > kMaxThreshold)
    return rule_error(rule, fmt::format("threshold {} is out of range; use 1 to {}",
                                        rule.threshold, kMaxThreshold));
  if (rule.window.count() < 1 || rule.window > kMaxWindow)
    return rule_error(rule, fmt::format("window of {} ms is out of range; use 1 ms to 31 days",
                                        rule.window.count()));
  CompiledRule out;
  out.rule = rule;
  for (const RuleCondition& c : rule.match) {
    CompiledCondition cc;
    cc.field = c.field;
    cc.op = c.op;
    cc.value = c.value;
    if (c.field.empty() || c.field.front() == '.' || c.field.back() == '.' ||
        c.field.find("..") != std::string::npos)
      return rule_error(rule, fmt::format("field path '{}' is empty or has an empty part",
                                          c.field));
    const auto type = c.value.type;
    if (type == RuleValue::Type::number) cc.number = c.value.number_value;
    if (type == RuleValue::Type::string) cc.number = number_of_text(c.value.string_value);
    switch (c.op) {
      case RuleOp::eq:
      case RuleOp::ne:
        break;
      case RuleOp::gt:
      case RuleOp::gte:
      case RuleOp::lt:
      case RuleOp::lte:
        if (!cc.number)
          return rule_error(rule, fmt::format("'{}' on '{}' needs a number", to_string(c.op),
                                              c.field));
        break;
      case RuleOp::contains:
      case RuleOp::regex:
        if (type != RuleValue::Type::string)
          return rule_error(rule, fmt::format("'{}' on '{}' needs a string", to_string(c.op),
                                              c.field));
        if (c.op == RuleOp::regex) {
          try {
            cc.regex = std::make_shared<const std::regex>(c.value.string_value,
                                                          std::regex::ECMAScript);
          } catch (const std::regex_error& e) {
            return rule_error(rule, fmt::format("regex \"{}\" does not compile: {}",
                                                c.value.string_value, e.what()));
          }
        }
        break;
      case RuleOp::exists:
        if (type != RuleValue::Type::boolean)
          return rule_error(rule, fmt::format("'exists' on '{}' needs true or false", c.field));
        break;
    }
    out.conditions.push_back(std::move(cc));
  }
  return out;
}

Result<std::vector<CompiledRule>> compile_rules(const std::vector<Rule>& rules) {
  std::vector<CompiledRule> out;
  out.reserve(rules.size());
  for (const Rule& r : rules) {
    for (const CompiledRule& earlier : out)
      if (earlier.rule.label == r.label)
        return rule_error(r, "the label is used twice; labels must be unique");
    auto compiled = compile_rule(r);
    if (!compiled.ok()) return compiled.status();
    out.push_back(std::move(*compiled));
  }
  return out;
}

bool holds(const CompiledCondition& c, const json_line::Document& doc) {
  element value;
  const bool present = json_line::find_field(doc, c.field, value);
  if (c.op == RuleOp::exists) return present == c.value.boolean_value;
  if (!present) return false;
  switch (c.op) {
    case RuleOp::eq: return equal(c, value);
    case RuleOp::ne: return !equal(c, value);
    case RuleOp::gt:
    case RuleOp::gte:
    case RuleOp::lt:
    case RuleOp::lte: {
      const auto n = number_of(value);
      return n && compare(c.op, *n, *c.number);
    }
    case RuleOp::contains: {
      // Strings are compared in place; only numbers and booleans need text made for them.
      std::string_view s;
      if (value.get(s) == simdjson::SUCCESS)
        return s.find(c.value.string_value) != std::string_view::npos;
      const auto text = text_of(value);
      return text && text->find(c.value.string_value) != std::string::npos;
    }
    case RuleOp::regex: {
      std::string_view s;
      std::optional<std::string> text;
      if (value.get(s) != simdjson::SUCCESS) {
        text = text_of(value);
        if (!text) return false;
        s = *text;
      }
      s = s.substr(0, kMaxRegexInput);
      return std::regex_search(s.begin(), s.end(), *c.regex);
    }
    case RuleOp::exists: break;
  }
  return false;
}

bool matches(const CompiledRule& rule, const json_line::Document& doc) {
  for (const CompiledCondition& c : rule.conditions)
    if (!holds(c, doc)) return false;
  return true;
}

}  // namespace logtail::observers::rules
