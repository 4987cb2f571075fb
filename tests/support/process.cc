#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
#include <utility>

extern char** environ;

namespace logtail::test {
namespace {

std::string errno_text(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

ExitStatus decode(int wstatus, const struct rusage& usage) {
  ExitStatus s;
  s.max_rss_kib = usage.ru_maxrss;
  if (WIFEXITED(wstatus)) {
    s.exited = true;
    s.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    s.signal = WTERMSIG(wstatus);
  }
  return s;
}

// posix_spawn's file actions and attributes, released on every path out of spawn().
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

std::string ExitStatus::describe() const {
  if (exited) return "exit " + std::to_string(code);
  return "signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

std::optional<Process> Process::spawn(const std::vector<std::string>& argv,
                                      const std::filesystem::path& stdout_path,
                                      const std::filesystem::path& stderr_path,
                                      std::string* error,
                                      std::optional<std::uint64_t> max_open_files) {
  if (argv.empty()) {
    *error = "no program given";
    return std::nullopt;
  }
  SpawnSetup setup;
  constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC;
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, STDOUT_FILENO, stdout_path.c_str(), kFlags,
                                   0644);
  posix_spawn_file_actions_addopen(&setup.actions, STDERR_FILENO, stderr_path.c_str(), kFlags,
                                   0644);
  // The test runner may block or ignore signals (gtest threads, a CI shell that ignores
  // SIGINT); the child must see SIGTERM, SIGINT and SIGPIPE as a fresh process would.
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGQUIT}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  struct rlimit saved {};
  if (max_open_files) {
    if (::getrlimit(RLIMIT_NOFILE, &saved) != 0) {
      *error = errno_text("getrlimit", errno);
      return std::nullopt;
    }
    struct rlimit lowered = saved;
    lowered.rlim_cur = static_cast<rlim_t>(*max_open_files);
    if (::setrlimit(RLIMIT_NOFILE, &lowered) != 0) {
      *error = errno_text("setrlimit", errno);
      return std::nullopt;
    }
  }
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &setup.actions, &setup.attr, args.data(), environ);
  if (max_open_files) ::setrlimit(RLIMIT_NOFILE, &saved);
  if (rc != 0) {
    *error = errno_text(("cannot start " + argv[0]).c_str(), rc);
    return std::nullopt;
  }
  return Process(pid, stdout_path, stderr_path);
}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdout_path_(std::move(other.stdout_path_)),
      stderr_path_(std::move(other.stderr_path_)),
      status_(std::exchange(other.status_, std::nullopt)) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    stdout_path_ = std::move(other.stdout_path_);
    stderr_path_ = std::move(other.stderr_path_);
    status_ = std::exchange(other.status_, std::nullopt);
  }
  return *this;
}

Process::~Process() { kill_and_reap(); }

void Process::kill_and_reap() noexcept {
  if (pid_ <= 0 || status_) return;
  ::kill(pid_, SIGKILL);
  int wstatus = 0;
  struct rusage usage {};
  while (::wait4(pid_, &wstatus, 0, &usage) < 0 && errno == EINTR) {
  }
  status_ = decode(wstatus, usage);
}

bool Process::try_reap() {
  if (status_) return true;
  if (pid_ <= 0) return false;
  int wstatus = 0;
  struct rusage usage {};
  const pid_t r = ::wait4(pid_, &wstatus, WNOHANG, &usage);
  if (r == pid_) {
    status_ = decode(wstatus, usage);
    return true;
  }
  return false;
}

bool Process::running() { return pid_ > 0 && !try_reap(); }

bool Process::send(int sig) {
  if (!running()) return false;
  return ::kill(pid_, sig) == 0;
}

std::optional<ExitStatus> Process::wait(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  // Polling with a short sleep keeps this simple and free of SIGCHLD handlers, which would
  // interfere with other children of the test process.
  for (;;) {
    // VmHWM only grows, so the last sample before the exit is the closest to the peak.
    peak_rss_seen_kib_ = std::max(peak_rss_seen_kib_, peak_rss_kib());
    if (try_reap()) break;
    if (std::chrono::steady_clock::now() >= until) {
      kill_and_reap();
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  status_->peak_rss_kib = peak_rss_seen_kib_;
  return status_;
}

std::string Process::status_field(std::string_view name) const {
  if (pid_ <= 0 || status_) return {};
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ':')
      return line.substr(name.size() + 1);
  }
  return {};
}

long Process::peak_rss_kib() const {
  const std::string kib = status_field("VmHWM");
  return kib.empty() ? -1 : std::strtol(kib.c_str(), nullptr, 10);
}

bool Process::catches(int sig) const {
  const std::string mask = status_field("SigCgt");  // hex, bit N-1 for signal N
  return !mask.empty() && sig >= 1 && sig <= 64 &&
         (std::strtoull(mask.c_str(), nullptr, 16) >> (sig - 1) & 1) != 0;
}

std::string Process::read_stdout() const { return read_file_or_empty(stdout_path_); }
std::string Process::read_stderr() const { return read_file_or_empty(stderr_path_); }

std::optional<ExitStatus> run_to_end(const std::vector<std::string>& argv,
                                     const std::filesystem::path& stdout_path,
                                     const std::filesystem::path& stderr_path,
                                     std::chrono::milliseconds deadline, std::string* error) {
  auto p = Process::spawn(argv, stdout_path, stderr_path, error);
  if (!p) return std::nullopt;
  auto status = p->wait(deadline);
  if (!status) {
    *error =
        argv[0] + " did not exit within " + std::to_string(deadline.count()) + " ms and was killed";
  }
  return status;
}

std::string read_file_or_empty(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return {};
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

std::filesystem::path find_program(const std::string& name) {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      dirs.emplace_back(rest.substr(0, colon));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  for (const char* d : {"/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
    dirs.emplace_back(d);
  }
  for (const std::string& d : dirs) {
    if (d.empty()) continue;
    const std::filesystem::path candidate = std::filesystem::path(d) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

}  // namespace logtail::test
