// Process: a child program run by a test, its output going to files.
//
// Standard output and standard error go to files (usually in the test's TempDir) rather than
// pipes, so a child that writes a lot can never block on a pipe the test is not reading, and
// the test reads what it needs when it needs it. Standard input is /dev/null.
//
// Owner: the test. Threads: one (the test's). The destructor kills a child that still runs
// (SIGKILL) and reaps it, so no test leaves a process behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace logtail::test {

// How a child ended.
struct ExitStatus {
  bool exited = false;  // exit() or return from main; `code` is valid
  int code = 0;
  int signal = 0;  // killed by this signal when !exited
  // The child's peak resident set size in KiB as sampled by Process::wait (VmHWM of
  // /proc/PID/status, read at each poll until the child ended); -1 when never sampled.
  long peak_rss_kib = -1;
  // ru_maxrss from wait4, in KiB. Only an upper bound: the kernel folds the memory the child
  // had before exec into it, and a spawned child starts as an image of the test process.
  long max_rss_kib = 0;

  bool exited_with(int expected) const { return exited && code == expected; }
  bool killed_by(int sig) const { return !exited && signal == sig; }
  // "exit 0", "signal 9 (Killed)": for assertion messages.
  std::string describe() const;
};

class Process {
 public:
  // Starts `argv[0]` (a path, or a name looked up in PATH) with `argv`, the environment of the
  // test process, standard output truncated into `stdout_path` and standard error into
  // `stderr_path`. Returns nullopt with `*error` set when the program cannot be started.
  // `max_open_files`, when given, is the child's RLIMIT_NOFILE soft limit: posix_spawn cannot
  // set limits, so the test process lowers its own around the spawn (the child inherits it)
  // and raises it back; no other thread of the test may open files meanwhile.
  static std::optional<Process> spawn(const std::vector<std::string>& argv,
                                      const std::filesystem::path& stdout_path,
                                      const std::filesystem::path& stderr_path, std::string* error,
                                      std::optional<std::uint64_t> max_open_files = std::nullopt);

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  const std::filesystem::path& stdout_path() const { return stdout_path_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }

  // True while the child has not ended. Reaps it (keeping its status) once it has.
  bool running();

  // Sends `sig` to the child; false if it has already ended.
  bool send(int sig);

  // Waits for the child to end, sampling its peak RSS as it goes. When `deadline` passes
  // first, kills it with SIGKILL, reaps it and returns nullopt: the caller fails the test
  // ("did not exit within ...").
  std::optional<ExitStatus> wait(std::chrono::milliseconds deadline);

  // The child's peak resident set size so far in KiB (VmHWM in /proc/PID/status), or -1
  // when it cannot be read (the child has ended).
  long peak_rss_kib() const;

  // True once the child has a handler for `sig` (SigCgt in /proc/PID/status): a signal sent
  // before then would kill a program that means to handle it.
  bool catches(int sig) const;

  // What the child wrote so far.
  std::string read_stdout() const;
  std::string read_stderr() const;

 private:
  Process(pid_t pid, std::filesystem::path out, std::filesystem::path err)
      : pid_(pid), stdout_path_(std::move(out)), stderr_path_(std::move(err)) {}
  // Non-blocking reap; true once the child's status is known.
  bool try_reap();
  // The text after "NAME:" on that line of /proc/PID/status; empty when there is none.
  std::string status_field(std::string_view name) const;
  void kill_and_reap() noexcept;

  pid_t pid_ = -1;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
  std::optional<ExitStatus> status_;
  long peak_rss_seen_kib_ = -1;
};

// Runs a program to its end (see Process::spawn and Process::wait). Nullopt with `*error` set
// when it cannot be started or has not ended by the deadline.
std::optional<ExitStatus> run_to_end(const std::vector<std::string>& argv,
                                     const std::filesystem::path& stdout_path,
                                     const std::filesystem::path& stderr_path,
                                     std::chrono::milliseconds deadline, std::string* error);

// The whole contents of a file, or "" when it does not exist.
std::string read_file_or_empty(const std::filesystem::path& path);

// `name` found in PATH and in the usual system program directories (logrotate lives in sbin,
// which is often missing from a user's PATH); empty when not found.
std::filesystem::path find_program(const std::string& name);

}  // namespace logtail::test
