// slow_requests: emits a warning for every line whose `latency_ms=N` is above a limit.
//
//   logtail --plugin ./libslow_requests.so --observer slow_requests=500ms app.log
//
// ARG is the limit as a duration (250ms, 2s; default 500ms). Each event has kind
// "slow_request", the line as its message, and the fields latency_ms and limit_ms.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <logtail/observer.h>
#include <logtail/parse.h>
#include <logtail/plugin.h>
#include <logtail/registry.h>

namespace {

constexpr std::string_view kKey = "latency_ms=";
constexpr std::string_view kDefaultLimit = "500ms";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The N of the first `latency_ms=N` in the line that starts a word (so `max_latency_ms=` is
// not taken for it). A fraction is dropped; a number too large to hold counts as the
// largest one.
std::optional<std::uint64_t> latency_ms(std::string_view text) {
  for (auto at = text.find(kKey); at != std::string_view::npos; at = text.find(kKey, at + 1)) {
    if (at > 0 && is_name_char(text[at - 1])) continue;
    const char* first = text.data() + at + kKey.size();
    const char* last = text.data() + text.size();
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(first, last, value);
    if (error == std::errc::result_out_of_range) return std::numeric_limits<std::uint64_t>::max();
    if (error == std::errc() && end != first) return value;
  }
  return std::nullopt;
}

class SlowRequests final : public logtail::LineObserver {
 public:
  explicit SlowRequests(std::chrono::milliseconds limit)
      : limit_(static_cast<std::uint64_t>(limit.count())), limit_text_(std::to_string(limit_)) {}

  std::string_view name() const override { return "slow_requests"; }

  // Loop thread; only parses the line in hand, so it never blocks.
  void on_line(const logtail::Line& line, logtail::Emitter& out) override {
    const auto ms = latency_ms(line.text());
    if (!ms || *ms <= limit_) return;
    // The fields are views: these strings outlive the emit call, which is all they need.
    const std::string latency = std::to_string(*ms);
    out.emit(logtail::Severity::warning, "slow_request", line, line.text(),
             {{"latency_ms", latency}, {"limit_ms", limit_text_}});
  }

 private:
  std::uint64_t limit_;
  std::string limit_text_;
};

logtail::Result<std::unique_ptr<logtail::LineObserver>> make_slow_requests(std::string_view arg) {
  auto limit = logtail::parse_duration(arg.empty() ? kDefaultLimit : arg);
  if (!limit.ok()) {
    return logtail::Status{logtail::StatusKind::invalid_argument,
                           "observer 'slow_requests': " + limit.status().message()};
  }
  return std::unique_ptr<logtail::LineObserver>(std::make_unique<SlowRequests>(*limit));
}

logtail::Status add_slow_requests(logtail::Registry& registry) {
  return registry.add_observer("slow_requests", make_slow_requests);
}

}  // namespace

LOGTAIL_PLUGIN("slow_requests", add_slow_requests)
