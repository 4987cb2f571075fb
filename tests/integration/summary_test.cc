// `logtail --sink summary`: the summarizer through the real command, with the template
// backend and with an OpenAI-compatible server on 127.0.0.1.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "integration/command_fixture.h"
#include "support/fake_openai_server.h"

namespace logtail::test {
namespace {

struct SummaryLine {
  std::string text;
  std::string backend;
  std::string fallback;
  std::string severity;
  std::uint64_t events = 0;
};

// Every summary of `--sink summary=jsonl` output.
std::vector<SummaryLine> summaries(const std::string& jsonl) {
  std::vector<SummaryLine> out;
  simdjson::dom::parser parser;
  std::size_t start = 0;
  while (start < jsonl.size()) {
    std::size_t end = jsonl.find('\n', start);
    if (end == std::string::npos) end = jsonl.size();
    const std::string line = jsonl.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << line;
      continue;
    }
    SummaryLine s;
    std::string_view view;
    if (doc["text"].get(view) == simdjson::SUCCESS) s.text = view;
    if (doc["backend"].get(view) == simdjson::SUCCESS) s.backend = view;
    if (doc["fallback"].get(view) == simdjson::SUCCESS) s.fallback = view;
    if (doc["severity"].get(view) == simdjson::SUCCESS) s.severity = view;
    std::uint64_t events = 0;
    if (doc["events"].get(events) == simdjson::SUCCESS) s.events = events;
    out.push_back(s);
  }
  return out;
}

// The sentence with its time span as "<span>": how long a window stayed open is not the
// point here.
std::string without_span(const std::string& text) {
  static const std::regex span("in the last (second|[0-9]+ seconds|[0-9]+ minutes)");
  return std::regex_replace(text, span, "in the last <span>");
}

constexpr std::string_view kIncidents =
    "2026-11-26 10:00:01 ERROR db timeout after 3000 ms\n"
    "2026-11-26 10:00:01 INFO request served in 12 ms\n"
    "2026-11-26 10:00:02 ERROR db timeout after 3100 ms\n"
    "2026-11-26 10:00:03 FATAL out of memory\n";

class SummaryCommandTest : public CommandTest {
 protected:
  void SetUp() override {
    CommandTest::SetUp();
    // The child inherits the environment: no proxy for the loopback server, no stray key.
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    ::unsetenv("OPENAI_API_KEY");
    ::unsetenv("LOGTAIL_LLM_API_KEY");
  }
  void TearDown() override { ::unsetenv("LOGTAIL_LLM_API_KEY"); }
};

TEST_F(SummaryCommandTest, OnceSummarizesTheIncidentsInOneSentence) {
  dir_.write("payments.log", kIncidents);
  const Finished run = run_to_exit({"--once", "--from", "beginning", "--observer", "incidents",
                                    "--sink", "summary=jsonl", path("payments.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  const auto seen = summaries(run.stdout_text);
  ASSERT_EQ(seen.size(), 1u) << run.stdout_text;
  EXPECT_EQ(without_span(seen[0].text),
            "payments.log: 3 incidents (1 critical, 2 errors) in the last <span>, mostly 'db "
            "timeout after <N> ms' (2); new: 'FATAL out of memory'.");
  EXPECT_EQ(seen[0].events, 3u);
  EXPECT_EQ(seen[0].severity, "critical");
  EXPECT_EQ(seen[0].backend, "template");
  EXPECT_EQ(seen[0].fallback, "");
}

TEST_F(SummaryCommandTest, TheTextFormIsOneLineForPeople) {
  dir_.write("payments.log", kIncidents);
  const Finished run = run_to_exit({"--once", "--from", "beginning", "--observer", "incidents",
                                    "--sink", "summary", path("payments.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  static const std::regex line(
      "[0-2][0-9]:[0-5][0-9]:[0-6][0-9] \\[critical\\] payments\\.log: 3 incidents \\(1 "
      "critical, 2 errors\\) in the last [^,]+, mostly 'db timeout after <N> ms' \\(2\\); new: "
      "'FATAL out of memory'\\.\n");
  EXPECT_TRUE(std::regex_match(run.stdout_text, line)) << run.stdout_text;
}

TEST_F(SummaryCommandTest, AStopSummarizesTheOpenWindowAndNothingIsLostOrRepeated) {
  dir_.write("payments.log", kIncidents);
  const std::string state = path("state");
  Run first = start({"--state", state, "--from", "beginning", "--observer", "incidents",
                     "--sink", "summary=jsonl", "--summary-events", "2", "--summary-rate", "0",
                     path("payments.log")});
  // The first two incidents fill a window; the third waits in the next one.
  ASSERT_TRUE(wait_until([&] { return !summaries(read_file_or_empty(first.out)).empty(); }))
      << first.stderr_text();
  const ExitStatus status = stop(first);
  ASSERT_TRUE(status.exited_with(0)) << status.describe() << ": " << first.stderr_text();
  auto seen = summaries(read_file_or_empty(first.out));

  // Whatever the stop caught, a run afterwards completes the set: each incident once.
  dir_.append("payments.log", "2026-11-26 10:00:09 ERROR card declined\n");
  const Finished rest = run_to_exit({"--once", "--state", state, "--observer", "incidents",
                                     "--sink", "summary=jsonl", path("payments.log")});
  ASSERT_TRUE(rest.status.exited_with(0)) << rest.status.describe() << ": " << rest.stderr_text;
  const auto more = summaries(rest.stdout_text);
  seen.insert(seen.end(), more.begin(), more.end());
  std::uint64_t events = 0;
  for (const SummaryLine& s : seen) events += s.events;
  EXPECT_EQ(events, 4u);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].events, 2u);
  EXPECT_EQ(seen[1].events, 1u);  // the open window, summarized at the stop
  EXPECT_EQ(without_span(seen[2].text),
            "payments.log: 1 error in the last <span>: 'card declined'.");
}

TEST_F(SummaryCommandTest, AnOpenAiCompatibleServerWritesTheSentence) {
  FakeOpenAiServer server({FakeReply::chat(
      R"({"title":"Payments DB trouble","severity":"critical","impacted_services":["payments"],)"
      R"("summary":"Payments hit database timeouts and ran out of memory."})")});
  ::setenv("LOGTAIL_LLM_API_KEY", "sk-integration-test", 1);
  dir_.write("payments.log", kIncidents);
  const Finished run = run_to_exit(
      {"--once", "--from", "beginning", "--observer", "incidents", "--sink", "summary=jsonl",
       "--llm-url", server.base_url(), "--llm-model", "tiny-test-model", path("payments.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  const auto seen = summaries(run.stdout_text);
  ASSERT_EQ(seen.size(), 1u) << run.stdout_text;
  EXPECT_EQ(seen[0].text, "Payments hit database timeouts and ran out of memory.");
  EXPECT_EQ(seen[0].backend, "openai");
  EXPECT_EQ(seen[0].events, 3u);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].header("Authorization").value_or(""), "Bearer sk-integration-test");
  EXPECT_NE(requests[0].body.find("\"model\":\"tiny-test-model\""), std::string::npos);
  EXPECT_NE(requests[0].body.find("db timeout after"), std::string::npos);
  EXPECT_EQ(run.stderr_text.find("sk-integration-test"), std::string::npos);
}

TEST_F(SummaryCommandTest, AFailingServerFallsBackToTheTemplateSentence) {
  FakeOpenAiServer server({FakeReply::answer(500, R"({"error":{"message":"overloaded"}})"),
                           FakeReply::answer(500, R"({"error":{"message":"overloaded"}})"),
                           FakeReply::answer(500, R"({"error":{"message":"overloaded"}})")});
  dir_.write("payments.log", kIncidents);
  const Finished run = run_to_exit({"--once", "--from", "beginning", "--observer", "incidents",
                                    "--sink", "summary=jsonl", "--llm-url", server.base_url(),
                                    "--llm-timeout", "2s", path("payments.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  const auto seen = summaries(run.stdout_text);
  ASSERT_EQ(seen.size(), 1u) << run.stdout_text;
  EXPECT_EQ(seen[0].backend, "template");
  EXPECT_NE(seen[0].fallback.find("HTTP 500"), std::string::npos) << seen[0].fallback;
  EXPECT_EQ(without_span(seen[0].text).substr(0, 27), "payments.log: 3 incidents (");
  EXPECT_EQ(server.request_count(), 3u);  // the first attempt and two retries
  EXPECT_NE(run.stderr_text.find("logtail: summary_fallback: summary backend 'openai' failed"),
            std::string::npos)
      << run.stderr_text;
}

TEST_F(SummaryCommandTest, BadSummaryOutputIsAOneLineError) {
  dir_.write("payments.log", kIncidents);
  const Finished run = run_to_exit({"--once", "--observer", "incidents", "--sink",
                                    "summary=" + path("missing/dir/out.jsonl"),
                                    path("payments.log")});
  EXPECT_TRUE(run.status.exited_with(1)) << run.status.describe();
  EXPECT_EQ(run.stderr_text, "logtail: cannot open summary output '" +
                                 path("missing/dir/out.jsonl") +
                                 "': No such file or directory; check that its directory "
                                 "exists and is writable\n");
}

}  // namespace
}  // namespace logtail::test
