// Rules text -> rules: every field read, defaults, and errors with line:column and reason.
// The rules observer is built only with simdjson (LOGTAIL_WITH_SIMDJSON).
#if LOGTAIL_HAVE_SIMDJSON
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logtail/observers/rules.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

using namespace std::chrono_literals;

TEST(RuleParserTest, ReadsTheDocumentedExample) {
  auto rules = parse_rules(
      R"([{"label":"http_5xx_spike","match":{"field":"status","gte":500},"threshold":10,"window_seconds":60}])");
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  ASSERT_EQ(rules->size(), 1u);
  const Rule& r = (*rules)[0];
  EXPECT_EQ(r.label, "http_5xx_spike");
  EXPECT_EQ(r.threshold, 10u);
  EXPECT_EQ(r.window, 60s);
  EXPECT_EQ(r.severity, Severity::warning);
  ASSERT_EQ(r.match.size(), 1u);
  EXPECT_EQ(r.match[0].field, "status");
  EXPECT_EQ(r.match[0].op, RuleOp::gte);
  EXPECT_EQ(r.match[0].value.type, RuleValue::Type::number);
  EXPECT_EQ(r.match[0].value.number_value, 500);
}

TEST(RuleParserTest, ReadsEveryOperatorAndOption) {
  auto rules = parse_rules(R"({"rules": [
    {"label": "a", "description": "ignored", "severity": "critical", "window_seconds": 0.5,
     "match": [
       {"field": "level", "eq": "error", "ne": null},
       {"field": "http.status", "gt": "499", "lt": 600, "lte": 599.5},
       {"field": "msg", "contains": "timeout", "regex": "^upstream .*"},
       {"field": "trace_id", "exists": true},
       {"field": "ok", "eq": false}
     ]},
    {"label": "b", "match": {"field": "x", "exists": false}}
  ]})");
  ASSERT_TRUE(rules.ok()) << rules.status().message();
  ASSERT_EQ(rules->size(), 2u);
  const Rule& a = (*rules)[0];
  EXPECT_EQ(a.severity, Severity::critical);
  EXPECT_EQ(a.window, 500ms);
  EXPECT_EQ(a.threshold, 1u);  // the default
  struct Expect {
    std::string field;
    RuleOp op;
    RuleValue::Type type;
  };
  const std::vector<Expect> expected = {
      {"level", RuleOp::eq, RuleValue::Type::string},
      {"level", RuleOp::ne, RuleValue::Type::null},
      {"http.status", RuleOp::gt, RuleValue::Type::number},
      {"http.status", RuleOp::lt, RuleValue::Type::number},
      {"http.status", RuleOp::lte, RuleValue::Type::number},
      {"msg", RuleOp::contains, RuleValue::Type::string},
      {"msg", RuleOp::regex, RuleValue::Type::string},
      {"trace_id", RuleOp::exists, RuleValue::Type::boolean},
      {"ok", RuleOp::eq, RuleValue::Type::boolean},
  };
  ASSERT_EQ(a.match.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a.match[i].field, expected[i].field);
    EXPECT_EQ(a.match[i].op, expected[i].op);
    EXPECT_EQ(a.match[i].value.type, expected[i].type);
  }
  EXPECT_EQ(a.match[2].value.number_value, 499);  // "499" read as a number
  EXPECT_EQ(a.match[6].value.string_value, "^upstream .*");
  EXPECT_FALSE(a.match[8].value.boolean_value);
  const Rule& b = (*rules)[1];
  EXPECT_EQ(b.window, 60s);  // the default
  EXPECT_FALSE(b.match[0].value.boolean_value);
}

TEST(RuleParserTest, EmptyListIsNoRules) {
  auto a = parse_rules("[]");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->empty());
  auto b = parse_rules(R"({"rules": []})");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->empty());
}

struct BadRules {
  std::string text;
  std::string message;  // exact
};

TEST(RuleParserTest, ErrorsNamePositionAndReason) {
  const std::vector<BadRules> cases = {
      {"[", "rules:1:2: unexpected end of text; a JSON value was expected"},
      {"{\"rule\": []}",
       "rules:1:2: unknown key \"rule\"; a rules document is an array of rules or "
       "{\"rules\": [...]}"},
      {"{}", "rules:1:1: the object has no \"rules\" array; write {\"rules\": [...]}"},
      {"\"x\"", "rules:1:1: a rules document is an array of rules or {\"rules\": [...]}, not a "
                "string"},
      {"[1]", "rules:1:2: a rule must be a JSON object, not a number"},
      {"[{\"match\": {\"field\": \"a\", \"exists\": true}}]",
       "rules:1:2: rule has no \"label\"; add e.g. \"label\": \"http_5xx_spike\""},
      {"[{\"label\": 5}]", "rules:1:12: \"label\" must be a JSON string, not a number"},
      {"[{\"label\": \"\"}]", "rules:1:12: \"label\" is empty; name the rule"},
      {"[{\"label\": \"a\"}]",
       "rules:1:2: rule \"a\" has no \"match\"; add e.g. \"match\": {\"field\": \"status\", "
       "\"gte\": 500}"},
      {"[\n  {\"label\": \"a\",\n   \"match\": {\"field\": \"status\", \"gtx\": 500}}\n]",
       "rules:3:33: unknown operator \"gtx\"; use one of eq, ne, gt, gte, lt, lte, contains, "
       "regex, exists"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"status\"}}]",
       "rules:1:26: condition on \"status\" has no operator; add one of eq, ne, gt, gte, lt, "
       "lte, contains, regex, exists"},
      {"[{\"label\": \"a\", \"match\": {\"gte\": 1}}]",
       "rules:1:26: condition has no \"field\"; add e.g. \"field\": \"status\""},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"a..b\", \"exists\": true}}]",
       "rules:1:36: field path \"a..b\" has an empty part; write parts separated by single "
       "dots, e.g. \"http.status\""},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"gte\": \"high\"}}]",
       "rules:1:48: the operand of 'gte' must be a number"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": 1}}]",
       "rules:1:51: the operand of 'exists' must be a JSON boolean, not a number"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"eq\": [1]}}]",
       "rules:1:47: the operand of 'eq' must be a string, number, boolean or null, not an "
       "array"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"regex\": \"(ab\"}}]",
       "rules:1:50: regex \"(ab\" does not compile: "},
      {"[{\"label\": \"a\", \"match\": [], \"threshold\": 1}]",
       "rules:1:26: \"match\" is an empty array; add a condition"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": true}, \"threshold\": 0}]",
       "rules:1:71: \"threshold\" must be a whole number from 1 to 9007199254740992, not 0"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": true}, \"threshold\": 2.5}]",
       "rules:1:71: \"threshold\" must be a whole number from 1 to 9007199254740992, not 2.5"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": true}, "
       "\"window_seconds\": -1}]",
       "rules:1:76: \"window_seconds\" must be from 0.001 to 2678400 (31 days), not -1"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": true}, \"severity\": "
       "\"loud\"}]",
       "rules:1:70: unknown severity \"loud\"; use debug, info, notice, warning, error or "
       "critical"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": true}, \"treshold\": 3}]",
       "rules:1:58: unknown key \"treshold\" in rule \"a\"; a rule has label, match, threshold, "
       "window_seconds, severity, description"},
      {"[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": true}},\n"
       " {\"label\": \"a\", \"match\": {\"field\": \"s\", \"exists\": true}}]",
       "rules:2:12: duplicate label \"a\"; labels name rules and must be unique"},
  };
  for (const BadRules& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = parse_rules(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().kind(), StatusKind::invalid_argument);
    if (c.message.back() == ' ') {
      // The regex library's own wording follows; only the part before it is ours.
      EXPECT_EQ(r.status().message().substr(0, c.message.size()), c.message);
    } else {
      EXPECT_EQ(r.status().message(), c.message);
    }
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  }
}

TEST(RuleParserTest, OriginNamesTheFileAndControlBytesStayOffTheLine) {
  auto r = parse_rules("[{\"label\": \"a\", \"match\": {\"field\": \"s\", \"x\\ny\": 1}}]",
                       "conf/rules.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "conf/rules.json:1:41: unknown operator \"x?y\"; use one of eq, ne, gt, gte, lt, lte, "
            "contains, regex, exists");
}

class LoadRulesTest : public ::testing::Test {
 protected:
  logtail::test::TempDir dir_;
};

TEST_F(LoadRulesTest, ReadsAFileAndNamesItInErrors) {
  dir_.write("good.json", R"([{"label": "x", "match": {"field": "a", "eq": 1}}])");
  auto good = load_rules(dir_.file("good.json"));
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->at(0).label, "x");

  dir_.write("bad.json", "[\n  {\"label\": \"x\" \"match\": 1}\n]\n");
  auto bad = load_rules(dir_.file("bad.json"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            dir_.file("bad.json").string() + ":2:17: expected ',' or '}' after an object member");

  auto missing = load_rules(dir_.file("none.json"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), StatusKind::not_found);
  EXPECT_EQ(missing.status().message(), "cannot open rules file '" +
                                            dir_.file("none.json").string() +
                                            "': No such file or directory");
}

}  // namespace
}  // namespace logtail::observers

#endif  // LOGTAIL_HAVE_SIMDJSON
