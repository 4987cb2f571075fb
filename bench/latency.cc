// logtail-bench-latency: the delay from appending a line to a tailed file to the sink
// receiving it, at steady write rates, and the CPU an idle engine uses.
//
//   logtail-bench-latency [--rates 10000,100000] [--seconds 5] [--warmup 1] [--idle 5]
//
// An engine (start(), its own loop thread) tails app.log in a fresh temporary directory with
// the `lines` observer routed to a callback sink. A writer thread appends realistic lines at
// each rate, stamping each write with the monotonic clock (" t_ns=N"); the callback records
// now - t_ns. After a warm-up per rate (not counted), the delays over --seconds give p50, p99
// and max. Then, with no more writes, the process's CPU time (getrusage) over --idle seconds
// gives the idle CPU. Ends with `result` lines of key=value pairs for scripts.
#include <fcntl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <fmt/format.h>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "generator.h"
#include "logtail/engine.h"
#include "logtail/observers.h"
#include "logtail/sinks.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

struct Settings {
  std::vector<double> rates{10000, 100000};
  double seconds = 5;
  double warmup = 1;
  double idle = 5;
};

// Delays seen by the sink, by phase (each rate has a warm-up phase and a measured phase).
class Recorder {
 public:
  explicit Recorder(std::size_t phases) : delays_(phases) {}

  // Loop thread. The line ends with " phase=P t_ns=N".
  logtail::Status record(std::string_view text) {
    const std::int64_t now = now_ns();
    const auto phase_at = text.rfind(" phase=");
    const auto t_at = text.rfind(" t_ns=");
    std::size_t phase = 0;
    std::int64_t t = 0;
    if (phase_at == std::string_view::npos || t_at == std::string_view::npos ||
        !parse(text.substr(phase_at + 7, t_at - phase_at - 7), phase) ||
        !parse(text.substr(t_at + 6), t) || phase >= delays_.size()) {
      malformed_.fetch_add(1, std::memory_order_relaxed);
      return {};
    }
    std::lock_guard lock(mu_);
    delays_[phase].push_back(now - t);
    received_.fetch_add(1, std::memory_order_release);
    return {};
  }

  std::uint64_t received() const { return received_.load(std::memory_order_acquire); }
  std::uint64_t malformed() const { return malformed_.load(std::memory_order_relaxed); }
  std::vector<std::int64_t> take(std::size_t phase) {
    std::lock_guard lock(mu_);
    return std::move(delays_[phase]);
  }

 private:
  template <class T>
  static bool parse(std::string_view s, T& v) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && end == s.data() + s.size();
  }

  std::mutex mu_;
  std::vector<std::vector<std::int64_t>> delays_;
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> malformed_{0};
};

// Appends generated lines at `rate` for `seconds`. Lines that fall due together go out in one
// write(2), each stamped just before it; the writer never sleeps less than kMinSleep, so at
// high rates lines leave in small batches instead of one wake-up per line.
class Writer {
 public:
  explicit Writer(int fd) : fd_(fd), gen_([] {
                     loggen::GeneratorOptions o;
                     o.seed = 7;
                     return o;
                   }()) {}

  // Returns the number of lines written, or -1 on a write error.
  std::int64_t run(double rate, double seconds, std::size_t phase) {
    static constexpr auto kMinSleep = std::chrono::microseconds(100);
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(seconds));
    const auto total = static_cast<std::uint64_t>(std::llround(rate * seconds));
    std::uint64_t written = 0;
    std::string buffer;
    char line[loggen::Generator::kMaxLine];
    while (written < total) {
      const auto now = Clock::now();
      const double elapsed = std::chrono::duration<double>(now - start).count();
      const std::uint64_t due =
          std::min(total, static_cast<std::uint64_t>(std::floor(elapsed * rate)) + 1);
      if (due > written) {
        buffer.clear();
        const std::int64_t stamp = now_ns();
        for (; written < due; ++written) {
          const std::size_t n = gen_.next(line);
          buffer.append(line, n - 1);  // without its newline
          fmt::format_to(std::back_inserter(buffer), " phase={} t_ns={}\n", phase, stamp);
        }
        if (!write_all(buffer)) return -1;
      }
      if (written >= total) break;
      auto wake = start + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(written / rate));
      wake = std::min(std::max(wake, now + kMinSleep), deadline);
      std::this_thread::sleep_until(wake);
    }
    return static_cast<std::int64_t>(written);
  }

 private:
  bool write_all(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        std::fprintf(stderr, "logtail-bench-latency: write failed: %s\n", std::strerror(errno));
        return false;
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  int fd_;
  loggen::Generator gen_;
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

bool wait_for(const Recorder& recorder, std::uint64_t count) {
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (recorder.received() < count) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

double percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::max<std::size_t>(rank, 1) - 1]) / 1e3;
}

int usage(const std::string& message) {
  std::fprintf(stderr,
               "logtail-bench-latency: %s\nusage: logtail-bench-latency [--rates 10000,100000] "
               "[--seconds 5] [--warmup 1] [--idle 5]\n",
               message.c_str());
  return 2;
}

bool parse_positive(std::string_view s, double& v) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(v) && v > 0;
}

int run(const Settings& settings, const fs::path& dir) {
  const fs::path log = dir / "app.log";
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::fprintf(stderr, "logtail-bench-latency: cannot create %s: %s\n", log.c_str(),
                 std::strerror(errno));
    return 1;
  }
  Recorder recorder(settings.rates.size() * 2);
  logtail::EngineOptions options;
  options.start_at = logtail::StartAt::end;
  logtail::Engine engine(options);
  engine.on_diagnostic([](const logtail::Diagnostic& d) {
    if (d.severity >= logtail::Severity::warning) {
      fmt::print(stderr, "diagnostic {}: {}\n", to_string(d.kind), d.message);
    }
  });
  if (auto s = engine.watch(log.string()); !s.ok()) return usage(s.message());
  auto& lines = engine.add(logtail::observers::lines());
  engine.route(lines, logtail::sinks::callback([&recorder](const logtail::Event& e) {
                 return recorder.record(e.message);
               }));
  if (auto s = engine.start(); !s.ok()) {
    std::fprintf(stderr, "logtail-bench-latency: engine start failed: %s\n", s.message().c_str());
    ::close(fd);
    return 1;
  }

  Writer writer(fd);
  std::uint64_t sent = 0;
  int status = 0;
  for (std::size_t i = 0; i < settings.rates.size() && status == 0; ++i) {
    const double rate = settings.rates[i];
    for (std::size_t phase = 2 * i; phase < 2 * i + 2; ++phase) {
      const bool warm = phase % 2 == 0;
      const std::int64_t n = writer.run(rate, warm ? settings.warmup : settings.seconds, phase);
      if (n < 0) {
        status = 1;
        break;
      }
      sent += static_cast<std::uint64_t>(n);
      if (!wait_for(recorder, sent)) {
        std::fprintf(stderr, "logtail-bench-latency: at %.0f lines/s the sink got %llu of %llu "
                     "lines within 30 s\n", rate,
                     static_cast<unsigned long long>(recorder.received()),
                     static_cast<unsigned long long>(sent));
        status = 1;
        break;
      }
      if (warm) continue;
      std::vector<std::int64_t> delays = recorder.take(phase);
      std::sort(delays.begin(), delays.end());
      if (delays.empty()) continue;
      fmt::print("rate {:.0f} lines/s: {} lines, p50 {:.0f} us, p99 {:.0f} us, max {:.0f} us\n",
                 rate, delays.size(), percentile(delays, 0.5), percentile(delays, 0.99),
                 delays.back() / 1e3);
      fmt::print("result latency rate={:.0f} lines={} p50_us={:.0f} p99_us={:.0f} "
                 "max_us={:.0f}\n", rate, delays.size(), percentile(delays, 0.5),
                 percentile(delays, 0.99), delays.back() / 1e3);
      std::fflush(stdout);
    }
  }
  ::close(fd);

  if (status == 0) {
    // The writer is done and every line has arrived: what remains is the engine at rest.
    const double cpu_before = cpu_seconds();
    const auto wall_before = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(settings.idle));
    const double cpu = cpu_seconds() - cpu_before;
    const double wall = std::chrono::duration<double>(Clock::now() - wall_before).count();
    fmt::print("idle: {:.3f} s CPU over {:.1f} s, {:.2f} %\n", cpu, wall, 100 * cpu / wall);
    fmt::print("result idle cpu_percent={:.3f}\n", 100 * cpu / wall);
  }
  if (recorder.malformed() > 0) {
    std::fprintf(stderr, "logtail-bench-latency: %llu lines arrived without their stamp\n",
                 static_cast<unsigned long long>(recorder.malformed()));
    status = 1;
  }
  if (auto s = engine.stop(); !s.ok()) {
    std::fprintf(stderr, "logtail-bench-latency: stop failed: %s\n", s.message().c_str());
    status = 1;
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage(fmt::format("unknown option or missing value: '{}'", arg));
    const std::string_view value = argv[++i];
    if (arg == "--rates") {
      settings.rates.clear();
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        double rate = 0;
        if (!parse_positive(rest.substr(0, comma), rate) || rate > 1e7) {
          return usage(fmt::format("--rates '{}' is not a list of rates, e.g. 10000,100000",
                                   value));
        }
        settings.rates.push_back(rate);
        rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
      }
      if (settings.rates.empty()) return usage("--rates needs at least one rate");
    } else if (arg == "--seconds" || arg == "--warmup" || arg == "--idle") {
      double v = 0;
      if (!parse_positive(value, v) || v > 3600) {
        return usage(fmt::format("{} '{}' is not a number of seconds above 0", arg, value));
      }
      (arg == "--seconds" ? settings.seconds : arg == "--warmup" ? settings.warmup
                                                                  : settings.idle) = v;
    } else {
      return usage(fmt::format("unknown option '{}'", arg));
    }
  }

  std::string templ = (fs::temp_directory_path() / "logtail-latency-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    std::fprintf(stderr, "logtail-bench-latency: cannot make a temporary directory: %s\n",
                 std::strerror(errno));
    return 1;
  }
  const int status = run(settings, templ);
  std::error_code ec;
  fs::remove_all(templ, ec);
  return status;
}
