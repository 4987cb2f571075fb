// Failure mode: crash consistency. SIGKILL at random moments while a writer appends, some
// kills while the last line is half written, some while a checkpoint is being saved; and a
// zero-byte or garbage state file. (Kills under rotation: integration/restart_test.cc.)
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "checkpoint_codec.h"
#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

// Appends seq_line(0), seq_line(1), ... on a thread of its own, a few lines a millisecond,
// one write(2) per line. hold_half() stops it with only the first half of the next line
// written; release() writes the second half and lets it go on.
class HalfLineWriter {
 public:
  explicit HalfLineWriter(std::filesystem::path path) : path_(std::move(path)) {
    thread_ = std::thread([this] { run(); });
  }
  ~HalfLineWriter() { stop(); }
  HalfLineWriter(const HalfLineWriter&) = delete;
  HalfLineWriter& operator=(const HalfLineWriter&) = delete;

  // Waits until half of a line is written and the writer waits; returns that line's seq.
  std::uint64_t hold_half() {
    std::unique_lock lock(mu_);
    hold_ = true;
    changed_.wait(lock, [&] { return held_ || done_; });
    return next_;
  }
  void release() {
    std::lock_guard lock(mu_);
    hold_ = false;
    changed_.notify_all();
  }
  // Finishes a held line, stops and joins; returns the first seq not written.
  std::uint64_t stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      hold_ = false;
      changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    return next_;
  }
  // Why the writer stopped early, if it did; read after stop().
  const std::string& error() const { return error_; }

 private:
  static constexpr int kLinesPerMs = 4;

  void run() {
    try {
      LogWriter log(path_);
      for (int in_this_ms = 0;;) {
        std::unique_lock lock(mu_);
        if (stop_) break;
        const std::string line = seq_line(next_) + "\n";
        if (hold_) {
          log.write(std::string_view(line).substr(0, line.size() / 2));
          held_ = true;
          changed_.notify_all();
          changed_.wait(lock, [&] { return !hold_; });
          log.write(std::string_view(line).substr(line.size() / 2));
          held_ = false;
        } else {
          log.write(line);
        }
        ++next_;
        lock.unlock();
        if (++in_this_ms == kLinesPerMs) {
          in_this_ms = 0;
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
      }
    } catch (const std::exception& e) {
      error_ = e.what();
    }
    std::lock_guard lock(mu_);
    done_ = true;
    changed_.notify_all();
  }

  std::filesystem::path path_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool hold_ = false;
  bool held_ = false;
  bool stop_ = false;
  bool done_ = false;
  std::uint64_t next_ = 0;
  std::string error_;
  std::thread thread_;
};

// The committed offset of `source` in the state file, which must decode: saves are atomic,
// so a kill at any moment leaves the previous checkpoint or the new one, never a mix.
// Nullopt when there is no state file or no entry yet.
std::optional<std::uint64_t> checkpointed_offset(const std::filesystem::path& file,
                                                 const std::string& source) {
  if (!std::filesystem::exists(file)) return std::nullopt;
  auto entries = decode_checkpoints(read_file_or_empty(file), file.string());
  EXPECT_TRUE(entries.ok()) << entries.status().message();
  if (!entries.ok()) return std::nullopt;
  for (const CheckpointEntry& e : *entries) {
    if (e.path == source) return e.offset;
  }
  return std::nullopt;
}

// Where the record's line ends in the file: after its newline.
std::uint64_t end_of(const JsonlRecord& r) { return r.offset + r.message.size() + 1; }

class CrashConsistencyTest : public CommandTest {};

// 20 SIGKILLs, each after a random 10-200 ms, with checkpoints saved back to back
// (--checkpoint-interval 0). A third of the kills land while the last line is half written
// (the kill comes once the line before it was delivered; the second half is written after
// the kill); a third as soon as a checkpoint temp file appears (a save under way). After
// every kill the state file decodes, its offset is at a line boundary and not past what was
// delivered, and the next run resumes exactly there: the lines repeated after a kill are
// exactly those delivered after the last checkpoint written before it.
TEST_F(CrashConsistencyTest, SigkillAtRandomMomentsLosesNoLineAndRepeatsOnlyWhatWasNotSaved) {
  const std::uint64_t seed = test_seed();
  std::cout << "[ seed     ] LOGTAIL_TEST_SEED=" << seed << "\n";
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("LOGTAIL_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const auto uniform = [&](int from, int to) {
    return std::uniform_int_distribution<int>(from, to)(rng);
  };

  const std::string log = path("app.log");
  const std::filesystem::path state_file = dir_.file("state/checkpoints");
  const std::filesystem::path temp_file = dir_.file("state/.checkpoints.tmp");
  dir_.write("app.log", "");
  HalfLineWriter writer(log);

  constexpr int kKills = 20;
  std::vector<std::vector<JsonlRecord>> runs;
  std::uint64_t delivered_end = 0;  // the end of the furthest line delivered by any run
  std::optional<std::uint64_t> resume_at;  // the checkpoint the next run starts from
  int half_line_kills = 0;
  int kills_mid_save = 0;
  std::size_t most_repeated = 0;
  for (int i = 0; i < kKills; ++i) {
    SCOPED_TRACE("run " + std::to_string(i));
    Run run = start({"--state", path("state"), "--from", "beginning", "--checkpoint-interval",
                     "0", log});
    // Not a wait for a result: the kill must land at an arbitrary moment.
    std::this_thread::sleep_for(std::chrono::milliseconds(uniform(10, 200)));
    const int how = uniform(0, 2);
    std::optional<std::uint64_t> held;
    if (how == 1) {
      held = writer.hold_half();
      // Every line before the half one delivered (by this run, or by earlier ones and saved):
      // the engine's next read sees the half line. A random moment after that.
      const std::uint64_t half_at =
          std::filesystem::file_size(log) - (seq_line(*held).size() + 1) / 2;
      EXPECT_TRUE(wait_until([&] {
        const auto& records = run.records();
        return resume_at.value_or(0) >= half_at ||
               (!records.empty() && end_of(records.back()) >= half_at);
      })) << run.stderr_text();
      std::this_thread::sleep_for(std::chrono::milliseconds(uniform(0, 30)));
    } else if (how == 2) {
      (void)wait_until([&] { return std::filesystem::exists(temp_file); }, 300ms,
                       std::chrono::milliseconds(0));
    }
    ASSERT_TRUE(run.process.send(SIGKILL)) << "ended before it was killed: " << run.stderr_text();
    const auto status = run.process.wait(kExitDeadline);
    ASSERT_TRUE(status && status->killed_by(SIGKILL));
    if (held) {
      writer.release();
      ++half_line_kills;
    }
    if (how == 2 && std::filesystem::exists(temp_file)) ++kills_mid_save;
    run.follower->poll();
    EXPECT_TRUE(is_empty(run.follower->errors()));
    const std::vector<JsonlRecord> records = run.follower->records();

    if (!records.empty()) {
      // The run began exactly at the checkpoint the previous runs left (0 without one).
      EXPECT_EQ(records.front().offset, resume_at.value_or(0));
      if (!runs.empty()) {
        std::size_t repeated = 0;
        for (const JsonlRecord& r : records) repeated += r.offset < delivered_end;
        most_repeated = std::max(most_repeated, repeated);
      }
      delivered_end = std::max(delivered_end, end_of(records.back()));
    }
    const auto saved = checkpointed_offset(state_file, log);
    if (saved) {
      // Never ahead of delivery (a line would be lost), never behind the previous one (lines
      // acknowledged and saved would come a second time), always at a line's start.
      EXPECT_LE(*saved, delivered_end);
      EXPECT_GE(*saved, resume_at.value_or(0));
      if (*saved > 0) {
        const std::string before = read_file_or_empty(log).substr(*saved - 1, 1);
        EXPECT_EQ(before, "\n") << "checkpoint at " << *saved << " is inside a line";
      }
      resume_at = saved;
    }
    runs.push_back(records);
    // Down for a while, so lines are also written while nothing watches.
    std::this_thread::sleep_for(std::chrono::milliseconds(uniform(0, 50)));
  }
  const std::uint64_t written = writer.stop();
  ASSERT_EQ(writer.error(), "");
  ASSERT_GT(written, 0u);

  const Finished last = run_to_exit({"--once", "--state", path("state"), log}, 60s);
  EXPECT_TRUE(last.status.exited_with(0)) << last.status.describe() << ": " << last.stderr_text;
  EXPECT_TRUE(is_empty(last.output.errors));
  if (!last.output.records.empty()) {
    EXPECT_EQ(last.output.records.front().offset, resume_at.value_or(0));
  }
  runs.push_back(last.output.records);

  std::vector<JsonlRecord> all;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // Within one run every line comes once, whole and in order.
    const SeqReport report = check_seqs(runs[i], 0, written - 1);
    EXPECT_TRUE(is_empty(report.duplicated)) << "run " << i << ": " << report.summary();
    EXPECT_TRUE(is_empty(report.torn)) << "run " << i << ": " << report.summary();
    EXPECT_EQ(report.out_of_order, 0u) << "run " << i << ": " << report.summary();
    all.insert(all.end(), runs[i].begin(), runs[i].end());
  }
  expect_offsets_in(all, log);
  const SeqReport report = check_seqs(all, 0, written - 1);
  std::cout << "[ crashes  ] " << written << " lines written, " << all.size()
            << " delivered over " << runs.size() << " runs; " << half_line_kills
            << " kills with a half-written line, " << kills_mid_save
            << " left a checkpoint temp file (killed mid-save); at most " << most_repeated
            << " lines repeated after one kill\n";
  EXPECT_TRUE(is_empty(report.missing)) << report.summary() << " of " << written << " lines";
}

// A state file that is empty (a file system that lost it) or not a checkpoint at all: the
// command exits 1 before reading anything, with one line on standard error naming the file and
// the fix, and leaves the file byte for byte as it was. (The --once form of these, with
// --reset-state as the way out, is in integration/usage_test.cc.)
class BadStateFileTest : public CommandTest,
                         public ::testing::WithParamInterface<std::pair<const char*, std::string>> {
};

TEST_P(BadStateFileTest, FollowingExitsWithOneLineNamingTheFileAndKeepsIt) {
  const std::string bad = GetParam().second;
  dir_.write("app.log", numbered_lines("l", 1, 5));
  dir_.write("state/checkpoints", bad);
  const Finished run =
      run_to_exit({"--state", path("state"), "--from", "beginning", path("app.log")});
  EXPECT_TRUE(run.status.exited_with(1)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_EQ(count_lines(run.stderr_text), 1u) << run.stderr_text;
  EXPECT_TRUE(run.stderr_text.ends_with("\n")) << run.stderr_text;
  EXPECT_TRUE(has_substr(run.stderr_text, path("state/checkpoints")));
  EXPECT_TRUE(has_substr(run.stderr_text, "--reset-state"));
  EXPECT_EQ(run.stdout_text, "");
  ASSERT_TRUE(std::filesystem::exists(dir_.file("state/checkpoints")));
  EXPECT_EQ(dir_.read("state/checkpoints"), bad) << "the bad state file was changed";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadStateFileTest,
    ::testing::Values(std::pair<const char*, std::string>{"zero_bytes", ""},
                      std::pair<const char*, std::string>{
                          "garbage", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR junk\n", 22)}),
    [](const auto& info) { return std::string(info.param.first); });

}  // namespace
}  // namespace logtail::test
