// The OpenAI-compatible backend: builds the request (openai_request.h), posts it
// (http_post.h), reads the answer (incident_report.h) and retries as openai_retry.h says.
#include "logtail/openai_backend.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "openai_http.h"
#include "openai_request.h"
#include "platform/fs.h"
#include "status_text.h"

namespace logtail {
namespace {

constexpr std::string_view kWho = "the OpenAI backend";

Status check_options(const OpenAiOptions& o) {
  if (Status s = check_openai_base_url(o.base_url, kWho); !s.ok()) return s;
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
  if (o.retries < 0 || o.retries > kMaxOpenAiRetries) {
    return invalid(fmt::format("the OpenAI backend's retries {}: use 0 to {} (2 by default)",
                               o.retries, kMaxOpenAiRetries));
  }
  if (o.backoff.count() < 0) {
    return invalid(fmt::format(
        "the OpenAI backend's backoff {} ms: use a time of 0 or more (500ms by default)",
        o.backoff.count()));
  }
  return check_openai_api_key(o.api_key, kWho);
}

class OpenAiBackend final : public SummaryBackend {
 public:
  explicit OpenAiBackend(OpenAiOptions options) : options_(std::move(options)) {
    endpoint_ = openai_endpoint(options_.base_url, "/chat/completions");
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
                  .connect_timeout = std::min(options_.timeout, kMaxOpenAiConnectTimeout)};
    Result<Summary> summary = post_with_retries<Summary>(
        post, options_.retries, options_.backoff,
        [](const HttpResponse& response) { return parse_chat_response(response.body); });
    if (!summary.ok()) {
      return Status(StatusKind::unavailable,
                    fmt::format("the OpenAI backend gave no summary: {}",
                                redact_secret(summary.status().message(), options_.api_key)));
    }
    summary->backend = "openai";
    return summary;
  }

 private:
  OpenAiOptions options_;
  std::string endpoint_;
  std::vector<std::string> headers_;
};

}  // namespace

Result<std::unique_ptr<SummaryBackend>> make_openai_backend(OpenAiOptions options) {
  if (Status s = check_options(options); !s.ok()) return s;
  if (options.api_key.empty()) {
    options.api_key = openai_key_from_environment();
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
