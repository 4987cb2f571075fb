// The summary sinks: a host callback, a jsonl file, and the one-line form for people.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <mutex>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "errno_status.h"
#include "json_escape.h"
#include "logtail/summary.h"
#include "utc_time.h"

namespace logtail {
namespace {

class CallbackSummarySink final : public SummarySink {
 public:
  explicit CallbackSummarySink(std::function<Status(const Summary&)> fn) : fn_(std::move(fn)) {}
  std::string_view name() const override { return "summary callback"; }
  Status take(const Summary& summary) override { return fn_(summary); }

 private:
  std::function<Status(const Summary&)> fn_;
};

void append_string(std::string& out, std::string_view key, std::string_view value) {
  out += fmt::format(",\"{}\":\"", key);
  append_json_escaped(out, value);
  out += '"';
}

void append_strings(std::string& out, std::string_view key,
                    const std::vector<std::string>& values) {
  out += fmt::format(",\"{}\":[", key);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    append_json_escaped(out, values[i]);
    out += '"';
  }
  out += ']';
}

std::string to_json_line(const Summary& s) {
  const Clock::time_point now = Clock::now();
  std::string out = fmt::format("{{\"time\":\"{}\"", utc_timestamp(now));
  append_string(out, "text", s.text);
  append_string(out, "title", s.title);
  append_string(out, "severity", to_string(s.severity));
  append_strings(out, "services", s.services);
  append_strings(out, "sources", s.sources);
  append_string(out, "window_start", utc_timestamp(s.window_start));
  append_string(out, "window_end", utc_timestamp(s.window_end));
  out += fmt::format(",\"events\":{}", s.event_count);
  append_string(out, "backend", s.backend);
  if (!s.fallback_reason.empty()) append_string(out, "fallback", s.fallback_reason);
  out += "}\n";
  return out;
}

std::string to_text_line(const Summary& s) { return format_summary_line(s) + "\n"; }

// Writes each summary, rendered as one line, to a file descriptor.
class LineSummarySink final : public SummarySink {
 public:
  using Render = std::string (*)(const Summary&);
  LineSummarySink(std::string_view name, Render render, int fd, bool owned, std::string where)
      : name_(name), render_(render), fd_(fd), owned_(owned), where_(std::move(where)) {}
  ~LineSummarySink() override {
    if (owned_) ::close(fd_);
  }
  LineSummarySink(const LineSummarySink&) = delete;
  LineSummarySink& operator=(const LineSummarySink&) = delete;

  std::string_view name() const override { return name_; }

  Status take(const Summary& summary) override {
    const std::string line = render_(summary);
    std::lock_guard lock(mu_);
    std::size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      const int err = n == 0 ? EIO : errno;
      return {status_kind_of_errno(err),
              fmt::format("cannot write a summary to {}: {}", where_, errno_text(err))};
    }
    return {};
  }

 private:
  std::string_view name_;
  Render render_;
  std::mutex mu_;
  int fd_;
  bool owned_;
  std::string where_;
};

}  // namespace

std::shared_ptr<SummarySink> summary_callback(std::function<Status(const Summary&)> fn) {
  return std::make_shared<CallbackSummarySink>(std::move(fn));
}

Result<std::shared_ptr<SummarySink>> summary_jsonl(const std::string& path) {
  if (path.empty() || path == "-") {
    return std::shared_ptr<SummarySink>(std::make_shared<LineSummarySink>(
        "summary jsonl", to_json_line, STDOUT_FILENO, false, "stdout"));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    return Status{status_kind_of_errno(err),
                  fmt::format("cannot open summary output '{}': {}; check that its directory "
                              "exists and is writable",
                              path, errno_text(err))};
  }
  return std::shared_ptr<SummarySink>(
      std::make_shared<LineSummarySink>("summary jsonl", to_json_line, fd, true, path));
}

std::shared_ptr<SummarySink> summary_text() {
  return std::make_shared<LineSummarySink>("summary text", to_text_line, STDOUT_FILENO, false,
                                           "stdout");
}

std::string format_summary_line(const Summary& summary) {
  // The local time of day, as people read clocks.
  const std::time_t seconds = Clock::to_time_t(summary.window_end);
  std::tm local{};
  char clock[16] = "??:??:??";
  if (::localtime_r(&seconds, &local) != nullptr) {
    std::strftime(clock, sizeof clock, "%H:%M:%S", &local);
  }
  std::string line = fmt::format("{} [{}] {}", clock, to_string(summary.severity), summary.text);
  if (!summary.fallback_reason.empty()) line += " (template fallback)";
  return line;
}

}  // namespace logtail
