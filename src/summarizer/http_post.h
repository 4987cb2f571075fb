// One HTTP POST through libcurl: the OpenAI backend's only I/O. Thin glue; the backend
// decides what the status and body mean and whether to try again.
//
// Thread: any; each call uses an easy handle of its own. libcurl is initialised once per
// process (std::call_once) and never cleaned up, since other code in the host may use it.
// Signals are never used (CURLOPT_NOSIGNAL), so timeouts are safe in threads.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/status.h"

namespace logtail {

struct HttpPost {
  std::string url;
  std::string body;
  // Whole header lines: "Content-Type: application/json". They may hold secrets
  // (Authorization), so they never appear in a message.
  std::vector<std::string> headers;
  std::chrono::milliseconds timeout{15000};          // the whole exchange
  std::chrono::milliseconds connect_timeout{15000};  // connecting alone; at most `timeout`
  // A longer answer is a failed call (the body is not kept).
  std::size_t max_response_bytes = std::size_t{1} << 20;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  // The Retry-After header, as a delay from now; nullopt when absent or unreadable.
  std::optional<std::chrono::seconds> retry_after;
};

// Sends `post`. Any HTTP status is a response; failing to connect, to send or to receive a
// complete answer in time is StatusKind::unavailable with libcurl's reason and the URL
// (without any user:password part).
Result<HttpResponse> http_post(const HttpPost& post);

// A Retry-After value: delay-seconds ("120") or an HTTP date, which is turned into a delay
// from `now` (0 when in the past). nullopt when it is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::time_t now);

// `url` with a "user:password@" part replaced by "***@", for messages.
std::string redact_url(std::string_view url);

}  // namespace logtail
