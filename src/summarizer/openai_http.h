// What every client of an OpenAI-compatible API in logtail shares: the summarizer's chat
// backend and the speaker's speech synth. Option checks, where the key comes from, the
// attempts with their retries (openai_retry.h), and keeping the key out of messages.
//
// `who` in messages is the client as the user knows it: "the OpenAI backend",
// "the OpenAI speech synth".
#pragma once

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "http_post.h"
#include "incident_report.h"
#include "logtail/status.h"
#include "openai_retry.h"

namespace logtail {

inline constexpr int kMaxOpenAiRetries = 10;
inline constexpr std::chrono::milliseconds kMaxOpenAiConnectTimeout{10000};

bool has_space_or_control(std::string_view text);

// An http:// or https:// URL with a host and no spaces.
Status check_openai_base_url(std::string_view url, std::string_view who);

// A key on one line (a line break would let it inject headers of its own).
Status check_openai_api_key(std::string_view key, std::string_view who);

// The key from LOGTAIL_LLM_API_KEY, then OPENAI_API_KEY; empty when neither is set.
std::string openai_key_from_environment();

// `base_url` without trailing slashes, then `path` ("/chat/completions").
std::string openai_endpoint(std::string_view base_url, std::string_view path);

// `text` with every occurrence of `secret` replaced by "[api key]". A server's error text may
// quote the key; nothing we report does.
std::string redact_secret(std::string text, std::string_view secret);

// A non-2xx answer as a reason: "HTTP 401 from URL: the API's message".
std::string http_failure_reason(const HttpResponse& response, std::string_view url);

// Posts `post` until `parse` accepts a 2xx answer, at most `retries` times after the first
// attempt, waiting `backoff` (doubled each time, or the server's Retry-After within
// openai_retry.h's cap) in between. Transport failures, 429, 5xx and answers that `parse`
// refuses are retried; other statuses are not. The failure is StatusKind::unavailable with
// the last reason and "(not retried)" or "(after N attempts)"; the caller words the rest.
//
// `parse` is Result<T>(const HttpResponse&), called for 2xx answers only.
template <class T, class Parse>
Result<T> post_with_retries(const HttpPost& post, int retries, std::chrono::milliseconds backoff,
                            Parse&& parse) {
  for (int attempt = 1;; ++attempt) {
    std::string reason;
    bool retryable = false;
    std::optional<std::chrono::seconds> retry_after;
    Result<HttpResponse> response = http_post(post);
    if (!response.ok()) {
      // Transport failures and timeouts may pass; an internal libcurl failure will not.
      retryable = response.status().kind() == StatusKind::unavailable;
      reason = response.status().message();
    } else if (response->status < 200 || response->status > 299) {
      retryable = retryable_http_status(response->status);
      retry_after = response->retry_after;
      reason = http_failure_reason(*response, redact_url(post.url));
    } else {
      Result<T> value = parse(*response);
      if (value.ok()) return value;
      // Models are not deterministic, and proxies hiccup: the next answer may well do.
      retryable = true;
      reason = fmt::format("unusable answer from {}: {}", redact_url(post.url),
                           value.status().message());
    }
    if (!retryable) {
      return Status(StatusKind::unavailable, fmt::format("{} (not retried)", reason));
    }
    if (attempt > retries) {
      return Status(StatusKind::unavailable, fmt::format("{} (after {} attempt{})", reason,
                                                         attempt, attempt == 1 ? "" : "s"));
    }
    std::this_thread::sleep_for(retry_wait(backoff, retry_after));
    backoff *= 2;
  }
}

}  // namespace logtail
