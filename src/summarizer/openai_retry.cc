#include "openai_retry.h"

#include <algorithm>

namespace logtail {

bool retryable_http_status(long status) {
  return status == 429 || (status >= 500 && status <= 599);
}

std::chrono::milliseconds retry_wait(std::chrono::milliseconds backoff,
                                     std::optional<std::chrono::seconds> retry_after) {
  if (!retry_after) return backoff;
  return std::min<std::chrono::milliseconds>(*retry_after, backoff * kMaxRetryAfterFactor);
}

}  // namespace logtail
