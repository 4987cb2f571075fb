#include "http_post.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>

#include "status_text.h"

namespace logtail {
namespace {

// libcurl's global state is set up once for the process; curl_global_init is not
// thread-safe, and the backend may be used from several summarizers' threads.
CURLcode init_curl_once() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  return result;
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// What the callbacks fill in during one transfer.
struct Exchange {
  HttpResponse response;
  std::size_t max_bytes = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  if (exchange->response.body.size() + n > exchange->max_bytes) {
    exchange->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  exchange->response.body.append(data, n);
  return n;
}

// Called once per header line, status lines included.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    // A new response (after a "100 Continue"): only its own headers count.
    exchange->response.retry_after.reset();
    return n;
  }
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos && iequals(trim_space(line.substr(0, colon)), "retry-after")) {
    exchange->response.retry_after =
        parse_retry_after(trim_space(line.substr(colon + 1)), std::time(nullptr));
  }
  return n;
}

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

Status transfer_error(CURLcode code, const char* detail, const HttpPost& post,
                      const Exchange& exchange) {
  const std::string url = redact_url(post.url);
  if (exchange.too_large) {
    return Status(StatusKind::unavailable,
                  fmt::format("the answer from {} is longer than {} bytes", url,
                              post.max_response_bytes));
  }
  if (code == CURLE_OPERATION_TIMEDOUT) {
    return Status(StatusKind::unavailable, fmt::format("no complete answer from {} within {} ms",
                                                       url, post.timeout.count()));
  }
  const std::string reason = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  if (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
      code == CURLE_COULDNT_RESOLVE_PROXY) {
    return Status(StatusKind::unavailable, fmt::format("cannot reach {}: {}", url, reason));
  }
  return Status(StatusKind::unavailable, fmt::format("no answer from {}: {}", url, reason));
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::time_t now) {
  value = trim_space(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    // More than a day is as good as forever here, and capping avoids overflow.
    constexpr long long kMax = 24 * 3600;
    long long seconds = 0;
    for (const char c : value) {
      seconds = std::min(kMax, seconds * 10 + (c - '0'));
    }
    return std::chrono::seconds(seconds);
  }
  const std::string text(value);
  const std::time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::chrono::seconds(std::max<std::time_t>(0, when - now));
}

std::string redact_url(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const std::size_t authority = scheme_end + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
  const std::size_t at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return fmt::format("{}***{}", url.substr(0, authority), url.substr(at));
}

Result<HttpResponse> http_post(const HttpPost& post) {
  if (const CURLcode init = init_curl_once(); init != CURLE_OK) {
    return Status(StatusKind::internal,
                  fmt::format("libcurl could not be initialised: {}", curl_easy_strerror(init)));
  }
  const std::unique_ptr<CURL, EasyDeleter> handle(curl_easy_init());
  if (!handle) return Status(StatusKind::internal, "libcurl could not create a transfer handle");

  curl_slist* raw_list = nullptr;
  std::unique_ptr<curl_slist, ListDeleter> headers;
  // An empty "Expect:" stops libcurl from waiting for "100 Continue" before sending a body
  // over 1 KiB, a round trip (or a one-second stall) for nothing.
  std::vector<std::string> lines = post.headers;
  lines.emplace_back("Expect:");
  for (const std::string& line : lines) {
    curl_slist* next = curl_slist_append(raw_list, line.c_str());
    if (next == nullptr) {
      curl_slist_free_all(raw_list);
      return Status(StatusKind::internal, "out of memory building the request's headers");
    }
    raw_list = next;
  }
  headers.reset(raw_list);

  Exchange exchange;
  exchange.max_bytes = post.max_response_bytes;
  char detail[CURL_ERROR_SIZE] = {};
  const long timeout_ms = static_cast<long>(std::max<std::int64_t>(1, post.timeout.count()));
  const long connect_ms = static_cast<long>(
      std::clamp<std::int64_t>(post.connect_timeout.count(), 1, timeout_ms));

  CURL* h = handle.get();
  bool set = curl_easy_setopt(h, CURLOPT_URL, post.url.c_str()) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_ERRORBUFFER, detail) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get()) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_POST, 1L) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_POSTFIELDS, post.body.data()) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                                static_cast<curl_off_t>(post.body.size())) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_WRITEDATA, &exchange) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header) == CURLE_OK;
  set = set && curl_easy_setopt(h, CURLOPT_HEADERDATA, &exchange) == CURLE_OK;
  if (!set) {
    return Status(StatusKind::internal,
                  fmt::format("libcurl refused the options for {}", redact_url(post.url)));
  }

  if (const CURLcode code = curl_easy_perform(h); code != CURLE_OK)
    return transfer_error(code, detail, post, exchange);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &exchange.response.status);
  return std::move(exchange.response);
}

}  // namespace logtail
