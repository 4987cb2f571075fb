// When the OpenAI backend tries again, and how long it waits first. Pure.
//
// Transport failures (no connection, no complete answer in time), HTTP 429 and 5xx, and
// answers that do not parse are retried; any other status (400, 401, 404, ...) would fail
// the same way again and is not. The wait starts at OpenAiOptions::backoff and doubles
// after each retry. A Retry-After from the server replaces it but is capped at
// kMaxRetryAfterFactor times the current backoff: a server asking for a minute must not hold
// the summarizer's worker for a minute (the summary falls back to the template instead),
// and the cap keeps summarize()'s worst case a function of the options alone.
#pragma once

#include <chrono>
#include <optional>

namespace logtail {

inline constexpr int kMaxRetryAfterFactor = 4;

// Whether an HTTP status is worth another attempt.
bool retryable_http_status(long status);

// How long to wait before the next attempt, given the current backoff and the server's
// Retry-After (if any).
std::chrono::milliseconds retry_wait(std::chrono::milliseconds backoff,
                                     std::optional<std::chrono::seconds> retry_after);

}  // namespace logtail
