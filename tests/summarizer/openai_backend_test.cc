#include "logtail/openai_backend.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_post.h"
#include "openai_request.h"
#include "openai_retry.h"
#include "support/fake_openai_server.h"
#include "support/scoped_env.h"
#include "support/temp_dir.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;
using test::FakeOpenAiServer;
using test::FakeReply;

constexpr std::string_view kReplyReport =
    R"({"title":"Payments DB timeouts","severity":"error","impacted_services":["payments"],)"
    R"("summary":"Payments timed out on the database 30 times."})";
constexpr std::string_view kSecret = "sk-test-0123456789abcdef";

using test::ScopedEnv;

SummaryRequest sample_window() {
  SummaryGroup g;
  g.text = "db timeout after <N> ms";
  g.example = "db timeout after 5003 ms";
  g.count = 30;
  g.severity = Severity::error;
  g.is_new = true;
  SummaryRequest r;
  r.sources = {"payments.log"};
  r.event_count = 30;
  r.groups = {g};
  return r;
}

// Designated initializers would trip -Wmissing-field-initializers on the members without
// defaults.
OpenAiOptions options_at(std::string base_url) {
  OpenAiOptions o;
  o.base_url = std::move(base_url);
  return o;
}

FakeReply api_error(int status, std::string_view message, test::HttpHeaders headers = {}) {
  return FakeReply::answer(
      status, R"({"error":{"message":")" + std::string(message) + R"(","type":"test"}})",
      std::move(headers));
}

class OpenAiBackendTest : public ::testing::Test {
 protected:
  OpenAiOptions options_for(const FakeOpenAiServer& server) const {
    OpenAiOptions o = options_at(server.base_url());
    o.model = "test-model";
    o.timeout = 5s;
    o.retries = 2;
    o.backoff = 20ms;
    return o;
  }

  std::unique_ptr<SummaryBackend> make(const OpenAiOptions& options) {
    Result<std::unique_ptr<SummaryBackend>> backend = make_openai_backend(options);
    EXPECT_TRUE(backend.ok()) << backend.status().message();
    return backend.ok() ? std::move(*backend) : nullptr;
  }

  // Every test runs without the developer's keys and without a proxy in the way of
  // 127.0.0.1.
  ScopedEnv logtail_key_{"LOGTAIL_LLM_API_KEY", std::nullopt};
  ScopedEnv openai_key_{"OPENAI_API_KEY", std::nullopt};
  ScopedEnv no_proxy_{"no_proxy", "127.0.0.1,localhost"};
  ScopedEnv no_proxy_upper_{"NO_PROXY", "127.0.0.1,localhost"};
};

void expect_good_summary(const Result<Summary>& r) {
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->title, "Payments DB timeouts");
  EXPECT_EQ(r->text, "Payments timed out on the database 30 times.");
  EXPECT_EQ(r->severity, Severity::error);
  EXPECT_EQ(r->services, std::vector<std::string>{"payments"});
  EXPECT_EQ(r->backend, "openai");
}

TEST_F(OpenAiBackendTest, GoodAnswer) {
  FakeOpenAiServer server({FakeReply::chat(kReplyReport)});
  OpenAiOptions options = options_for(server);
  options.base_url += "/";  // a trailing slash is not doubled
  const auto backend = make(options);
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->name(), "openai");

  expect_good_summary(backend->summarize(sample_window()));
  const std::vector<test::RecordedRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/chat/completions");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].header("Authorization"), std::nullopt);
  EXPECT_EQ(requests[0].body, build_chat_request(options, sample_window()));
  EXPECT_TRUE(server.errors().empty());
}

TEST_F(OpenAiBackendTest, FencedAnswerIsAccepted) {
  FakeOpenAiServer server({FakeReply::chat("Here you go:\n```json\n" + std::string(kReplyReport) +
                                           "\n```")});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  expect_good_summary(backend->summarize(sample_window()));
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(OpenAiBackendTest, SlowAnswerBeyondTheTimeoutIsRetried) {
  // The first answer would come long after the timeout; the server drops it when it stops.
  FakeOpenAiServer server(
      {FakeReply::slow(60s, FakeReply::chat(kReplyReport)), FakeReply::chat(kReplyReport)});
  OpenAiOptions options = options_for(server);
  options.timeout = 300ms;
  const auto backend = make(options);
  ASSERT_NE(backend, nullptr);
  expect_good_summary(backend->summarize(sample_window()));
  const std::vector<test::RecordedRequest> requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);
}

TEST_F(OpenAiBackendTest, GarbageThenSuccess) {
  FakeOpenAiServer server({FakeReply::garbage(), FakeReply::chat(kReplyReport)});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  expect_good_summary(backend->summarize(sample_window()));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(OpenAiBackendTest, UnusableReportThenSuccess) {
  FakeOpenAiServer server({FakeReply::chat("The logs show database timeouts."),
                           FakeReply::chat(R"({"title":"x","severity":"dire","summary":"y"})"),
                           FakeReply::chat(kReplyReport)});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  expect_good_summary(backend->summarize(sample_window()));
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(OpenAiBackendTest, RateLimitWithRetryAfterThenSuccess) {
  FakeOpenAiServer server({api_error(429, "Rate limit reached", {{"Retry-After", "1"}}),
                           FakeReply::chat(kReplyReport)});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  expect_good_summary(backend->summarize(sample_window()));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(OpenAiBackendTest, ServerErrorsUntilRetriesRunOutFailNamingTheStatus) {
  FakeOpenAiServer server({api_error(500, "model overloaded"), api_error(503, "model overloaded"),
                           api_error(500, "model overloaded"), FakeReply::chat(kReplyReport)});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  const Result<Summary> r = backend->summarize(sample_window());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), StatusKind::unavailable);
  const std::string& message = r.status().message();
  EXPECT_NE(message.find("HTTP 500"), std::string::npos) << message;
  EXPECT_NE(message.find("model overloaded"), std::string::npos) << message;
  EXPECT_NE(message.find("after 3 attempts"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(server.request_count(), 3u);  // the first attempt and two retries
}

TEST_F(OpenAiBackendTest, ErrorStatusWithoutJsonBodyShowsTheBody) {
  FakeOpenAiServer server({FakeReply::answer(502, "upstream connect error")});
  OpenAiOptions options = options_for(server);
  options.retries = 0;
  const auto backend = make(options);
  ASSERT_NE(backend, nullptr);
  const Result<Summary> r = backend->summarize(sample_window());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("HTTP 502"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("upstream connect error"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(OpenAiBackendTest, ConnectionClosedWithoutAnswerFails) {
  FakeOpenAiServer server({FakeReply::close_without_answer(), FakeReply::close_without_answer(),
                           FakeReply::close_without_answer()});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  const Result<Summary> r = backend->summarize(sample_window());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no answer from http://127.0.0.1:"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("after 3 attempts"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(OpenAiBackendTest, NoAnswerWithinTheTimeoutFails) {
  FakeOpenAiServer server({FakeReply::never_answer(), FakeReply::never_answer()});
  OpenAiOptions options = options_for(server);
  options.timeout = 300ms;
  options.retries = 1;
  const auto backend = make(options);
  ASSERT_NE(backend, nullptr);
  const Result<Summary> r = backend->summarize(sample_window());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("within 300 ms"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(OpenAiBackendTest, NothingListeningFails) {
  std::string url;
  {
    FakeOpenAiServer gone;
    url = gone.base_url();
  }
  OpenAiOptions options = options_at(url);
  options.retries = 0;
  const auto backend = make(options);
  ASSERT_NE(backend, nullptr);
  const Result<Summary> r = backend->summarize(sample_window());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cannot reach " + url), std::string::npos)
      << r.status().message();
}

TEST_F(OpenAiBackendTest, UnauthorizedIsNotRetriedAndTheKeyIsNeverReported) {
  ScopedEnv key("LOGTAIL_LLM_API_KEY", std::string(kSecret));
  // Some servers quote the key they refused.
  FakeOpenAiServer server({api_error(401, "Incorrect API key provided: " + std::string(kSecret)),
                           FakeReply::chat(kReplyReport)});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  const Result<Summary> r = backend->summarize(sample_window());
  ASSERT_FALSE(r.ok());
  const std::string& message = r.status().message();
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_NE(message.find("Incorrect API key provided"), std::string::npos) << message;
  EXPECT_NE(message.find("not retried"), std::string::npos) << message;
  EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].header("Authorization"), "Bearer " + std::string(kSecret));
}

TEST_F(OpenAiBackendTest, BadRequestIsNotRetried) {
  FakeOpenAiServer server({api_error(400, "max_tokens is too large"), FakeReply::chat(kReplyReport)});
  const auto backend = make(options_for(server));
  ASSERT_NE(backend, nullptr);
  const Result<Summary> r = backend->summarize(sample_window());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("HTTP 400"), std::string::npos) << r.status().message();
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(OpenAiBackendTest, KeyComesFromOptionsThenLogtailThenOpenAiVariable) {
  FakeOpenAiServer server;
  for (int i = 0; i < 3; ++i) server.add(FakeReply::chat(kReplyReport));
  const auto authorization = [&](const OpenAiOptions& options) -> std::optional<std::string> {
    const auto backend = make(options);
    if (!backend) return "no backend";
    const std::size_t before = server.request_count();
    const Result<Summary> r = backend->summarize(sample_window());
    EXPECT_TRUE(r.ok()) << r.status().message();
    const auto requests = server.requests();
    if (requests.size() != before + 1) return "no request";
    return requests.back().header("Authorization");
  };
  {
    ScopedEnv openai("OPENAI_API_KEY", "sk-openai");
    EXPECT_EQ(authorization(options_for(server)), "Bearer sk-openai");
    ScopedEnv logtail_key("LOGTAIL_LLM_API_KEY", std::string(kSecret));
    EXPECT_EQ(authorization(options_for(server)), "Bearer " + std::string(kSecret));
    OpenAiOptions own = options_for(server);
    own.api_key = "sk-own";
    EXPECT_EQ(authorization(own), "Bearer sk-own");
  }
}

TEST_F(OpenAiBackendTest, KeyAppearsInNoFailureMessage) {
  ScopedEnv key("LOGTAIL_LLM_API_KEY", std::string(kSecret));
  FakeOpenAiServer server({
      api_error(500, "bad key " + std::string(kSecret)),
      FakeReply::chat("echo " + std::string(kSecret)),
      FakeReply::close_without_answer(),
      FakeReply::never_answer(),
      api_error(403, std::string(kSecret) + " may not use this model"),
  });
  OpenAiOptions options = options_for(server);
  options.timeout = 300ms;
  options.retries = 0;
  const auto backend = make(options);
  ASSERT_NE(backend, nullptr);
  for (int i = 0; i < 5; ++i) {
    const Result<Summary> r = backend->summarize(sample_window());
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.status().message().find(kSecret), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find("0123456789abcdef"), std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(server.request_count(), 5u);
}

TEST_F(OpenAiBackendTest, BadOptionsAreRefused) {
  struct Case {
    std::string what;
    OpenAiOptions options;
    std::string reason;  // a part of the message
  };
  const OpenAiOptions good = options_at("http://127.0.0.1:8080/v1");
  const auto with = [&](auto change) {
    OpenAiOptions o = good;
    change(o);
    return o;
  };
  const std::vector<Case> cases = {
      {"no url", with([](auto& o) { o.base_url = ""; }), "needs a base URL"},
      {"ftp", with([](auto& o) { o.base_url = "ftp://x"; }),
       "base URL 'ftp://x': use an http:// or https:// base URL"},
      {"no scheme", with([](auto& o) { o.base_url = "127.0.0.1:8080/v1"; }), "http:// or https://"},
      {"no host", with([](auto& o) { o.base_url = "http:///v1"; }), "http:// or https://"},
      {"space", with([](auto& o) { o.base_url = "http://host /v1"; }), "http:// or https://"},
      {"user info", with([](auto& o) { o.base_url = "gopher://me:hunter2@host/v1"; }),
       "gopher://***@host/v1"},
      {"no model", with([](auto& o) { o.model = ""; }), "model name"},
      {"cold", with([](auto& o) { o.temperature = -0.1; }),
       "temperature -0.1: use a value from 0 to 2"},
      {"hot", with([](auto& o) { o.temperature = 2.5; }), "temperature 2.5"},
      {"nan", with([](auto& o) { o.temperature = std::nan(""); }), "temperature"},
      {"tokens", with([](auto& o) { o.max_tokens = 0; }), "max_tokens 0"},
      {"timeout", with([](auto& o) { o.timeout = 0ms; }), "timeout 0 ms"},
      {"retries", with([](auto& o) { o.retries = -1; }), "retries -1: use 0 to 10"},
      {"many retries", with([](auto& o) { o.retries = 11; }), "retries 11"},
      {"backoff", with([](auto& o) { o.backoff = -5ms; }), "backoff -5 ms"},
      {"key", with([](auto& o) { o.api_key = std::string(kSecret) + "\nX-Evil: 1"; }),
       "API key contains a line break"},
  };
  for (const Case& c : cases) {
    const Result<std::unique_ptr<SummaryBackend>> r = make_openai_backend(c.options);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.status().kind(), StatusKind::invalid_argument) << c.what;
    EXPECT_NE(r.status().message().find(c.reason), std::string::npos)
        << c.what << "\ngot: " << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find(kSecret), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find("hunter2"), std::string::npos) << r.status().message();
  }
  EXPECT_TRUE(make_openai_backend(good).ok());
  EXPECT_TRUE(make_openai_backend(with([](auto& o) { o.base_url = "HTTPS://api.example.com/v1"; }))
                  .ok());
  EXPECT_TRUE(make_openai_backend(with([](auto& o) { o.retries = 0; o.backoff = 0ms; })).ok());
}

TEST_F(OpenAiBackendTest, KeyWithALineBreakFromTheEnvironmentIsRefused) {
  ScopedEnv key("OPENAI_API_KEY", std::string(kSecret) + "\r\n");
  const auto r = make_openai_backend(options_at("http://127.0.0.1:8080/v1"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line break"), std::string::npos) << r.status().message();
}

TEST_F(OpenAiBackendTest, LoadSystemPrompt) {
  test::TempDir dir;
  dir.write("prompt.txt", "You are terse.\n");
  dir.write("blank.txt", " \n\t\n");
  const Result<std::string> ok = load_system_prompt(dir.file("prompt.txt").string());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(*ok, "You are terse.\n");

  const std::string missing = dir.file("missing.txt").string();
  const Result<std::string> gone = load_system_prompt(missing);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().kind(), StatusKind::not_found);
  EXPECT_NE(gone.status().message().find(missing), std::string::npos) << gone.status().message();

  const std::string blank = dir.file("blank.txt").string();
  const Result<std::string> empty = load_system_prompt(blank);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().kind(), StatusKind::invalid_argument);
  EXPECT_NE(empty.status().message().find(blank + " is empty"), std::string::npos)
      << empty.status().message();
}

TEST(OpenAiRetryTest, WhichStatusesAreRetried) {
  for (const long status : {429L, 500L, 502L, 503L, 504L, 599L}) {
    EXPECT_TRUE(retryable_http_status(status)) << status;
  }
  for (const long status : {200L, 301L, 400L, 401L, 403L, 404L, 408L, 422L, 600L}) {
    EXPECT_FALSE(retryable_http_status(status)) << status;
  }
}

TEST(OpenAiRetryTest, RetryAfterIsHonouredUpToFourTimesTheBackoff) {
  EXPECT_EQ(retry_wait(500ms, std::nullopt), 500ms);
  EXPECT_EQ(retry_wait(500ms, 1s), 1s);
  EXPECT_EQ(retry_wait(500ms, 0s), 0ms);
  EXPECT_EQ(retry_wait(500ms, 60s), 2000ms);
  EXPECT_EQ(retry_wait(20ms, 1s), 80ms);
}

TEST(OpenAiRetryTest, ParsesRetryAfter) {
  const std::time_t now = 1700000000;  // Tue, 14 Nov 2023 22:13:20 GMT
  EXPECT_EQ(parse_retry_after("120", now), 120s);
  EXPECT_EQ(parse_retry_after(" 7 ", now), 7s);
  EXPECT_EQ(parse_retry_after("99999999999999999999", now), 86400s);
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now), 30s);
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:00:00 GMT", now), 0s);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
}

TEST(OpenAiRetryTest, RedactsUserInfoInUrls) {
  EXPECT_EQ(redact_url("http://me:pw@host:80/v1"), "http://***@host:80/v1");
  EXPECT_EQ(redact_url("http://host/v1?a=b@c"), "http://host/v1?a=b@c");
  EXPECT_EQ(redact_url("http://host/v1"), "http://host/v1");
  EXPECT_EQ(redact_url("no scheme@all"), "no scheme@all");
}

}  // namespace
}  // namespace logtail
