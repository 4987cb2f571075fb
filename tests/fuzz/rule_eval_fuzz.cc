// Fuzz target: the rules evaluator. Each input is one log line; a fixed set of rules, with
// every operator, dotted paths, array indexes and a regex, is evaluated against it. The line
// goes through the same JSON line parser as in the observer, so the envelope case (a "log"
// or "message" string field holding JSON) is parsed a second time. Checked: no crash, no
// sanitizer report, and the same answer when the line is evaluated twice (no state leaks
// from one parse to the next).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "logtail/observers/rules.h"
#include "rules/json_line.h"
#include "rules/rule_eval.h"

namespace {

namespace rules = logtail::observers::rules;
namespace json_line = logtail::observers::json_line;

constexpr std::string_view kRules = R"([
  {"label": "status", "match": {"field": "status", "gte": 500, "lt": 600}},
  {"label": "nested", "match": {"field": "http.status", "eq": "503"}},
  {"label": "index", "match": [{"field": "items.0.id", "ne": null},
                               {"field": "items.1", "exists": true}]},
  {"label": "text", "match": [{"field": "msg", "contains": "timeout"},
                              {"field": "level", "eq": "error"}]},
  {"label": "regex", "match": {"field": "msg", "regex": "^(a|b)*c[0-9]+$"}},
  {"label": "absent", "match": [{"field": "trace_id", "exists": false},
                                {"field": "ok", "eq": false}]},
  {"label": "numbers", "match": [{"field": "latency_ms", "gt": 1.5e2},
                                 {"field": "latency_ms", "lte": "9e9"}]},
  {"label": "dotted", "match": {"field": "a.b.c.d", "ne": 0}},
  {"label": "stream", "match": {"field": "stream", "eq": "stderr"}}
])";

const std::vector<rules::CompiledRule>& compiled_rules() {
  static const std::vector<rules::CompiledRule> compiled = [] {
    auto parsed = logtail::observers::parse_rules(kRules, "fuzz rules");
    FUZZ_CHECK(parsed.ok());
    auto built = rules::compile_rules(*parsed);
    FUZZ_CHECK(built.ok());
    return std::move(built).value();
  }();
  return compiled;
}

std::vector<bool> evaluate(json_line::LineParser& parser, std::string_view line) {
  std::vector<bool> answers;
  const json_line::Document* doc = parser.parse(line);
  if (doc == nullptr) return answers;
  for (const rules::CompiledRule& rule : compiled_rules())
    answers.push_back(rules::matches(rule, *doc));
  return answers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The line is copied to a buffer of its exact size, so a read past its end (the parser
  // must pad for simdjson itself) is caught by AddressSanitizer.
  const std::vector<char> line(data, data + size);
  const std::string_view text(line.data(), line.size());
  static json_line::LineParser parser;
  const std::vector<bool> first = evaluate(parser, text);
  const std::vector<bool> second = evaluate(parser, text);
  FUZZ_CHECK(first == second);
  return 0;
}
