// Failure mode 5 of the hardening issue, many files under low limits.
//
// The command follows 20,000 files (40 directories of 500, one glob each; 5,000 under the
// sanitizers, which take over 30 s for 20,000) with RLIMIT_NOFILE
// 256, so it may hold at most 128 files open (half the limit), and with the directory watch
// limit injected at 30 (--max-dir-watches), so 10 directories fall back to polling. Checked:
// it does not crash; one diagnostic names each polled directory; every file's line comes
// once; its CPU while idle, with a 1 s poll, stays under 20 % of one core (measured from
// /proc/PID/stat over 3 s); and lines appended to 100 files picked at random (in polled and
// watched directories, nearly all of them closed while idle) come within the stated bound,
// the poll interval plus a margin (asserted loosely: 1 s + 4 s; 10 s under the sanitizers).
//
// The open-file limit a little above what is open (EMFILE) is checked on 2,000 files with
// --max-open-files above RLIMIT_NOFILE 64: one diagnostic, and every line still comes. The
// engine's own view, in-process: health() shows the polled directory's files as `polling`,
// and a file closed while idle is opened again on change, also after a rotation.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine_fixture.h"
#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

#ifdef LOGTAIL_TEST_SANITIZED
// 20,000 files take over 30 s under the sanitizers on two busy cores: 5,000 there.
constexpr int kPerDir = 125;
constexpr auto kLatencyBound = 10s;
constexpr double kIdleCpuShare = 0.6;
#else
constexpr int kPerDir = 500;
constexpr auto kLatencyBound = 5s;
constexpr double kIdleCpuShare = 0.2;
#endif

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string dir_name(int d) { return "d" + two_digits(d); }

std::string file_name(int d, int f) {
  std::string n = std::to_string(f);
  return dir_name(d) + "/f" + std::string(3 - n.size(), '0') + n + ".log";
}

// Writes `bytes` to a new file quickly (20,000 of them).
void write_new(const std::filesystem::path& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

// The CPU time (user + system) a process has used, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may hold spaces.
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  if (fields.size() < 13) return -1;
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  const double ticks = std::stod(fields[11]) + std::stod(fields[12]);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

class ManyFilesTest : public CommandTest {
 protected:
  // Every record's source, checking each comes once.
  static std::set<std::string> sources_once(const std::vector<JsonlRecord>& records) {
    std::set<std::string> seen;
    for (const JsonlRecord& r : records) {
      EXPECT_TRUE(seen.insert(r.source + "\n" + r.message).second)
          << r.message << " from " << r.source << " came twice";
    }
    return seen;
  }
};

TEST_F(ManyFilesTest, TwentyThousandFilesUnderLowLimits) {
  constexpr int kDirs = 40;
  constexpr int kWatched = 30;
  constexpr std::size_t kFiles = static_cast<std::size_t>(kDirs) * kPerDir;
  std::vector<std::string> args = {"--from", "beginning", "--poll-interval", "1s",
                                   "--idle-close", "2s", "--max-dir-watches",
                                   std::to_string(kWatched)};
  for (int d = 0; d < kDirs; ++d) {
    std::filesystem::create_directories(dir_.file(dir_name(d)));
    for (int f = 0; f < kPerDir; ++f)
      write_new(dir_.file(file_name(d, f)), file_name(d, f) + " line 0\n");
    args.push_back(path(dir_name(d) + "/*.log"));
  }
  max_open_files_ = 256;
  Run run = start(args);
  ASSERT_TRUE(wait_for_count(run, kFiles, 120s))
      << run.records().size() << " of " << kFiles << " lines; stderr: "
      << run.stderr_text().substr(0, 4000);
  ASSERT_TRUE(run.process.running()) << run.stderr_text().substr(0, 4000);
  EXPECT_EQ(sources_once(run.records()).size(), kFiles);

  // One fallback diagnostic for each directory past the limit, naming it.
  const std::string err = run.stderr_text();
  EXPECT_EQ(count_diagnostics(err, "watch_fallback"), static_cast<std::size_t>(kDirs - kWatched));
  for (int d = kWatched; d < kDirs; ++d) {
    EXPECT_NE(err.find("logtail: watch_fallback: " + path(dir_name(d)) + ": not watching " +
                       path(dir_name(d))),
              std::string::npos)
        << dir_name(d);
  }
  // The budget was never overrun: no open failed for want of descriptors.
  EXPECT_EQ(err.find("Too many open files"), std::string::npos) << err.substr(0, 4000);

  // Idle: every file read; after idle_close, nothing is open but what is needed.
  std::this_thread::sleep_for(2500ms);  // the idle period being measured starts after it
  const double cpu0 = cpu_seconds(run.process.pid());
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(3s);
  const double cpu = cpu_seconds(run.process.pid()) - cpu0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(cpu / wall, kIdleCpuShare) << cpu << " s of CPU in " << wall << " s idle";
  std::printf("idle CPU: %.3f s in %.2f s (%.1f %% of one core)\n", cpu, wall,
              100.0 * cpu / wall);

  // New lines in 100 files picked at random, polled and watched directories alike.
  std::mt19937 rng(6);
  std::set<std::pair<int, int>> sample;
  while (sample.size() < 100) {
    sample.insert({static_cast<int>(rng() % kDirs), static_cast<int>(rng() % kPerDir)});
  }
  const std::size_t before = run.records().size();
  const auto appended = std::chrono::steady_clock::now();
  for (const auto& [d, f] : sample) dir_.append(file_name(d, f), file_name(d, f) + " line 1\n");
  ASSERT_TRUE(wait_for_count(run, before + sample.size(), 60s))
      << run.records().size() - before << " of " << sample.size() << " new lines";
  const auto latency = std::chrono::steady_clock::now() - appended;
  std::printf("100 new lines in %lld ms\n",
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(latency).count()));
  EXPECT_LT(latency, kLatencyBound);
  std::set<std::string> got;
  for (const JsonlRecord& r : slice(run.records(), before)) got.insert(r.message);
  for (const auto& [d, f] : sample) EXPECT_TRUE(got.contains(file_name(d, f) + " line 1"));

  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();
  EXPECT_EQ(sources_once(run.records()).size(), kFiles + sample.size());
}

TEST_F(ManyFilesTest, OutOfDescriptorsFilesWaitAndAreReportedOnce) {
#ifdef LOGTAIL_TEST_SANITIZED
  // The sanitizers' runtime opens descriptors (a pipe) to check memory on a virtual call;
  // in a process that has just run out of them it reports false errors.
  GTEST_SKIP() << "runs the command out of file descriptors, which the sanitizers cannot";
#endif
  constexpr int kCount = 2000;
  std::filesystem::create_directories(dir_.file("d00"));
  for (int f = 0; f < kCount; ++f) {
    const std::string name = "d00/f" + std::to_string(f) + ".log";
    write_new(dir_.file(name), name + " line 0\n");
  }
  max_open_files_ = 64;
  Run run = start({"--from", "beginning", "--max-open-files", "1000", path("d00/*.log")});
  ASSERT_TRUE(wait_for_count(run, kCount, 120s))
      << run.records().size() << " of " << kCount << "; stderr: "
      << run.stderr_text().substr(0, 4000);
  EXPECT_EQ(sources_once(run.records()).size(), static_cast<std::size_t>(kCount));
  const std::string err = run.stderr_text();
  std::size_t reports = 0;
  for (std::size_t at = err.find("Too many open files"); at != std::string::npos;
       at = err.find("Too many open files", at + 1))
    ++reports;
  EXPECT_EQ(reports, 1u) << err.substr(0, 4000);
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();
}

// How many of this process's descriptors are open on `path`.
int open_count(const std::filesystem::path& path) {
  int n = 0;
  const std::string want = std::filesystem::canonical(path).string();
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(e.path(), ec).string() == want) ++n;
  }
  return n;
}

class LimitsEngineTest : public EngineTest {};

TEST_F(LimitsEngineTest, DirectoriesPastTheWatchLimitArePolledAndSaidSo) {
  dir_.write("a/x.log", "");
  dir_.write("b/y.log", "");
  EngineOptions o = beginning();
  o.max_dir_watches = 1;
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("a/*.log"), o, rec);
  ASSERT_TRUE(engine->watch(path("b/*.log")).ok());
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return engine->health().files.size() == 2; }));
  for (const FileHealth& f : engine->health().files) {
    EXPECT_EQ(f.watch, f.path == path("b/y.log") ? WatchMode::polling : WatchMode::events)
        << f.path;
  }
  dir_.append("b/y.log", "polled\n");
  EXPECT_TRUE(wait_until([&] { return rec->count() == 1; }, 10s));
  ASSERT_TRUE(engine->stop().ok());
  std::lock_guard lock(diag_mu_);
  int fallbacks = 0;
  for (const Diagnostic& d : diagnostics_) {
    if (d.kind != DiagnosticKind::watch_fallback) continue;
    ++fallbacks;
    EXPECT_EQ(d.path, path("b"));
    EXPECT_NE(d.message.find("polled every 100 ms"), std::string::npos) << d.message;
  }
  EXPECT_EQ(fallbacks, 1);
}

TEST_F(LimitsEngineTest, AFileClosedWhileIdleIsOpenedAgainOnChangeAndAfterARotation) {
  dir_.write("app.log", "one\n");
  EngineOptions o = beginning();
  o.idle_close = 200ms;
  auto rec = std::make_shared<Recorder>();
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return rec->count() == 1; }));
  ASSERT_TRUE(wait_until([&] { return open_count(dir_.file("app.log")) == 0; }, 10s))
      << "not closed while idle";
  dir_.append("app.log", "two\n");
  ASSERT_TRUE(wait_until([&] { return rec->count() == 2; }, 10s));
  ASSERT_TRUE(wait_until([&] { return open_count(dir_.file("app.log")) == 0; }, 10s));
  // Written while closed, then rotated away before the engine looks: read where it went.
  const auto inode = inode_of(dir_.file("app.log"));
  dir_.append("app.log", "three\n");
  std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
  dir_.write("app.log", "four\n");
  ASSERT_TRUE(wait_until([&] { return rec->count() == 4; }, 10s)) << rec->count();
  EXPECT_EQ(rec->messages(), (std::vector<std::string>{"one", "two", "three", "four"}));
  EXPECT_TRUE(inode.has_value());
  ASSERT_TRUE(engine->stop().ok());
}

}  // namespace
}  // namespace logtail::test
