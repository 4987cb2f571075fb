// logtail-bench-catchup: how fast the engine catches up on a large existing file through the
// `lines` observer into a counting sink.
//
//   logtail-bench-catchup FILE [--runs N] [--read-chunk SIZE]
//
// Reads FILE once first (counting its newlines, which also leaves it in the page cache), then
// runs a fresh engine over it N times (default 3) with start_at beginning and drain(), and
// checks every run delivered exactly as many lines as the file holds. Prints each run, then
// the best and the median, and last a `result` line of key=value pairs for scripts.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/engine.h"
#include "logtail/observers.h"
#include "logtail/parse.h"
#include "logtail/sinks.h"

namespace {

using Clock = std::chrono::steady_clock;

struct FileCount {
  std::uint64_t bytes = 0;
  std::uint64_t newlines = 0;
};

// The reference: newlines counted with plain read(2) and memchr.
bool count_newlines(const std::string& path, FileCount& count, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot open '{}': {}; generate it first, e.g. logtail-loggen --out "
                        "{} --bytes 1GiB", path, std::strerror(errno), path);
    return false;
  }
  std::vector<char> buffer(std::size_t{4} << 20);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = fmt::format("cannot read '{}': {}", path, std::strerror(errno));
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    count.bytes += static_cast<std::uint64_t>(n);
    const char* p = buffer.data();
    const char* end = p + n;
    while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
      ++count.newlines;
      p = static_cast<const char*>(nl) + 1;
    }
  }
  ::close(fd);
  return true;
}

struct RunResult {
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // user + system time of the whole process
  std::uint64_t lines = 0;
};

// CPU time is reported beside wall time because on a busy machine the wall clock also counts
// time spent waiting for a core; CPU time shows the work the engine itself did.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

bool run_once(const std::string& path, std::size_t read_chunk, RunResult& result,
              std::string& error) {
  logtail::EngineOptions options;
  options.start_at = logtail::StartAt::beginning;
  if (read_chunk > 0) options.read_chunk_bytes = read_chunk;
  logtail::Engine engine(options);
  std::uint64_t problems = 0;
  engine.on_diagnostic([&](const logtail::Diagnostic& d) {
    if (d.severity >= logtail::Severity::warning) {
      fmt::print(stderr, "diagnostic {}: {}\n", to_string(d.kind), d.message);
      ++problems;
    }
  });
  if (auto s = engine.watch(path); !s.ok()) {
    error = s.message();
    return false;
  }
  auto& lines = engine.add(logtail::observers::lines());
  auto counting = std::make_shared<logtail::sinks::Counting>();
  engine.route(lines, counting);

  const double cpu_start = cpu_seconds();
  const auto start = Clock::now();
  const logtail::Status s = engine.drain();
  const auto end = Clock::now();
  result.cpu_seconds = cpu_seconds() - cpu_start;
  if (!s.ok()) {
    error = fmt::format("drain failed: {}", s.message());
    return false;
  }
  result.seconds = std::chrono::duration<double>(end - start).count();
  result.lines = counting->events();
  if (problems > 0) {
    error = fmt::format("{} warning or error diagnostics during the run", problems);
    return false;
  }
  return true;
}

int usage(const std::string& message) {
  std::fprintf(stderr, "logtail-bench-catchup: %s\nusage: logtail-bench-catchup FILE [--runs N] "
               "[--read-chunk SIZE]\n",
               message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  int runs = 3;
  std::size_t read_chunk = 0;  // 0: the engine's default
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--runs") {
      if (i + 1 >= argc) return usage("--runs needs a number, e.g. --runs 3");
      const std::string_view v = argv[++i];
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), runs);
      if (ec != std::errc() || end != v.data() + v.size() || runs < 1 || runs > 100) {
        return usage(fmt::format("--runs '{}' is not a number from 1 to 100", v));
      }
    } else if (arg == "--read-chunk") {
      if (i + 1 >= argc) return usage("--read-chunk needs a size, e.g. --read-chunk 256KiB");
      auto size = logtail::parse_size(argv[++i]);
      if (!size.ok() || *size == 0) {
        return usage(fmt::format("--read-chunk '{}' is not a size above 0, e.g. 256KiB",
                                 argv[i]));
      }
      read_chunk = static_cast<std::size_t>(*size);
    } else if (arg.starts_with("--")) {
      return usage(fmt::format("unknown option '{}'", arg));
    } else if (path.empty()) {
      path = arg;
    } else {
      return usage("give one FILE");
    }
  }
  if (path.empty()) return usage("give the FILE to read");

  std::string error;
  FileCount count;
  const auto warm_start = Clock::now();
  if (!count_newlines(path, count, error)) {
    std::fprintf(stderr, "logtail-bench-catchup: %s\n", error.c_str());
    return 1;
  }
  const double warm_s = std::chrono::duration<double>(Clock::now() - warm_start).count();
  if (count.bytes == 0) return usage(fmt::format("'{}' is empty", path));
  fmt::print("file {}: {} bytes, {} lines (counted in {:.3f} s, {:.2f} GB/s)\n", path,
             count.bytes, count.newlines, warm_s, count.bytes / warm_s / 1e9);

  std::vector<double> seconds;
  std::vector<double> cpu;
  for (int r = 0; r < runs; ++r) {
    RunResult result;
    if (!run_once(path, read_chunk, result, error)) {
      std::fprintf(stderr, "logtail-bench-catchup: run %d: %s\n", r + 1, error.c_str());
      return 1;
    }
    if (result.lines != count.newlines) {
      std::fprintf(stderr,
                   "logtail-bench-catchup: run %d delivered %llu lines, the file has %llu\n",
                   r + 1, static_cast<unsigned long long>(result.lines),
                   static_cast<unsigned long long>(count.newlines));
      return 1;
    }
    seconds.push_back(result.seconds);
    cpu.push_back(result.cpu_seconds);
    fmt::print("run {}: {:.3f} s, {:.2f} GB/s, {:.1f} M lines/s; {:.3f} s CPU, {:.2f} GB per "
               "CPU second\n", r + 1, result.seconds, count.bytes / result.seconds / 1e9,
               count.newlines / result.seconds / 1e6, result.cpu_seconds,
               count.bytes / result.cpu_seconds / 1e9);
    std::fflush(stdout);
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu.begin(), cpu.end());
  const double best = seconds.front();
  const double median = seconds[seconds.size() / 2];
  fmt::print("best: {:.2f} GB/s, {:.1f} M lines/s; median: {:.2f} GB/s, {:.1f} M lines/s\n",
             count.bytes / best / 1e9, count.newlines / best / 1e6,
             count.bytes / median / 1e9, count.newlines / median / 1e6);
  fmt::print("result bytes={} lines={} best_gbps={:.3f} median_gbps={:.3f} "
             "best_mlines={:.2f} median_mlines={:.2f} count_gbps={:.3f} "
             "median_cpu_gbps={:.3f}\n",
             count.bytes, count.newlines, count.bytes / best / 1e9, count.bytes / median / 1e9,
             count.newlines / best / 1e6, count.newlines / median / 1e6,
             count.bytes / warm_s / 1e9, count.bytes / cpu[cpu.size() / 2] / 1e9);
  return 0;
}
