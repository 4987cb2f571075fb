// The OpenAI-compatible backend: builds the request (openai_request.h), posts it
// (http_post.h), reads the answer (incident_report.h) and retries as openai_retry.h says.
#include "logtail/openai_backend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "http_post.h"
#include "incident_report.h"
#include "openai_request.h"
#include "openai_retry.h"
#include "platform/fs.h"

namespace logtail {
namespace {

constexpr int kMaxRetries = 10;
constexpr std::chrono::milliseconds kMaxConnectTimeout{10000};

Status invalid(std::string message) {
  return Status(StatusKind::invalid_argument, std::move(message));
}

bool has_prefix_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool has_space_or_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return true;
  }
  return false;
}

Status check_base_url(std::string_view url) {
  if (url.empty()) {
    return invalid(
        "the OpenAI backend needs a base URL: give the API's address up to its version, such "
        "as http://127.0.0.1:8080/v1");
  }
  std::string_view rest;
  if (has_prefix_nocase(url, "http://")) {
    rest = url.substr(7);
  } else if (has_prefix_nocase(url, "https://")) {
    rest = url.substr(8);
  }
  const bool has_host = !rest.empty() && rest.front() != '/' && rest.front() != '?';
  if (!has_host || has_space_or_control(url)) {
    return invalid(fmt::format(
        "the OpenAI backend's base URL '{}': use an http:// or https:// base URL such as "
        "http://127.0.0.1:8080/v1",
        one_line_preview(redact_url(url), 120)));
  }
  return {};
}

Status check_options(const OpenAiOptions& o) {
  if (Status s = check_base_url(o.base_url); !s.ok()) return s;
  if (o.model.empty() || has_space_or_control(o.model)) {
    return invalid(
        "the OpenAI backend's model name is empty or has spaces: give the model the server "
        "serves, such as gpt-4o-mini");
  }
  if (!(o.temperature >= 0.0 && o.temperature <= 2.0)) {
    return invalid(fmt::format(
        "the OpenAI backend's temperature {}: use a value from 0 to 2 (0.3 by default)",
        o.temperature));
  }
  if (o.max_tokens <= 0) {
    return invalid(fmt::format(
        "the OpenAI backend's max_tokens {}: use a positive number of tokens (300 by default)",
        o.max_tokens));
  }
  if (o.timeout.count() <= 0) {
    return invalid(fmt::format(
        "the OpenAI backend's timeout {} ms: use a positive time per attempt (15s by default)",
        o.timeout.count()));
  }
  if (o.retries < 0 || o.retries > kMaxRetries) {
    return invalid(fmt::format("the OpenAI backend's retries {}: use 0 to {} (2 by default)",
                               o.retries, kMaxRetries));
  }
  if (o.backoff.count() < 0) {
    return invalid(fmt::format(
        "the OpenAI backend's backoff {} ms: use a time of 0 or more (500ms by default)",
        o.backoff.count()));
  }
  // A line break in a header value would let the key inject headers of its own. The key
  // itself is never quoted.
  for (const char c : o.api_key) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return invalid(
          "the OpenAI backend's API key contains a line break: give the key alone, on one "
          "line");
    }
  }
  return {};
}

std::string key_from_environment() {
  for (const char* name : {"LOGTAIL_LLM_API_KEY", "OPENAI_API_KEY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') return value;
  }
  return {};
}

// What one attempt came to.
struct Attempt {
  std::optional<Summary> summary;
  bool retryable = false;
  std::string reason;  // why it failed
  std::optional<std::chrono::seconds> retry_after;
};

class OpenAiBackend final : public SummaryBackend {
 public:
  explicit OpenAiBackend(OpenAiOptions options) : options_(std::move(options)) {
    std::string base = options_.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    endpoint_ = base + "/chat/completions";
    headers_.emplace_back("Content-Type: application/json");
    headers_.emplace_back("Accept: application/json");
    if (!options_.api_key.empty()) headers_.push_back("Authorization: Bearer " + options_.api_key);
  }

  std::string_view name() const override { return "openai"; }

  Result<Summary> summarize(const SummaryRequest& request) override {
    HttpPost post{.url = endpoint_,
                  .body = build_chat_request(options_, request),
                  .headers = headers_,
                  .timeout = options_.timeout,
                  .connect_timeout = std::min(options_.timeout, kMaxConnectTimeout)};
    std::chrono::milliseconds backoff = options_.backoff;
    for (int attempt = 1;; ++attempt) {
      Attempt outcome = attempt_once(post);
      if (outcome.summary) {
        outcome.summary->backend = "openai";
        return std::move(*outcome.summary);
      }
      if (!outcome.retryable) return failure(fmt::format("{} (not retried)", outcome.reason));
      if (attempt > options_.retries) {
        return failure(fmt::format("{} (after {} attempt{})", outcome.reason, attempt,
                                   attempt == 1 ? "" : "s"));
      }
      std::this_thread::sleep_for(retry_wait(backoff, outcome.retry_after));
      backoff *= 2;
    }
  }

 private:
  Attempt attempt_once(const HttpPost& post) const {
    Attempt out;
    Result<HttpResponse> response = http_post(post);
    if (!response.ok()) {
      // Transport failures and timeouts may pass; an internal libcurl failure will not.
      out.retryable = response.status().kind() == StatusKind::unavailable;
      out.reason = response.status().message();
      return out;
    }
    const long status = response->status;
    const std::string url = redact_url(post.url);
    if (status < 200 || status > 299) {
      out.retryable = retryable_http_status(status);
      out.retry_after = response->retry_after;
      const std::optional<std::string> api_reason = api_error_message(response->body);
      std::string why = api_reason ? *api_reason : one_line_preview(response->body);
      if (why.empty()) why = "empty body";
      out.reason = fmt::format("HTTP {} from {}: {}", status, url, why);
      return out;
    }
    Result<Summary> summary = parse_chat_response(response->body);
    if (!summary.ok()) {
      // Models are not deterministic: the next answer may well parse.
      out.retryable = true;
      out.reason = fmt::format("unusable answer from {}: {}", url, summary.status().message());
      return out;
    }
    out.summary = std::move(*summary);
    return out;
  }

  // The final failure. The key is never sent to us in a message on purpose, but a server's
  // error text may quote it; it is cut out of anything we report.
  Status failure(std::string reason) const {
    const std::string& key = options_.api_key;
    if (!key.empty()) {
      for (std::size_t at = reason.find(key); at != std::string::npos;
           at = reason.find(key, at)) {
        reason.replace(at, key.size(), "[api key]");
      }
    }
    return Status(StatusKind::unavailable,
                  fmt::format("the OpenAI backend gave no summary: {}", reason));
  }

  OpenAiOptions options_;
  std::string endpoint_;
  std::vector<std::string> headers_;
};

}  // namespace

Result<std::unique_ptr<SummaryBackend>> make_openai_backend(OpenAiOptions options) {
  if (Status s = check_options(options); !s.ok()) return s;
  if (options.api_key.empty()) {
    options.api_key = key_from_environment();
    if (Status s = check_options(options); !s.ok()) return s;
  }
  return std::unique_ptr<SummaryBackend>(std::make_unique<OpenAiBackend>(std::move(options)));
}

Result<std::string> load_system_prompt(const std::string& path) {
  Result<std::string> text = platform::posix_fs().read_file(path);
  if (!text.ok()) {
    return Status(text.status().kind(),
                  fmt::format("the system prompt file: {}", text.status().message()));
  }
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status(StatusKind::invalid_argument,
                  fmt::format("the system prompt file {} is empty: write the prompt in it, or "
                              "leave the option out to use the built-in one",
                              path));
  }
  return text;
}

}  // namespace logtail
