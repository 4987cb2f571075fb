// The jsonl sink: one JSON object per event, appended to a file or standard output.
//
// Events are rendered into one reused buffer and written with write(2) batch by batch (on
// flush, or earlier when the buffer passes kWriteThreshold), so a batch costs one system call
// and no allocation per event once the buffer and the ticket list have grown.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "errno_status.h"
#include "json_escape.h"
#include "logtail/sinks.h"
#include "utc_time.h"

namespace logtail::sinks {
namespace {

// Past this much rendered output inside one batch, write it out at once: memory stays bounded
// however large the batch.
constexpr std::size_t kWriteThreshold = std::size_t{1} << 20;
// A buffer that grew past this for one huge event is given back rather than kept.
constexpr std::size_t kKeepCapacity = std::size_t{4} << 20;

// Writes `value` as at least `width` digits ending at `end`, and returns where they start.
char* put_digits(char* end, std::uint64_t value, int width) {
  do {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
    --width;
  } while (value != 0 || width > 0);
  return end;
}

void append_uint(std::string& out, std::uint64_t value) {
  char digits[20];
  char* end = digits + sizeof digits;
  char* begin = put_digits(end, value, 1);
  out.append(begin, end);
}

// Events of one batch mostly share their millisecond, so the text of the last one is kept.
class Timestamps {
 public:
  void append(std::string& out, Clock::time_point time) {
    const auto ms = std::chrono::floor<std::chrono::milliseconds>(time);
    if (!valid_ || ms != last_) {
      text_ = utc_timestamp(ms);
      last_ = ms;
      valid_ = true;
    }
    out += text_;
  }

 private:
  std::chrono::sys_time<std::chrono::milliseconds> last_{};
  bool valid_ = false;
  std::string text_;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !is_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i == n;
}

void append_string(std::string& out, std::string_view text) {
  out.push_back('"');
  append_json_escaped(out, text);
  out.push_back('"');
}

// The member names and the quotes around string values are appended together, so an event
// costs a handful of appends.
void append_event(std::string& out, const Event& event, Timestamps& timestamps) {
  out.append(R"({"ts":")");
  timestamps.append(out, event.time);
  out.append(R"(","source":")");
  append_json_escaped(out, event.source);
  out.append(R"(","offset":)");
  append_uint(out, event.offset);
  out.append(R"(,"observer":")");
  append_json_escaped(out, event.observer);
  out.append(R"(","kind":")");
  append_json_escaped(out, event.kind);
  out.append(R"(","severity":")");
  out.append(to_string(event.severity));
  out.append(R"(","message":")");
  append_json_escaped(out, event.message);
  out.append(event.truncated ? R"(","truncated":true)" : R"(")");
  if (!event.fields.empty()) {
    out.append(R"(,"fields":{)");
    bool first = true;
    for (const Field& field : event.fields) {
      if (!first) out.push_back(',');
      first = false;
      append_string(out, field.key);
      out.push_back(':');
      if (is_json_number(field.value)) {
        out.append(field.value);
      } else {
        append_string(out, field.value);
      }
    }
    out.push_back('}');
  }
  out.append("}\n");
}

class JsonlSink final : public Sink {
 public:
  // `fd` is closed by the sink when `owned`; `where` names the output in messages.
  JsonlSink(int fd, bool owned, std::string where)
      : fd_(fd), owned_(owned), where_(std::move(where)) {
    buffer_.reserve(kWriteThreshold + kWriteThreshold / 4);
  }
  ~JsonlSink() override {
    // Anything still buffered was never written: its tickets are dropped unsettled, so those
    // lines are not committed and come again after a restart.
    if (owned_) ::close(fd_);
  }
  JsonlSink(const JsonlSink&) = delete;
  JsonlSink& operator=(const JsonlSink&) = delete;

  std::string_view name() const override { return "jsonl"; }

  Status consume(const Event& event, Delivery& delivery) override {
    append_event(buffer_, event, timestamps_);
    pending_.push_back({delivery.defer(), buffer_.size()});
    if (buffer_.size() >= kWriteThreshold) return write_out();
    return {};
  }

  Status flush() override { return write_out(); }

  Status close() override { return write_out(); }

 private:
  struct Pending {
    Ticket ticket;
    std::size_t end;  // where the event's line ends in buffer_
  };

  // Writes the buffer, acknowledges every event whose line was written completely, and
  // leaves the rest unacknowledged on failure.
  Status write_out() {
    if (buffer_.empty()) return {};
    Status status;
    if (torn_) {
      // A failed write left half a line in the output; end it so the next object starts on a
      // line of its own and every complete line stays valid JSON.
      std::size_t written = 0;
      status = write_all("\n", written);
      if (status.ok()) torn_ = false;
    }
    std::size_t written = 0;
    if (status.ok()) status = write_all(buffer_, written);
    for (Pending& p : pending_) {
      if (p.end <= written) p.ticket.ack();
    }
    if (!status.ok() && written > 0 && written < buffer_.size()) {
      torn_ = buffer_[written - 1] != '\n';
    }
    pending_.clear();  // unacknowledged tickets are destroyed unsettled: a failed delivery
    buffer_.clear();
    if (buffer_.capacity() > kKeepCapacity) {
      std::string().swap(buffer_);
      buffer_.reserve(kWriteThreshold + kWriteThreshold / 4);
    }
    return status;
  }

  Status write_all(std::string_view bytes, std::size_t& written) {
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + written, bytes.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // Standard output may be a non-blocking pipe shared with another process: wait until
        // it takes more rather than spinning.
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, -1) >= 0 || errno == EINTR) continue;
      }
      const int err = n == 0 ? EIO : errno;
      return {status_kind_of_errno(err), fmt::format("cannot write events to {}: {}; they stay "
                                              "unacknowledged and come again after a restart",
                                              where_, errno_text(err))};
    }
    return {};
  }

  int fd_;
  bool owned_;
  bool torn_ = false;
  std::string where_;
  Timestamps timestamps_;
  std::string buffer_;
  std::vector<Pending> pending_;
};

}  // namespace

std::string to_json(const Event& event) {
  std::string out;
  Timestamps timestamps;
  append_event(out, event, timestamps);
  out.pop_back();  // the newline
  return out;
}

Result<std::shared_ptr<Sink>> jsonl(const std::filesystem::path& path) {
  if (path.empty() || path == "-") {
    return std::shared_ptr<Sink>(std::make_shared<JsonlSink>(STDOUT_FILENO, false, "stdout"));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    return Status{status_kind_of_errno(err),
                  fmt::format("cannot open jsonl output '{}': {}; check that its directory "
                              "exists and is writable",
                              path.string(), errno_text(err))};
  }
  return std::shared_ptr<Sink>(
      std::make_shared<JsonlSink>(fd, true, fmt::format("'{}'", path.string())));
}

}  // namespace logtail::sinks
