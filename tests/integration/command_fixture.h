// The fixture of the integration tests of the `logtail` command: runs the command as a real
// subprocess on files in its own temp dir. Header only: the integration target compiles
// *_test.cc files alone.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "integration/log_helpers.h"
#include "support/jsonl.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace logtail::test {

using namespace std::chrono_literals;

// The command's path, or empty when the build has no `logtail` target.
inline std::string logtail_bin() {
#ifdef LOGTAIL_BIN
  return LOGTAIL_BIN;
#else
  return {};
#endif
}

// The log generator's path, or empty when the build has no `logtail-loggen` target.
inline std::string loggen_bin() {
#ifdef LOGTAIL_LOGGEN_BIN
  return LOGTAIL_LOGGEN_BIN;
#else
  return {};
#endif
}

// How long a command may take to react to a stop signal or to finish --once. Generous: it
// bounds a hang, it never decides whether a working build passes.
inline constexpr std::chrono::milliseconds kExitDeadline = 30s;

// Runs the `logtail` command in a temp dir. Each run gets its own output files, out-N.jsonl
// (standard output) and err-N.txt (standard error).
class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (logtail_bin().empty()) {
      GTEST_FAIL() << "the logtail command was not built (the `logtail` target is missing)";
    }
  }

  // A path inside the temp dir, as a string for the command line.
  std::string path(std::string_view name) const { return dir_.file(name).string(); }

  // One run of the command and a follower of its standard output.
  struct Run {
    Process process;
    std::filesystem::path out;
    std::filesystem::path err;
    std::unique_ptr<JsonlFollower> follower;

    // The records so far (reads what is new first).
    const std::vector<JsonlRecord>& records() {
      follower->poll();
      return follower->records();
    }
    std::string stderr_text() const { return read_file_or_empty(err); }
  };

  // Starts `logtail args...`. Throws (failing the test) when it cannot be started.
  Run start(const std::vector<std::string>& args) {
    const int n = ++runs_;
    std::vector<std::string> argv{logtail_bin()};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto out = dir_.file("out-" + std::to_string(n) + ".jsonl");
    const auto err = dir_.file("err-" + std::to_string(n) + ".txt");
    std::string error;
    auto process = Process::spawn(argv, out, err, &error, max_open_files_);
    if (!process) throw std::runtime_error(error);
    return Run{std::move(*process), out, err, std::make_unique<JsonlFollower>(out)};
  }

  // Runs `logtail args...` to its end (for --once and for bad usage).
  struct Finished {
    ExitStatus status;
    JsonlOutput output;
    std::string stdout_text;
    std::string stderr_text;
  };
  Finished run_to_exit(const std::vector<std::string>& args,
                       std::chrono::milliseconds deadline = kExitDeadline) {
    Run run = start(args);
    auto status = run.process.wait(deadline);
    if (!status) {
      throw std::runtime_error("logtail did not exit within " + std::to_string(deadline.count()) +
                               " ms; stderr: " + run.stderr_text());
    }
    return Finished{*status, read_jsonl(run.out), read_file_or_empty(run.out), run.stderr_text()};
  }

  // Sends `sig` and waits for the exit. Throws when the command does not exit in time.
  ExitStatus stop(Run& run, int sig = SIGTERM) {
    // A signal the command handles must not come before its handler is installed (the
    // first thing main does; a loaded machine can take a while to get there).
    if (sig != SIGKILL)
      wait_until([&] { return run.process.catches(sig) || !run.process.running(); },
                 kExitDeadline);
    run.process.send(sig);
    auto status = run.process.wait(kExitDeadline);
    if (!status) {
      throw std::runtime_error("logtail did not exit within " +
                               std::to_string(kExitDeadline.count()) + " ms of signal " +
                               std::to_string(sig) + "; stderr: " + run.stderr_text());
    }
    run.follower->poll();
    return *status;
  }

  // Waits until the run has delivered at least `count` records.
  bool wait_for_count(Run& run, std::size_t count,
                      std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
    return wait_until([&] { return run.records().size() >= count; }, deadline);
  }

  // Waits until some record of the run carries `message`.
  bool wait_for_message(Run& run, std::string_view message,
                        std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
    std::size_t seen = 0;
    return wait_until(
        [&] {
          const auto& records = run.records();
          for (; seen < records.size(); ++seen) {
            if (records[seen].message == message) return true;
          }
          return false;
        },
        deadline);
  }

  // For a run that starts at the end of `name`: appends "ready-K" lines, one every 50 ms,
  // until one of them is delivered, then waits for the last one written, and returns the
  // number written. Lines appended before the command opened the file are existing content
  // it rightly skips; from the first delivered marker on, every line must arrive. Throws
  // when they do not.
  int wait_ready(Run& run, std::string_view name) {
    int written = 0;
    const bool ready = wait_until(
        [&] {
          for (const JsonlRecord& r : run.records()) {
            if (r.message.rfind("ready-", 0) == 0) return true;
          }
          dir_.append(name, "ready-" + std::to_string(written++) + "\n");
          return false;
        },
        30s, 50ms);
    if (!ready) {
      throw std::runtime_error("logtail delivered none of " + std::to_string(written) +
                               " lines appended to " + std::string(name) +
                               "; stderr: " + run.stderr_text());
    }
    // The markers after the first delivered one are not existing content: all must come.
    const std::string last = "ready-" + std::to_string(written - 1);
    if (!wait_for_message(run, last)) {
      throw std::runtime_error("logtail delivered an earlier ready marker but not " + last +
                               "; stderr: " + run.stderr_text());
    }
    return written;
  }

  // Removes the "ready-K" records, checking that they are consecutive markers, each once,
  // ending with the last one written.
  static std::vector<JsonlRecord> strip_ready(const std::vector<JsonlRecord>& records,
                                              int written) {
    std::vector<JsonlRecord> rest;
    int expected = -1;
    for (const JsonlRecord& r : records) {
      if (r.message.rfind("ready-", 0) != 0) {
        rest.push_back(r);
        continue;
      }
      const int k = std::stoi(r.message.substr(6));
      if (expected >= 0) {
        EXPECT_EQ(k, expected) << "ready markers out of order or repeated";
      }
      expected = k + 1;
    }
    EXPECT_EQ(expected, written) << "not every ready marker after the first was delivered";
    return rest;
  }

  // Checks that each record's offset points at its line in `file` (its current contents,
  // uncompressed for .gz): the message's bytes followed by a newline (or "\r\n").
  static void expect_offsets_in(const std::vector<JsonlRecord>& records,
                                const std::filesystem::path& file) {
    const std::string bytes = log_contents(file);
    for (const JsonlRecord& r : records) {
      ASSERT_LE(r.offset + r.message.size(), bytes.size())
          << "offset " << r.offset << " of \"" << r.message << "\" is past the end of " << file;
      EXPECT_EQ(bytes.substr(r.offset, r.message.size()), r.message)
          << "offset " << r.offset << " in " << file << " (output line " << r.line_number << ")";
      const std::string_view after = std::string_view(bytes).substr(r.offset + r.message.size());
      EXPECT_TRUE(after.starts_with("\n") || after.starts_with("\r\n"))
          << "no newline after \"" << r.message << "\" at offset " << r.offset << " in " << file;
    }
  }

  // The same, each record in the file its `source` names.
  static void expect_offsets_match(const std::vector<JsonlRecord>& records) {
    std::map<std::string, std::vector<JsonlRecord>> by_source;
    for (const JsonlRecord& r : records) by_source[r.source].push_back(r);
    for (const auto& [source, of_source] : by_source) expect_offsets_in(of_source, source);
  }

  // Checks the fields every line event has.
  static void expect_line_events(const std::vector<JsonlRecord>& records) {
    for (const JsonlRecord& r : records) {
      EXPECT_EQ(r.observer, "lines") << "output line " << r.line_number;
      EXPECT_EQ(r.kind, "line") << "output line " << r.line_number;
      EXPECT_EQ(r.severity, "info") << "output line " << r.line_number;
      EXPECT_FALSE(r.ts.empty()) << "output line " << r.line_number;
    }
  }

  // Runs the real logrotate, forced (-f), with `config` written to logrotate.conf in the temp
  // dir and a state file of its own. Throws (failing the test) when it does not succeed.
  void logrotate(const std::string& config) {
    const std::filesystem::path bin = find_program("logrotate");
    if (bin.empty()) {
      throw std::runtime_error("logrotate not found; install the Debian package logrotate");
    }
    dir_.write("logrotate.conf", config);
    std::string error;
    const auto status =
        run_to_end({bin.string(), "-s", path("logrotate.state"), "-f", path("logrotate.conf")},
                   dir_.file("logrotate.out"), dir_.file("logrotate.err"), 30s, &error);
    if (!status) throw std::runtime_error(error);
    if (!status->exited_with(0)) {
      throw std::runtime_error("logrotate failed (" + status->describe() +
                               "): " + read_file_or_empty(dir_.file("logrotate.err")));
    }
  }

  TempDir dir_;
  int runs_ = 0;
  // The RLIMIT_NOFILE soft limit of the commands start() runs; unset: the test's own.
  std::optional<std::uint64_t> max_open_files_;
};

}  // namespace logtail::test
