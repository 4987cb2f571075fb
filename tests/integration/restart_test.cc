// The `logtail` command across restarts: a clean stop resumes exactly where it stopped; a
// SIGKILL at any moment, even during rotations, loses nothing and tears nothing.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "integration/command_fixture.h"

namespace logtail::test {
namespace {

class RestartTest : public CommandTest, public ::testing::WithParamInterface<int> {};

TEST_P(RestartTest, CleanStopAndRestartRepeatsNothingAndLosesNothing) {
  const int stop_signal = GetParam();
  const std::string state = path("state");
  dir_.write("app.log", numbered_lines("l", 1, 50));

  Run first = start({"--state", state, "--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(first, "l-50")) << first.stderr_text();
  dir_.append("app.log", numbered_lines("l", 51, 100));
  ASSERT_TRUE(wait_for_message(first, "l-100")) << first.stderr_text();
  const ExitStatus first_status = stop(first, stop_signal);
  EXPECT_TRUE(first_status.exited_with(0))
      << first_status.describe() << ": " << first.stderr_text();
  EXPECT_EQ(messages_of(first.records()), numbered_messages("l", 1, 100));

  // Written while the command is down.
  dir_.append("app.log", numbered_lines("l", 101, 200));
  // No --from: the checkpoint, not the default "end", decides where to resume.
  Run second = start({"--state", state, path("app.log")});
  ASSERT_TRUE(wait_for_message(second, "l-200")) << second.stderr_text();
  dir_.append("app.log", numbered_lines("l", 201, 300));
  ASSERT_TRUE(wait_for_message(second, "l-300")) << second.stderr_text();
  const ExitStatus second_status = stop(second, stop_signal);
  EXPECT_TRUE(second_status.exited_with(0))
      << second_status.describe() << ": " << second.stderr_text();
  EXPECT_TRUE(is_empty(second.follower->errors()));
  EXPECT_EQ(messages_of(second.records()), numbered_messages("l", 101, 300));
  expect_offsets_match(second.records());

  const Finished third = run_to_exit({"--once", "--state", state, path("app.log")});
  EXPECT_TRUE(third.status.exited_with(0)) << third.status.describe() << ": " << third.stderr_text;
  EXPECT_EQ(third.stdout_text, "");
}

INSTANTIATE_TEST_SUITE_P(Signals, RestartTest, ::testing::Values(SIGTERM, SIGINT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return std::string(info.param == SIGTERM ? "sigterm" : "sigint");
                         });

// Rotation the way logrotate numbers files: app.log.K moves to app.log.K+1, app.log to
// app.log.1, and a new app.log is created. Nothing is deleted, so every line stays somewhere
// the command can find it after a restart.
BackgroundWriter::Rotate numbered_rotation(const TempDir& dir) {
  return [&dir](LogWriter& log, std::uint64_t k) {
    for (std::uint64_t i = k - 1; i >= 1; --i) {
      std::filesystem::rename(dir.file("app.log." + std::to_string(i)),
                              dir.file("app.log." + std::to_string(i + 1)));
    }
    log.rotate_to(dir.file("app.log.1"));
  };
}

TEST_P(RestartTest, CleanStopInTheMiddleOfABacklogRepeatsNothing) {
  constexpr std::uint64_t kLines = 200000;
  std::string backlog;
  for (std::uint64_t n = 0; n < kLines; ++n) backlog += seq_line(n) + "\n";
  dir_.write("app.log", backlog);
  const std::string state = path("state");

  Run first = start({"--state", state, "--from", "beginning", path("app.log")});
  // The stop lands as soon as output begins, while most of the backlog is still unread.
  ASSERT_TRUE(wait_until([&] { return std::filesystem::file_size(first.out) > 0; }, 30s, 1ms))
      << first.stderr_text();
  const ExitStatus status = stop(first, GetParam());
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << first.stderr_text();
  const std::size_t delivered = first.records().size();

  const Finished rest = run_to_exit({"--once", "--state", state, path("app.log")}, 60s);
  EXPECT_TRUE(rest.status.exited_with(0)) << rest.status.describe() << ": " << rest.stderr_text;
  std::vector<JsonlRecord> all = first.records();
  all.insert(all.end(), rest.output.records.begin(), rest.output.records.end());
  const SeqReport report = check_seqs(all, 0, kLines - 1);
  EXPECT_TRUE(report.exactly_once_in_order())
      << report.summary() << " (" << delivered << " lines before the stop)";
  std::cout << "[ stopped  ] after " << delivered << " of " << kLines << " lines\n";
}

TEST_P(RestartTest, CleanStopsUnderWritingAndRotationDeliverEachLineExactlyOnce) {
  const std::uint64_t seed = test_seed();
  std::cout << "[ seed     ] LOGTAIL_TEST_SEED=" << seed << "\n";
  std::mt19937_64 rng(seed);
  const std::string state = path("state");
  dir_.write("app.log", "");
  BackgroundWriter writer(dir_.file("app.log"), 0, UINT64_MAX, 1500, numbered_rotation(dir_), 5);

  std::vector<JsonlRecord> all;
  for (int i = 0; i < 5; ++i) {
    Run run = start({"--state", state, "--from", "beginning", path("app.log")});
    const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 500)(rng));
    std::this_thread::sleep_for(delay);  // the stop lands at an arbitrary moment
    const ExitStatus status = stop(run, GetParam());
    ASSERT_TRUE(status.exited_with(0))
        << "run " << i << ": " << status.describe() << ": " << run.stderr_text();
    EXPECT_TRUE(is_empty(run.follower->errors())) << "run " << i;
    all.insert(all.end(), run.records().begin(), run.records().end());
    // Down for a while, so rotations also happen while nothing watches.
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 400)(rng)));
  }
  const std::uint64_t written = writer.stop();
  ASSERT_EQ(writer.error(), "");
  const Finished last = run_to_exit({"--once", "--state", state, path("app.log")}, 60s);
  EXPECT_TRUE(last.status.exited_with(0)) << last.status.describe() << ": " << last.stderr_text;
  all.insert(all.end(), last.output.records.begin(), last.output.records.end());

  const SeqReport report = check_seqs(all, 0, written - 1);
  EXPECT_TRUE(report.exactly_once_in_order()) << report.summary() << " of " << written;
}

class CrashTest : public CommandTest {};

TEST_F(CrashTest, SigkillAtRandomMomentsUnderWritingAndRotation) {
  const std::uint64_t seed = test_seed();
  std::cout << "[ seed     ] LOGTAIL_TEST_SEED=" << seed << "\n";
  RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 rng(seed);

  const std::string state = path("state");
  dir_.write("app.log", "");
  BackgroundWriter writer(dir_.file("app.log"), 0, UINT64_MAX, 1500, numbered_rotation(dir_), 5);

  constexpr int kKills = 10;
  std::vector<std::vector<JsonlRecord>> runs;
  for (int i = 0; i < kKills; ++i) {
    Run run = start(
        {"--state", state, "--from", "beginning", "--poll-interval", "200ms", path("app.log")});
    if (i == 0) {
      // Until the first checkpoint exists, a restart would begin afresh at the live file and
      // rightly skip the rotated ones; from then on every kill must be survivable.
      ASSERT_TRUE(wait_until([&] {
        return std::filesystem::exists(dir_.file("state/checkpoints"));
      })) << "no checkpoint written: "
          << run.stderr_text();
    }
    const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(50, 700)(rng));
    // Not a wait for a result: the kill must land at an arbitrary moment.
    std::this_thread::sleep_for(delay);
    ASSERT_TRUE(run.process.send(SIGKILL))
        << "run " << i << " ended before it was killed: " << run.stderr_text();
    const auto status = run.process.wait(kExitDeadline);
    ASSERT_TRUE(status && status->killed_by(SIGKILL));
    run.follower->poll();
    EXPECT_TRUE(is_empty(run.follower->errors())) << "run " << i;
    runs.push_back(run.follower->records());
    if (!runs.back().empty()) {
      std::cout << "[ run " << i << "    ] killed after " << delay.count() << " ms: seq "
                << seq_of(runs.back().front().message).value_or(0) << ".."
                << seq_of(runs.back().back().message).value_or(0) << " delivered\n";
    }
    // Down for a while, so rotations also happen while nothing watches.
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 400)(rng)));
  }
  const std::uint64_t written = writer.stop();
  ASSERT_EQ(writer.error(), "");
  ASSERT_GT(written, 0u);

  const Finished last = run_to_exit({"--once", "--state", state, path("app.log")}, 60s);
  EXPECT_TRUE(last.status.exited_with(0)) << last.status.describe() << ": " << last.stderr_text;
  EXPECT_TRUE(is_empty(last.output.errors));
  runs.push_back(last.output.records);

  std::vector<JsonlRecord> all;
  std::optional<std::uint64_t> previous_first;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // Within one run every line comes once and in order; repeats are allowed only across a
    // kill.
    const SeqReport run_report = check_seqs(runs[i], 0, written - 1);
    EXPECT_TRUE(is_empty(run_report.duplicated)) << "run " << i << ": " << run_report.summary();
    EXPECT_TRUE(is_empty(run_report.torn)) << "run " << i << ": " << run_report.summary();
    EXPECT_EQ(run_report.out_of_order, 0u) << "run " << i << ": " << run_report.summary();
    if (!runs[i].empty()) {
      // Committed offsets only move forward: a restart never goes back before where the
      // previous run began.
      const auto first = seq_of(runs[i].front().message);
      if (first && previous_first) {
        EXPECT_GE(*first, *previous_first) << "run " << i << " went back";
      }
      if (first) previous_first = first;
    }
    all.insert(all.end(), runs[i].begin(), runs[i].end());
  }
  const SeqReport report = check_seqs(all, 0, written - 1);
  std::cout << "[ crashes  ] " << written << " lines written, " << written / 1500 << " rotations, "
            << all.size() << " delivered over " << runs.size() << " runs, "
            << report.duplicated.size() << " lines repeated after a kill\n";
  EXPECT_TRUE(is_empty(report.missing)) << report.summary() << " of " << written << " lines";
  EXPECT_TRUE(is_empty(report.torn)) << report.summary();
}

}  // namespace
}  // namespace logtail::test
