// logtail-loggen: writes a realistic application log, fast or at a steady rate, optionally
// rotating it, for demos, tests and benchmarks of logtail.
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generator.h"
#include "options.h"
#include "output.h"

namespace loggen {
namespace {

volatile sig_atomic_t g_stop = 0;

void on_signal(int) { g_stop = 1; }

using SteadyClock = std::chrono::steady_clock;

// As fast as possible, output goes out in chunks of this size.
constexpr std::size_t kChunk = std::size_t{1} << 20;
// At a set rate, the shortest sleep: at high rates lines go out in small batches rather
// than one sleep per line.
constexpr std::chrono::microseconds kMinSleep{100};

void sleep_until(SteadyClock::time_point t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(ns.count() / 1000000000);
  ts.tv_nsec = static_cast<long>(ns.count() % 1000000000);
  // steady_clock is CLOCK_MONOTONIC in libstdc++ on Linux. EINTR (a signal) just returns:
  // the caller checks the stop flag.
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
}

class Run {
 public:
  Run(const Options& options, Output& out) : o_(options), out_(out), gen_(options.generator) {}

  int go() {
    const auto start = SteadyClock::now();
    const bool paced = o_.generator.rate > 0;
    std::optional<SteadyClock::time_point> deadline;
    if (o_.duration) deadline = start + *o_.duration;
    std::uint64_t written = 0;
    while (!g_stop && !done_) {
      const auto now = SteadyClock::now();
      if (deadline && now >= *deadline) break;
      // Line k is due at start + k / rate; all lines are due at once when unpaced.
      std::uint64_t due = UINT64_MAX;
      if (paced) {
        const double elapsed = std::chrono::duration<double>(now - start).count();
        due = static_cast<std::uint64_t>(std::floor(elapsed * o_.generator.rate)) + 1;
      }
      // Unpaced, check the clock and the signal flag every few thousand lines.
      const std::uint64_t batch_end = paced ? due : written + 4096;
      while (written < batch_end && !done_) {
        if (!one_line()) break;
        ++written;
        if (out_.buffered() >= kChunk && !flush()) return exit_code_;
      }
      if (paced || done_) {
        if (!flush()) return exit_code_;
      }
      if (paced && !done_) {
        auto wake = start + std::chrono::duration_cast<SteadyClock::duration>(
                                std::chrono::duration<double>(written / o_.generator.rate));
        wake = std::max(wake, now + kMinSleep);
        if (deadline) wake = std::min(wake, *deadline);
        sleep_until(wake);
      }
    }
    flush();
    return exit_code_;
  }

 private:
  // Adds one line to the buffer. False once a stop condition is met.
  bool one_line() {
    if (o_.max_lines && gen_.lines() >= *o_.max_lines) return stop();
    if (o_.rotate_after > 0 && lines_in_file_ == o_.rotate_after) {
      if (!check(out_.rotate(error_))) return false;
      lines_in_file_ = 0;
    }
    char* p = out_.tail(Generator::kMaxLine);
    const std::size_t n = gen_.next(p);
    // No line is cut: the output stays at or below --bytes.
    if (o_.max_bytes && bytes_ + n > *o_.max_bytes) return stop();
    out_.commit(n);
    bytes_ += n;
    ++lines_in_file_;
    return true;
  }

  bool stop() {
    done_ = true;
    return false;
  }

  bool flush() { return check(out_.flush(error_)); }

  bool check(Output::Result r) {
    if (r == Output::Result::ok) return true;
    done_ = true;
    if (r == Output::Result::error) {
      std::fprintf(stderr, "logtail-loggen: %s\n", error_.c_str());
      exit_code_ = 1;
    }
    // A closed pipe (`logtail-loggen | head`) is a normal end.
    return false;
  }

  const Options& o_;
  Output& out_;
  Generator gen_;
  std::uint64_t bytes_ = 0;
  std::uint64_t lines_in_file_ = 0;
  bool done_ = false;
  int exit_code_ = 0;
  std::string error_;
};

}  // namespace
}  // namespace loggen

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  std::string error;
  auto options = loggen::parse_options(args, error);
  if (!options) {
    std::fprintf(stderr, "logtail-loggen: %s\n", error.c_str());
    return 2;
  }
  if (options->help) {
    std::fputs(loggen::kUsage, stdout);
    return 0;
  }
  auto out = loggen::Output::open(options->out, options->keep, error);
  if (!out) {
    std::fprintf(stderr, "logtail-loggen: %s\n", error.c_str());
    return 1;
  }
  struct sigaction sa {};
  sa.sa_handler = loggen::on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return loggen::Run(*options, *out).go();
}
