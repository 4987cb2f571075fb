// The rule evaluator over real parsed lines: operators, numbers written as strings, dotted
// paths, envelopes, and the checks on rules built in code.
// The rules observer is built only with simdjson (LOGTAIL_WITH_SIMDJSON).
#if LOGTAIL_HAVE_SIMDJSON
#include "rules/rule_eval.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace logtail::observers::rules {
namespace {

using namespace std::chrono_literals;

RuleCondition cond(std::string field, RuleOp op, RuleValue value) {
  return RuleCondition{std::move(field), op, std::move(value)};
}

using V = RuleValue;

struct EvalCase {
  std::string line;
  RuleCondition condition;
  bool expected;
};

TEST(RuleEvalTest, OperatorsOnParsedLines) {
  const std::string kLine =
      R"({"status":503,"code":"503","lat":"12.5","neg":-3,"big":18446744073709551615,)"
      R"("ok":false,"none":null,"msg":"upstream timeout after 30s","http":{"status":404,)"
      R"("path":"/api/v1"},"dotted.key":7,"items":[{"id":"a"},{"id":"b"}],"obj":{"x":1}})";
  const std::vector<EvalCase> cases = {
      {kLine, cond("status", RuleOp::eq, V::number(503)), true},
      {kLine, cond("status", RuleOp::eq, V::string("503")), true},
      {kLine, cond("code", RuleOp::eq, V::number(503)), true},
      {kLine, cond("code", RuleOp::gte, V::number(500)), true},
      {kLine, cond("code", RuleOp::gt, V::number(503)), false},
      {kLine, cond("status", RuleOp::gte, V::number(500)), true},
      {kLine, cond("status", RuleOp::gte, V::number(504)), false},
      {kLine, cond("status", RuleOp::lt, V::number(600)), true},
      {kLine, cond("status", RuleOp::lte, V::number(503)), true},
      {kLine, cond("status", RuleOp::lte, V::number(502.9)), false},
      {kLine, cond("lat", RuleOp::gt, V::number(12)), true},
      {kLine, cond("neg", RuleOp::lt, V::number(0)), true},
      {kLine, cond("big", RuleOp::gt, V::number(1e19)), true},
      {kLine, cond("status", RuleOp::ne, V::number(200)), true},
      {kLine, cond("status", RuleOp::ne, V::number(503)), false},
      {kLine, cond("missing", RuleOp::ne, V::number(503)), false},
      {kLine, cond("missing", RuleOp::eq, V::null()), false},
      {kLine, cond("none", RuleOp::eq, V::null()), true},
      {kLine, cond("ok", RuleOp::eq, V::boolean(false)), true},
      {kLine, cond("ok", RuleOp::eq, V::boolean(true)), false},
      {kLine, cond("ok", RuleOp::eq, V::string("false")), true},
      {kLine, cond("msg", RuleOp::eq, V::string("upstream timeout after 30s")), true},
      {kLine, cond("msg", RuleOp::eq, V::string("upstream")), false},
      {kLine, cond("msg", RuleOp::gt, V::number(1)), false},
      {kLine, cond("msg", RuleOp::contains, V::string("timeout")), true},
      {kLine, cond("msg", RuleOp::contains, V::string("Timeout")), false},
      {kLine, cond("status", RuleOp::contains, V::string("50")), true},
      {kLine, cond("msg", RuleOp::regex, V::string("after \\d+s$")), true},
      {kLine, cond("msg", RuleOp::regex, V::string("^timeout")), false},
      {kLine, cond("status", RuleOp::regex, V::string("^5\\d\\d$")), true},
      {kLine, cond("obj", RuleOp::contains, V::string("x")), false},
      {kLine, cond("http.status", RuleOp::eq, V::number(404)), true},
      {kLine, cond("http.path", RuleOp::contains, V::string("/api/")), true},
      {kLine, cond("http.status.x", RuleOp::exists, V::boolean(true)), false},
      {kLine, cond("dotted.key", RuleOp::eq, V::number(7)), true},
      {kLine, cond("items.1.id", RuleOp::eq, V::string("b")), true},
      {kLine, cond("items.2.id", RuleOp::exists, V::boolean(true)), false},
      {kLine, cond("items.x", RuleOp::exists, V::boolean(true)), false},
      {kLine, cond("none", RuleOp::exists, V::boolean(true)), true},
      {kLine, cond("missing", RuleOp::exists, V::boolean(false)), true},
      {kLine, cond("status", RuleOp::exists, V::boolean(false)), false},
      // Envelopes: the payload is searched first, then the envelope.
      {R"({"log":"{\"status\":503,\"stream\":\"inner\"}\n","stream":"stderr","time":"t"})",
       cond("status", RuleOp::gte, V::number(500)), true},
      {R"({"log":"{\"status\":503,\"stream\":\"inner\"}\n","stream":"stderr"})",
       cond("stream", RuleOp::eq, V::string("inner")), true},
      {R"({"log":"{\"status\":503}\n","stream":"stderr"})",
       cond("stream", RuleOp::eq, V::string("stderr")), true},
      {R"({"level":"info","message":" {\"status\": \"502\"}"})",
       cond("status", RuleOp::eq, V::number(502)), true},
      {R"({"level":"info","message":"status 502"})", cond("status", RuleOp::exists, V::boolean(true)),
       false},
      {R"({"level":"info","message":"status 502"})",
       cond("message", RuleOp::contains, V::string("502")), true},
      {R"({"log":"plain text\n","message":"{\"status\":1}"})",
       cond("status", RuleOp::eq, V::number(1)), true},
      {R"({"log":"{\"a\":1}","message":"{\"b\":2}"})", cond("b", RuleOp::exists, V::boolean(true)),
       false},
  };
  json_line::LineParser parser;
  for (const EvalCase& c : cases) {
    SCOPED_TRACE(c.line + " / " + c.condition.field + " " + std::string(to_string(c.condition.op)));
    Rule rule;
    rule.label = "r";
    rule.match = {c.condition};
    auto compiled = compile_rule(rule);
    ASSERT_TRUE(compiled.ok()) << compiled.status().message();
    const json_line::Document* doc = parser.parse(c.line);
    ASSERT_NE(doc, nullptr);
    EXPECT_EQ(matches(*compiled, *doc), c.expected);
  }
}

TEST(RuleEvalTest, EveryConditionMustHold) {
  Rule rule;
  rule.label = "slow_5xx";
  rule.match = {cond("status", RuleOp::gte, V::number(500)),
                cond("path", RuleOp::contains, V::string("/api"))};
  auto compiled = compile_rule(rule);
  ASSERT_TRUE(compiled.ok());
  json_line::LineParser parser;
  EXPECT_TRUE(matches(*compiled, *parser.parse(R"({"status":500,"path":"/api/x"})")));
  EXPECT_FALSE(matches(*compiled, *parser.parse(R"({"status":500,"path":"/web"})")));
  EXPECT_FALSE(matches(*compiled, *parser.parse(R"({"status":200,"path":"/api/x"})")));
}

TEST(RuleEvalTest, NonObjectsAreNotDocuments) {
  json_line::LineParser parser;
  for (const std::string_view line :
       {"", "plain text", "42", "[1,2]", "\"str\"", "{\"a\":", "{\"a\":1} trailing", "  "}) {
    EXPECT_EQ(parser.parse(line), nullptr) << line;
  }
  EXPECT_NE(parser.parse("  {\"a\":1}  "), nullptr);
}

TEST(RuleEvalTest, LongValuesAreClippedForTheRegexNotCrashed) {
  Rule rule;
  rule.label = "long";
  rule.match = {cond("msg", RuleOp::regex, V::string("^(a|b)*c"))};
  auto compiled = compile_rule(rule);
  ASSERT_TRUE(compiled.ok());
  const std::string line = "{\"msg\":\"" + std::string(1 << 20, 'a') + "c\"}";
  json_line::LineParser parser;
  const auto* doc = parser.parse(line);
  ASSERT_NE(doc, nullptr);
  // The 'c' lies past the clipped part, so no match; the point is that it returns at all.
  EXPECT_FALSE(matches(*compiled, *doc));
}

TEST(RuleEvalTest, RulesFromCodeAreChecked) {
  struct Case {
    Rule rule;
    std::string message;
  };
  auto base = [] {
    Rule r;
    r.label = "r1";
    r.match = {cond("status", RuleOp::exists, V::boolean(true))};
    return r;
  };
  std::vector<Case> cases;
  {
    Rule r = base();
    r.label.clear();
    cases.push_back({r, "rules: a rule has an empty label; name it"});
  }
  {
    Rule r = base();
    r.match.clear();
    cases.push_back({r, "rules: rule 'r1': no conditions; add one to `match`"});
  }
  {
    Rule r = base();
    r.threshold = 0;
    cases.push_back({r, "rules: rule 'r1': threshold 0 is out of range; use 1 to 9007199254740992"});
  }
  {
    Rule r = base();
    r.window = 0ms;
    cases.push_back({r, "rules: rule 'r1': window of 0 ms is out of range; use 1 ms to 31 days"});
  }
  {
    Rule r = base();
    r.match = {cond("", RuleOp::exists, V::boolean(true))};
    cases.push_back({r, "rules: rule 'r1': field path '' is empty or has an empty part"});
  }
  {
    Rule r = base();
    r.match = {cond("s", RuleOp::gt, V::string("x"))};
    cases.push_back({r, "rules: rule 'r1': 'gt' on 's' needs a number"});
  }
  {
    Rule r = base();
    r.match = {cond("s", RuleOp::contains, V::number(1))};
    cases.push_back({r, "rules: rule 'r1': 'contains' on 's' needs a string"});
  }
  {
    Rule r = base();
    r.match = {cond("s", RuleOp::exists, V::null())};
    cases.push_back({r, "rules: rule 'r1': 'exists' on 's' needs true or false"});
  }
  for (const Case& c : cases) {
    auto compiled = compile_rule(c.rule);
    ASSERT_FALSE(compiled.ok()) << c.message;
    EXPECT_EQ(compiled.status().message(), c.message);
  }
  Rule bad_regex = base();
  bad_regex.match = {cond("s", RuleOp::regex, V::string("[a-"))};
  auto compiled = compile_rule(bad_regex);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().message().rfind("rules: rule 'r1': regex \"[a-\" does not compile: ",
                                              0),
            0u)
      << compiled.status().message();

  auto dup = compile_rules({base(), base()});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(),
            "rules: rule 'r1': the label is used twice; labels must be unique");
}

}  // namespace
}  // namespace logtail::observers::rules

#endif  // LOGTAIL_HAVE_SIMDJSON
