#include "rules/rule_parser.h"

#include <array>
#include <charconv>
#include <cmath>
#include <regex>
#include <string>

#include <fmt/format.h>

#include "rules/json_reader.h"

namespace logtail::observers {
namespace rules {
namespace {

struct OpName {
  std::string_view name;
  RuleOp op;
};

constexpr std::array<OpName, 9> kOps{{{"eq", RuleOp::eq},
                                      {"ne", RuleOp::ne},
                                      {"gt", RuleOp::gt},
                                      {"gte", RuleOp::gte},
                                      {"lt", RuleOp::lt},
                                      {"lte", RuleOp::lte},
                                      {"contains", RuleOp::contains},
                                      {"regex", RuleOp::regex},
                                      {"exists", RuleOp::exists}}};

constexpr std::string_view kRuleKeys =
    "label, match, threshold, window_seconds, severity, description";

using json::Value;
using Type = Value::Type;

// The first error found; parsing stops there.
struct Failure {
  std::size_t offset;
  std::string reason;
};

class RuleReader {
 public:
  std::optional<Failure> failure;

  bool fail(std::size_t offset, std::string reason) {
    if (!failure) failure = Failure{offset, std::move(reason)};
    return false;
  }

  bool expect(const Value& v, Type type, std::string_view what) {
    if (v.type == type) return true;
    return fail(v.offset, fmt::format("{} must be a JSON {}, not a {}", what,
                                      json::type_name(type), json::type_name(v.type)));
  }

  bool operand(const Value& v, RuleOp op, RuleValue& out) {
    const std::string what = fmt::format("the operand of '{}'", to_string(op));
    switch (op) {
      case RuleOp::eq:
      case RuleOp::ne:
        return any_scalar(v, what, out);
      case RuleOp::gt:
      case RuleOp::gte:
      case RuleOp::lt:
      case RuleOp::lte:
        return number_operand(v, what, out);
      case RuleOp::contains:
        if (!expect(v, Type::string, what)) return false;
        out = RuleValue::string(v.text);
        return true;
      case RuleOp::regex:
        if (!expect(v, Type::string, what)) return false;
        try {
          std::regex compiled(v.text, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          return fail(v.offset, fmt::format("regex \"{}\" does not compile: {}", v.text, e.what()));
        }
        out = RuleValue::string(v.text);
        return true;
      case RuleOp::exists:
        if (!expect(v, Type::boolean, what)) return false;
        out = RuleValue::boolean(v.boolean);
        return true;
    }
    return fail(v.offset, "unknown operator");
  }

  bool any_scalar(const Value& v, const std::string& what, RuleValue& out) {
    switch (v.type) {
      case Type::null: out = RuleValue::null(); return true;
      case Type::boolean: out = RuleValue::boolean(v.boolean); return true;
      case Type::number: out = RuleValue::number(v.number); return true;
      case Type::string: out = RuleValue::string(v.text); return true;
      default:
        return fail(v.offset, fmt::format("{} must be a string, number, boolean or null, not "
                                          "an {}", what, json::type_name(v.type)));
    }
  }

  bool number_operand(const Value& v, const std::string& what, RuleValue& out) {
    if (v.type == Type::number) {
      out = RuleValue::number(v.number);
      return true;
    }
    if (v.type == Type::string) {
      // "500" is accepted for 500, as logs write numbers either way.
      double n = 0;
      const char* end = v.text.data() + v.text.size();
      const auto res = std::from_chars(v.text.data(), end, n);
      if (!v.text.empty() && res.ec == std::errc() && res.ptr == end && std::isfinite(n)) {
        out = RuleValue::number(n);
        return true;
      }
    }
    return fail(v.offset, fmt::format("{} must be a number", what));
  }

  bool field_path(const Value& v, std::string& out) {
    if (!expect(v, Type::string, "\"field\"")) return false;
    if (v.text.empty()) return fail(v.offset, "\"field\" is empty; name a field, e.g. \"status\"");
    if (v.text.front() == '.' || v.text.back() == '.' || v.text.find("..") != std::string::npos)
      return fail(v.offset, fmt::format("field path \"{}\" has an empty part; write parts "
                                        "separated by single dots, e.g. \"http.status\"",
                                        v.text));
    out = v.text;
    return true;
  }

  bool condition(const Value& v, Rule& rule) {
    if (!expect(v, Type::object, "a condition")) return false;
    const Value* field = v.find("field");
    if (field == nullptr)
      return fail(v.offset, "condition has no \"field\"; add e.g. \"field\": \"status\"");
    std::string path;
    if (!field_path(*field, path)) return false;
    std::size_t ops = 0;
    for (const Value::Member& m : v.members) {
      if (m.key == "field") continue;
      const auto op = parse_op(m.key);
      if (!op)
        return fail(m.key_offset, fmt::format("unknown operator \"{}\"; use one of {}", m.key,
                                              operator_list()));
      RuleCondition c;
      c.field = path;
      c.op = *op;
      if (!operand(m.value, *op, c.value)) return false;
      rule.match.push_back(std::move(c));
      ++ops;
    }
    if (ops == 0)
      return fail(v.offset, fmt::format("condition on \"{}\" has no operator; add one of {}",
                                        path, operator_list()));
    return true;
  }

  bool match(const Value& v, Rule& rule) {
    if (v.type == Type::object) return condition(v, rule);
    if (v.type != Type::array)
      return fail(v.offset, fmt::format("\"match\" must be a condition object or an array of "
                                        "them, not a {}", json::type_name(v.type)));
    if (v.items.empty()) return fail(v.offset, "\"match\" is an empty array; add a condition");
    for (const Value& item : v.items)
      if (!condition(item, rule)) return false;
    return true;
  }

  bool threshold(const Value& v, Rule& rule) {
    if (!expect(v, Type::number, "\"threshold\"")) return false;
    if (v.number < 1 || v.number != std::floor(v.number) ||
        v.number > static_cast<double>(kMaxThreshold))
      return fail(v.offset, fmt::format("\"threshold\" must be a whole number from 1 to {}, "
                                        "not {}", kMaxThreshold, v.text));
    rule.threshold = static_cast<std::uint64_t>(v.number);
    return true;
  }

  bool window(const Value& v, Rule& rule) {
    if (!expect(v, Type::number, "\"window_seconds\"")) return false;
    const double ms = std::round(v.number * 1000.0);
    if (!(ms >= 1) || ms > static_cast<double>(kMaxWindow.count()))
      return fail(v.offset, fmt::format("\"window_seconds\" must be from 0.001 to {} (31 days), "
                                        "not {}", kMaxWindow.count() / 1000, v.text));
    rule.window = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
    return true;
  }

  bool severity(const Value& v, Rule& rule) {
    if (!expect(v, Type::string, "\"severity\"")) return false;
    const auto s = parse_severity(v.text);
    if (!s)
      return fail(v.offset, fmt::format("unknown severity \"{}\"; use debug, info, notice, "
                                        "warning, error or critical", v.text));
    rule.severity = *s;
    return true;
  }

  bool rule(const Value& v, const std::vector<Rule>& earlier, Rule& out) {
    if (!expect(v, Type::object, "a rule")) return false;
    const Value* label = v.find("label");
    if (label == nullptr)
      return fail(v.offset, "rule has no \"label\"; add e.g. \"label\": \"http_5xx_spike\"");
    if (!expect(*label, Type::string, "\"label\"")) return false;
    if (label->text.empty()) return fail(label->offset, "\"label\" is empty; name the rule");
    for (const Rule& r : earlier)
      if (r.label == label->text)
        return fail(label->offset, fmt::format("duplicate label \"{}\"; labels name rules and "
                                               "must be unique", label->text));
    out.label = label->text;
    bool has_match = false;
    for (const Value::Member& m : v.members) {
      bool ok = true;
      if (m.key == "label" || m.key == "description") {
        continue;
      } else if (m.key == "match") {
        has_match = true;
        ok = match(m.value, out);
      } else if (m.key == "threshold") {
        ok = threshold(m.value, out);
      } else if (m.key == "window_seconds") {
        ok = window(m.value, out);
      } else if (m.key == "severity") {
        ok = severity(m.value, out);
      } else {
        return fail(m.key_offset, fmt::format("unknown key \"{}\" in rule \"{}\"; a rule has {}",
                                              m.key, out.label, kRuleKeys));
      }
      if (!ok) return false;
    }
    if (!has_match)
      return fail(v.offset, fmt::format("rule \"{}\" has no \"match\"; add e.g. \"match\": "
                                        "{{\"field\": \"status\", \"gte\": 500}}", out.label));
    return true;
  }

  bool document(const Value& root, std::vector<Rule>& out) {
    const Value* list = &root;
    if (root.type == Type::object) {
      for (const Value::Member& m : root.members)
        if (m.key != "rules")
          return fail(m.key_offset, fmt::format("unknown key \"{}\"; a rules document is an "
                                                "array of rules or {{\"rules\": [...]}}", m.key));
      list = root.find("rules");
      if (list == nullptr)
        return fail(root.offset, "the object has no \"rules\" array; write {\"rules\": [...]}");
    }
    if (list->type != Type::array)
      return fail(list->offset, fmt::format("a rules document is an array of rules or "
                                            "{{\"rules\": [...]}}, not a {}",
                                            json::type_name(list->type)));
    for (const Value& item : list->items) {
      Rule r;
      if (!rule(item, out, r)) return false;
      out.push_back(std::move(r));
    }
    return true;
  }
};

}  // namespace

std::string_view operator_list() { return "eq, ne, gt, gte, lt, lte, contains, regex, exists"; }

std::optional<RuleOp> parse_op(std::string_view name) {
  for (const OpName& o : kOps)
    if (o.name == name) return o.op;
  return std::nullopt;
}

}  // namespace rules

std::string_view to_string(RuleOp op) {
  for (const auto& o : rules::kOps)
    if (o.op == op) return o.name;
  return "?";
}

Result<std::vector<Rule>> parse_rules(std::string_view json_text, std::string_view origin) {
  auto error = [&](std::size_t offset, const std::string& reason) {
    const json::Position p = json::position_of(json_text, offset);
    std::string message = fmt::format("{}:{}:{}: {}", origin, p.line, p.column, reason);
    // Quoted keys and regexes come from the file; the message stays on one line.
    for (char& c : message)
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    return Status(StatusKind::invalid_argument, std::move(message));
  };
  json::ReadResult read = json::read(json_text);
  if (!read.ok) return error(read.error.offset, read.error.reason);
  rules::RuleReader reader;
  std::vector<Rule> out;
  if (!reader.document(read.value, out)) return error(reader.failure->offset,
                                                      reader.failure->reason);
  return out;
}

}  // namespace logtail::observers
