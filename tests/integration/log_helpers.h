// Logs the integration tests write and check: numbered lines, a writer that rotates while
// it writes, and checks of what came out. Header only: the integration target compiles
// *_test.cc files alone.
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "support/jsonl.h"
#include "support/process.h"
#include "support/wait.h"

namespace logtail::test {

// A test line that carries its sequence number: varying lengths (so reads split lines at
// many places) and a " seq=N" tail to find N again.
inline std::string seq_line(std::uint64_t n) {
  return "entry " + std::to_string(n) + " " + std::string(n % 41, static_cast<char>('a' + n % 26)) +
         " seq=" + std::to_string(n);
}

// N from a message ending in " seq=N"; nullopt for any other message.
inline std::optional<std::uint64_t> seq_of(std::string_view message) {
  const auto at = message.rfind(" seq=");
  if (at == std::string_view::npos || at + 5 == message.size()) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : message.substr(at + 5)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

inline std::vector<std::string> messages_of(const std::vector<JsonlRecord>& records) {
  std::vector<std::string> out;
  out.reserve(records.size());
  for (const JsonlRecord& r : records) out.push_back(r.message);
  return out;
}

// The uncompressed contents of a .gz file, read with zlib.
inline std::string gunzip_file(const std::filesystem::path& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path.string());
  std::string out;
  char buf[65536];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  const bool failed = n < 0;
  gzclose(f);
  if (failed) throw std::runtime_error("cannot decompress " + path.string());
  return out;
}

// A file's contents as the engine reads it: .gz files uncompressed.
inline std::string log_contents(const std::filesystem::path& path) {
  if (path.extension() == ".gz") return gunzip_file(path);
  return read_file_or_empty(path);
}

// The seed of a randomized test: LOGTAIL_TEST_SEED when set, so a failure can be replayed.
inline std::uint64_t test_seed() {
  if (const char* s = std::getenv("LOGTAIL_TEST_SEED")) return std::strtoull(s, nullptr, 10);
  return 20261126;
}

// Writes lines the way a logging process does: one write(2) per line through an O_APPEND
// descriptor, kept open across writes, so a reader never sees a line half-written unless
// the test writes it in pieces on purpose.
class LogWriter {
 public:
  explicit LogWriter(std::filesystem::path path) : path_(std::move(path)) { open(); }
  ~LogWriter() { close(); }
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::runtime_error("cannot write " + path_.string());
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void line(std::string_view text) { write(std::string(text) + "\n"); }

  // Rename-and-create: the file moves to `to` and a new, empty file takes its path.
  void rotate_to(const std::filesystem::path& to) {
    close();
    std::filesystem::rename(path_, to);
    open();
  }
  // Copytruncate: a copy goes to `to`, then the file is cut to zero bytes in place; the
  // descriptor stays open (O_APPEND writes land at the new end).
  void copy_truncate_to(const std::filesystem::path& to) {
    std::filesystem::copy_file(path_, to, std::filesystem::copy_options::overwrite_existing);
    if (::truncate(path_.c_str(), 0) != 0) {
      throw std::runtime_error("cannot truncate " + path_.string());
    }
  }

 private:
  void open() {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open " + path_.string());
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  std::filesystem::path path_;
  int fd_ = -1;
};

// Writes seq_line(n) for n = first, first + 1, ... on a thread of its own, `lines_per_ms` lines
// and then a millisecond's pause, until `last` is written or stop() is called. After every
// `rotate_every` lines (0: never) it calls `rotate(log, k)` with k = 1, 2, ... on the same
// thread, so no line is written while a rotation is half done.
class BackgroundWriter {
 public:
  using Rotate = std::function<void(LogWriter&, std::uint64_t)>;
  BackgroundWriter(std::filesystem::path path, std::uint64_t first, std::uint64_t last,
                   std::uint64_t rotate_every, Rotate rotate, int lines_per_ms = 10)
      : next_(first) {
    thread_ = std::thread([=, this] {
      try {
        LogWriter log(path);
        std::uint64_t rotations = 0;
        int in_this_ms = 0;
        for (std::uint64_t n = first; n <= last && !stop_.load(); ++n) {
          log.line(seq_line(n));
          next_.store(n + 1);
          if (rotate_every != 0 && (n - first + 1) % rotate_every == 0) rotate(log, ++rotations);
          if (++in_this_ms == lines_per_ms) {
            in_this_ms = 0;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        }
      } catch (const std::exception& e) {
        error_ = e.what();
      }
      done_.store(true);
    });
  }
  ~BackgroundWriter() { stop(); }
  BackgroundWriter(const BackgroundWriter&) = delete;
  BackgroundWriter& operator=(const BackgroundWriter&) = delete;

  // Stops (if still writing) and joins; returns the first seq not written.
  std::uint64_t stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    return next_.load();
  }
  // Waits for the writer to write its last line; false on timeout.
  bool finish(std::chrono::milliseconds deadline = std::chrono::seconds(60)) {
    const bool ok = wait_until([&] { return done_.load(); }, deadline);
    if (ok && thread_.joinable()) thread_.join();
    return ok;
  }
  std::uint64_t next() const { return next_.load(); }
  // Why the writer stopped early, if it did; read after stop() or finish().
  const std::string& error() const { return error_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<std::uint64_t> next_;
  std::string error_;
  std::thread thread_;
};

// What a run delivered of the seq lines first..last.
struct SeqReport {
  std::vector<std::uint64_t> missing;
  std::vector<std::uint64_t> duplicated;
  std::vector<std::string> torn;  // messages that are not exactly a line that was written
  std::size_t out_of_order = 0;   // records whose seq is not above the one before
  std::string first_descent;      // where the first of those came, for the message

  bool exactly_once_in_order() const {
    return missing.empty() && duplicated.empty() && torn.empty() && out_of_order == 0;
  }
  std::string summary() const {
    std::string s;
    const auto list = [&](const char* what, const std::vector<std::uint64_t>& v) {
      if (v.empty()) return;
      s += std::to_string(v.size()) + " " + what + " (";
      for (std::size_t i = 0; i < v.size() && i < 10; ++i)
        s += (i ? " " : "") + std::to_string(v[i]);
      s += v.size() > 10 ? " ...); " : "); ";
    };
    list("missing", missing);
    list("duplicated", duplicated);
    if (!torn.empty()) s += std::to_string(torn.size()) + " torn (first: \"" + torn[0] + "\"); ";
    if (out_of_order != 0) {
      s += std::to_string(out_of_order) + " out of order (first: " + first_descent + "); ";
    }
    return s.empty() ? "all delivered exactly once, in order" : s;
  }
};

inline SeqReport check_seqs(const std::vector<JsonlRecord>& records, std::uint64_t first,
                            std::uint64_t last) {
  SeqReport report;
  std::map<std::uint64_t, int> seen;
  std::optional<std::uint64_t> previous;
  const JsonlRecord* previous_record = nullptr;
  for (const JsonlRecord& r : records) {
    const auto n = seq_of(r.message);
    if (!n || r.message != seq_line(*n) || *n < first || *n > last) {
      report.torn.push_back(r.message.substr(0, 200));
      continue;
    }
    if (previous && *n <= *previous && report.out_of_order++ == 0) {
      report.first_descent = std::to_string(*n) + " at " + r.source + ":" +
                             std::to_string(r.offset) + " after " + std::to_string(*previous) +
                             " at " + previous_record->source + ":" +
                             std::to_string(previous_record->offset);
    }
    previous = n;
    previous_record = &r;
    if (++seen[*n] == 2) report.duplicated.push_back(*n);
  }
  for (std::uint64_t n = first; n <= last; ++n) {
    if (!seen.contains(n)) report.missing.push_back(n);
  }
  return report;
}

// Succeeds for an empty vector; otherwise shows the first elements.
template <class T>
::testing::AssertionResult is_empty(const std::vector<T>& v) {
  if (v.empty()) return ::testing::AssertionSuccess();
  ::testing::AssertionResult r = ::testing::AssertionFailure();
  r << v.size() << " unexpected:";
  for (std::size_t i = 0; i < v.size() && i < 10; ++i) r << " [" << v[i] << "]";
  return r;
}

inline ::testing::AssertionResult has_substr(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not in \"" << text << "\"";
}

// Lines "<prefix>-<first>" ... "<prefix>-<last>", each with its newline, as one string.
inline std::string numbered_lines(std::string_view prefix, int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) out += std::string(prefix) + "-" + std::to_string(i) + "\n";
  return out;
}

// The same lines as messages, without newlines.
inline std::vector<std::string> numbered_messages(std::string_view prefix, int first, int last) {
  std::vector<std::string> out;
  for (int i = first; i <= last; ++i) out.push_back(std::string(prefix) + "-" + std::to_string(i));
  return out;
}

inline std::vector<std::string> concat(std::vector<std::string> a,
                                       const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Counts `\n` in `text`.
inline std::size_t count_lines(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace logtail::test
