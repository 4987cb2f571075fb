// logtail-bench-incidents: throughput of the `incidents` observer (default patterns) through
// the engine, against grep and ripgrep with the same pattern on the same file, in one run.
//
//   logtail-bench-incidents FILE [--runs N] [--read-chunk SIZE] [--engine-only]
//
// Reads FILE once first (which leaves it in the page cache), then, N times each (default 3):
//   - a bare Hyperscan scan of the file in 4 MiB blocks (the ceiling: no reading, no lines),
//   - a fresh engine over FILE (start_at beginning, drain()) with the incidents observer
//     into a counting sink,
//   - LC_ALL=C grep -c -E -i '\b(error|warning|warn|fatal|critical)\b' FILE,
//   - rg -c -i with the same pattern (skipped, and said so, when rg is not installed).
// Checks that every count is the same, prints each run, the best wall-clock and CPU times and
// the ratios, and last a `result` line of key=value pairs for scripts. --read-chunk sets the
// engine's read_chunk_bytes (default: the engine's own); --engine-only runs the engine alone
// (for profiling it, e.g. under perf record).
#include <fcntl.h>
#include <hs/hs.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/engine.h"
#include "logtail/parse.h"
#include "logtail/observers/incidents.h"
#include "logtail/sinks.h"

extern char** environ;

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr const char* kGrepPattern = "\\b(error|warning|warn|fatal|critical)\\b";

struct Timing {
  double wall = 0;  // seconds
  double cpu = 0;   // user + system seconds
};

double seconds_of(const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

double cpu_of(const rusage& ru) { return seconds_of(ru.ru_utime) + seconds_of(ru.ru_stime); }

double self_cpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return cpu_of(ru);
}

struct Outcome {
  Timing timing;
  std::uint64_t count = 0;
};

bool read_file(const std::string& path, std::string& bytes, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot open '{}': {}; generate it first, e.g. logtail-loggen --out {} "
                        "--bytes 1GiB --rate 0 --incident-bursts --seed 1",
                        path, std::strerror(errno), path);
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
    bytes.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return true;
}

// The ceiling: the same database over the file already in memory, 4 MiB per hs_scan, no
// lines. Counts matches, not lines, so it is not compared with the others.
bool bare_scan(const std::string& bytes, Outcome& out, std::string& error) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* compile_error = nullptr;
  const auto patterns = logtail::observers::default_incident_patterns();
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    expressions.push_back(patterns[i].regex.c_str());
    flags.push_back(HS_FLAG_MULTILINE);
    ids.push_back(static_cast<unsigned>(i));
  }
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db,
                       &compile_error) != HS_SUCCESS) {
    error = fmt::format("hs_compile_multi: {}", compile_error->message);
    hs_free_compile_error(compile_error);
    return false;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  const auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned,
                           void* context) -> int {
    ++*static_cast<std::uint64_t*>(context);
    return 0;
  };
  std::uint64_t matches = 0;
  const double cpu0 = self_cpu();
  const auto start = SteadyClock::now();
  constexpr std::size_t kBlock = std::size_t{4} << 20;
  for (std::size_t at = 0; at < bytes.size(); at += kBlock) {
    const std::size_t n = std::min(kBlock, bytes.size() - at);
    hs_scan(db, bytes.data() + at, static_cast<unsigned>(n), 0, scratch, on_match, &matches);
  }
  out.timing.wall = std::chrono::duration<double>(SteadyClock::now() - start).count();
  out.timing.cpu = self_cpu() - cpu0;
  out.count = matches;
  hs_free_scratch(scratch);
  hs_free_database(db);
  return true;
}

// 0: the engine's default.
std::size_t g_read_chunk = 0;

bool run_engine(const std::string& path, Outcome& out, std::string& error) {
  logtail::EngineOptions options;
  options.start_at = logtail::StartAt::beginning;
  if (g_read_chunk > 0) options.read_chunk_bytes = g_read_chunk;
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
  auto observer = logtail::observers::IncidentsObserver::create();
  if (!observer.ok()) {
    error = observer.status().message();
    return false;
  }
  auto& incidents = engine.add(std::move(*observer));
  auto counting = std::make_shared<logtail::sinks::Counting>();
  engine.route(incidents, counting);

  const double cpu0 = self_cpu();
  const auto start = SteadyClock::now();
  const logtail::Status s = engine.drain();
  out.timing.wall = std::chrono::duration<double>(SteadyClock::now() - start).count();
  out.timing.cpu = self_cpu() - cpu0;
  if (!s.ok()) {
    error = fmt::format("drain failed: {}", s.message());
    return false;
  }
  if (problems > 0) {
    error = fmt::format("{} warning or error diagnostics during the run", problems);
    return false;
  }
  out.count = counting->events();
  return true;
}

// Runs argv with LC_ALL=C, reads the count it prints on stdout, and takes its wall-clock and
// CPU time (wait4's rusage: the child alone).
bool run_command(const std::vector<std::string>& argv, Outcome& out, std::string& error) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    error = fmt::format("pipe: {}", std::strerror(errno));
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_text = {"LC_ALL=C"};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "LC_ALL=", 7) != 0) env_text.emplace_back(*e);
  }
  std::vector<char*> env;
  for (std::string& e : env_text) env.push_back(e.data());
  env.push_back(nullptr);

  const auto start = SteadyClock::now();
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (rc != 0) {
    ::close(pipe_fds[0]);
    error = fmt::format("cannot run {}: {}", argv[0], std::strerror(rc));
    return false;
  }
  std::string output;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  rusage ru{};
  while (::wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
  }
  out.timing.wall = std::chrono::duration<double>(SteadyClock::now() - start).count();
  out.timing.cpu = cpu_of(ru);
  if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
    error = fmt::format("{} failed (status {})", argv[0], status);
    return false;
  }
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  auto [end, ec] = std::from_chars(output.data(), output.data() + output.size(), out.count);
  if (ec != std::errc() || end != output.data() + output.size()) {
    error = fmt::format("{} printed '{}', not a count", argv[0], output);
    return false;
  }
  return true;
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string dir(dirs.substr(0, colon));
    dirs.remove_prefix(colon == std::string_view::npos ? dirs.size() : colon + 1);
    if (::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

struct Series {
  std::string name;
  std::vector<Timing> runs;
  std::optional<std::uint64_t> count;
  Timing best() const {
    Timing b{1e300, 1e300};
    for (const Timing& t : runs) {
      b.wall = std::min(b.wall, t.wall);
      b.cpu = std::min(b.cpu, t.cpu);
    }
    return b;
  }
};

int usage(const std::string& message) {
  std::fprintf(stderr,
               "logtail-bench-incidents: %s\nusage: logtail-bench-incidents FILE [--runs N] "
               "[--read-chunk SIZE] [--engine-only]\n",
               message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  int runs = 3;
  bool engine_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--engine-only") {
      engine_only = true;
    } else if (arg == "--read-chunk") {
      if (i + 1 >= argc) return usage("--read-chunk needs a size, e.g. --read-chunk 1MiB");
      auto size = logtail::parse_size(argv[++i]);
      if (!size.ok() || *size == 0) return usage("--read-chunk needs a size above 0, e.g. 1MiB");
      g_read_chunk = static_cast<std::size_t>(*size);
    } else if (arg == "--runs") {
      if (i + 1 >= argc) return usage("--runs needs a number, e.g. --runs 3");
      const std::string_view v = argv[++i];
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), runs);
      if (ec != std::errc() || end != v.data() + v.size() || runs < 1 || runs > 100) {
        return usage(fmt::format("--runs '{}' is not a number from 1 to 100", v));
      }
    } else if (arg.starts_with("--")) {
      return usage(fmt::format("unknown option '{}'", arg));
    } else if (path.empty()) {
      path = arg;
    } else {
      return usage("give one FILE");
    }
  }
  if (path.empty()) return usage("give the FILE to scan");

  std::string error;
  if (engine_only) {
    for (int r = 1; r <= runs; ++r) {
      Outcome o;
      if (!run_engine(path, o, error)) {
        std::fprintf(stderr, "logtail-bench-incidents: engine run %d: %s\n", r, error.c_str());
        return 1;
      }
      fmt::print("run {} logtail incidents: {:.3f} s wall, {:.3f} s cpu, count {}\n", r,
                 o.timing.wall, o.timing.cpu, o.count);
    }
    return 0;
  }
  std::string bytes;
  if (!read_file(path, bytes, error)) {
    std::fprintf(stderr, "logtail-bench-incidents: %s\n", error.c_str());
    return 1;
  }
  if (bytes.empty()) return usage(fmt::format("'{}' is empty", path));
  const double size = static_cast<double>(bytes.size());
  fmt::print("file {}: {} bytes\n", path, bytes.size());

  const bool have_rg = on_path("rg");
  if (!have_rg) fmt::print("rg is not installed (Debian package ripgrep): its runs are skipped\n");

  Series bare{"bare hs_scan", {}, {}}, engine{"logtail incidents", {}, {}},
      grep{"grep", {}, {}}, rg{"rg", {}, {}};
  const std::vector<std::string> grep_argv = {"grep", "-c", "-E", "-i", kGrepPattern, path};
  const std::vector<std::string> rg_argv = {"rg", "-c", "-i", kGrepPattern, path};
  auto report = [&](Series& s, const Outcome& o, int run) {
    s.runs.push_back(o.timing);
    fmt::print("run {} {}: {:.3f} s wall, {:.3f} s cpu, {:.2f} GB/s, count {}\n", run, s.name,
               o.timing.wall, o.timing.cpu, size / o.timing.wall / 1e9, o.count);
    std::fflush(stdout);
  };
  for (int r = 1; r <= runs; ++r) {
    Outcome o;
    if (!bare_scan(bytes, o, error)) {
      std::fprintf(stderr, "logtail-bench-incidents: bare scan: %s\n", error.c_str());
      return 1;
    }
    report(bare, o, r);
  }
  // The others read the file themselves (from the page cache).
  std::string().swap(bytes);

  // Interleaved, so a change in the machine's load falls on all three alike.
  for (int r = 1; r <= runs; ++r) {
    Outcome o;
    if (!run_engine(path, o, error)) {
      std::fprintf(stderr, "logtail-bench-incidents: engine run %d: %s\n", r, error.c_str());
      return 1;
    }
    report(engine, o, r);
    engine.count = o.count;

    for (auto* series : {&grep, &rg}) {
      if (series == &rg && !have_rg) continue;
      o = {};
      if (!run_command(series == &grep ? grep_argv : rg_argv, o, error)) {
        std::fprintf(stderr, "logtail-bench-incidents: %s\n", error.c_str());
        return 1;
      }
      report(*series, o, r);
      if (series->count && *series->count != o.count) {
        std::fprintf(stderr, "logtail-bench-incidents: %s counted differently between runs\n",
                     series->name.c_str());
        return 1;
      }
      series->count = o.count;
    }
  }

  bool equal = *engine.count == *grep.count && (!have_rg || *rg.count == *grep.count);
  fmt::print("counts: logtail {}, grep {}, rg {}: {}\n", *engine.count, *grep.count,
             have_rg ? fmt::to_string(*rg.count) : std::string("-"),
             equal ? "equal" : "DIFFERENT");

  const Timing b = bare.best(), e = engine.best(), g = grep.best();
  const Timing rgb = have_rg ? rg.best() : Timing{0, 0};
  auto gbps = [&](double s) { return s > 0 ? size / s / 1e9 : 0.0; };
  fmt::print("best of {}, GB/s by wall clock (by CPU time):\n", runs);
  fmt::print("  bare hs_scan       {:6.2f} ({:6.2f})\n", gbps(b.wall), gbps(b.cpu));
  fmt::print("  logtail incidents  {:6.2f} ({:6.2f})\n", gbps(e.wall), gbps(e.cpu));
  fmt::print("  LC_ALL=C grep      {:6.2f} ({:6.2f})\n", gbps(g.wall), gbps(g.cpu));
  if (have_rg) {
    fmt::print("  rg                 {:6.2f} ({:6.2f})\n", gbps(rgb.wall), gbps(rgb.cpu));
  }
  fmt::print("logtail / grep: {:.2f}x wall, {:.2f}x cpu\n", g.wall / e.wall, g.cpu / e.cpu);
  if (have_rg) {
    fmt::print("logtail / rg:   {:.2f}x wall, {:.2f}x cpu\n", rgb.wall / e.wall, rgb.cpu / e.cpu);
  }
  fmt::print("result bytes={} count={} counts_equal={} bare_gbps={:.3f} bare_cpu_gbps={:.3f} "
             "logtail_gbps={:.3f} logtail_cpu_gbps={:.3f} grep_gbps={:.3f} grep_cpu_gbps={:.3f} "
             "rg_gbps={:.3f} rg_cpu_gbps={:.3f} vs_grep={:.2f} vs_grep_cpu={:.2f} vs_rg={:.2f} "
             "vs_rg_cpu={:.2f}\n",
             static_cast<std::uint64_t>(size), *engine.count, equal ? "yes" : "no",
             gbps(b.wall), gbps(b.cpu), gbps(e.wall), gbps(e.cpu), gbps(g.wall), gbps(g.cpu),
             gbps(rgb.wall), gbps(rgb.cpu), g.wall / e.wall, g.cpu / e.cpu,
             have_rg ? rgb.wall / e.wall : 0.0, have_rg ? rgb.cpu / e.cpu : 0.0);
  return equal ? 0 : 1;
}
