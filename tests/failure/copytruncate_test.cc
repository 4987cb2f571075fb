// Failure mode 2 of issue 6, copytruncate: 20 copy-and-truncates under continuous writing of
// files whose first KiBs are identical (a start-up banner longer than the fingerprint), a
// truncation followed by regrowth past the old offset before the command looks (the command
// frozen with SIGSTOP, or stopped with --state), and no stall and no full-file duplication.
//
// What is promised (docs/delivery-semantics.md, "Failure modes"): the lines written between
// the command's last read and a truncation may be lost, which is copytruncate's own race
// (logrotate documents it); every other line comes exactly once, in order, from the right
// offset.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

// 100 identical lines (about 6 KiB) at the start of every file: more than the 4 KiB the
// fingerprint covers, so the first bytes cannot tell one generation of the file from another.
std::vector<std::string> banner_lines() {
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i) {
    lines.push_back("banner " + std::to_string(i) + " checkout service 2026.11.22 starting up " +
                    std::string(12, '='));
  }
  return lines;
}

std::string banner() {
  std::string out;
  for (const std::string& line : banner_lines()) out += line + "\n";
  return out;
}

class CopytruncateTest : public CommandTest {};

TEST_F(CopytruncateTest, TwentyTimesUnderContinuousWritingWithIdenticalFirstKiBs) {
  const std::string app = path("app.log");
  dir_.write("app.log", banner() + seq_line(0) + "\n");
  Run run = start({"--from", "beginning", app});
  ASSERT_TRUE(wait_for_message(run, seq_line(0))) << run.stderr_text();

  // Generation g of the file holds seq lines first(g)..last(g): 0..E, then E+1..2E, ...
  constexpr std::uint64_t kEvery = 1000;
  constexpr std::uint64_t kRotations = 20;
  constexpr std::uint64_t kLast = kRotations * kEvery + 500;
  const auto generation = [&](std::uint64_t n) { return n == 0 ? 1 : (n - 1) / kEvery + 1; };
  const auto first = [&](std::uint64_t g) { return g == 1 ? 0 : (g - 1) * kEvery + 1; };
  BackgroundWriter writer(app, 1, kLast, kEvery, [&](LogWriter& log, std::uint64_t) {
    log.copy_truncate_to(dir_.file("app.log.1"));
    log.write(banner());
  });
  ASSERT_TRUE(writer.finish()) << "the writer did not finish";
  ASSERT_EQ(writer.error(), "");
  // No stall: a line written after the last truncation comes.
  dir_.append("app.log", "end\n");
  ASSERT_TRUE(wait_for_message(run, "end")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();
  EXPECT_TRUE(is_empty(run.follower->errors()));

  std::vector<JsonlRecord> records = run.records();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().message, "end");
  records.pop_back();
  // How many seq lines of each generation came. The expected output is then, for each
  // generation in order, the banner and the first that-many lines of the generation: each
  // generation read from its beginning once (a truncation noticed late would read the new
  // generation from the old offset: a torn line, or lines skipped), only its last lines
  // possibly lost to the race.
  std::map<std::uint64_t, std::uint64_t> delivered;
  for (const JsonlRecord& r : records) {
    if (const auto n = seq_of(r.message)) ++delivered[generation(*n)];
  }
  std::vector<std::string> expected;
  for (const auto& [g, count] : delivered) {
    expected = concat(expected, banner_lines());
    for (std::uint64_t i = 0; i < count; ++i) expected.push_back(seq_line(first(g) + i));
  }
  const std::vector<std::string> got = messages_of(records);
  ASSERT_EQ(got.size(), expected.size()) << "some line came twice, torn, or out of place";
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], expected[i]) << "record " << i << " of " << got.size();
  }
  // Every line written after the last truncation came, from the live file from offset 0.
  const std::uint64_t last_generation = kRotations + 1;
  EXPECT_EQ(delivered[last_generation], kLast - first(last_generation) + 1);
  const std::size_t tail = banner_lines().size() + delivered[last_generation];
  const auto live = slice(records, records.size() - tail);
  ASSERT_FALSE(live.empty());
  EXPECT_EQ(live.front().offset, 0u);
  expect_offsets_in(live, app);
  // At least the first generation and the last one.
  EXPECT_GE(delivered.size(), 2u);
}

// The command frozen (SIGSTOP) while the file is copied, truncated and written past the old
// offset with the same first KiBs: neither the size nor the fingerprint shows the change when
// it looks again, only the bytes before its read offset do.
TEST_F(CopytruncateTest, RegrowthPastTheOffsetBeforeTheCommandLooksWithIdenticalFirstKiBs) {
  const std::string app = path("app.log");
  dir_.write("app.log", banner() + numbered_lines("a", 1, 30));
  Run run = start({"--from", "beginning", "--poll-interval", "100ms", app});
  ASSERT_TRUE(wait_for_message(run, "a-30")) << run.stderr_text();

  for (int round = 1; round <= 3; ++round) {
    const std::string prefix = "r" + std::to_string(round);
    ASSERT_TRUE(run.process.send(SIGSTOP));
    {
      LogWriter log(dir_.file("app.log"));
      log.copy_truncate_to(dir_.file("app.log.1"));
      // Longer than what was read, lines of other lengths than before.
      log.write(banner() + numbered_lines(prefix + "-line", 1, 60 * round));
    }
    ASSERT_TRUE(run.process.send(SIGCONT));
    const std::string last = prefix + "-line-" + std::to_string(60 * round);
    ASSERT_TRUE(wait_for_message(run, last)) << run.stderr_text();
  }
  dir_.append("app.log", "end\n");
  ASSERT_TRUE(wait_for_message(run, "end")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  std::vector<std::string> expected = concat(banner_lines(), numbered_messages("a", 1, 30));
  for (int round = 1; round <= 3; ++round) {
    expected = concat(expected, banner_lines());
    expected = concat(expected,
                      numbered_messages("r" + std::to_string(round) + "-line", 1, 60 * round));
  }
  expected.push_back("end");
  const auto& records = run.records();
  EXPECT_EQ(messages_of(records), expected);
  // The last round from byte 0 of the live file.
  const std::size_t tail = banner_lines().size() + 180 + 1;
  ASSERT_GE(records.size(), tail);
  const auto live = slice(records, records.size() - tail);
  EXPECT_EQ(live.front().offset, 0u);
  expect_offsets_in(live, app);
}

// Stopped with --state; lines written, then copy, truncate and regrowth past the old offset,
// then a restart: the lines written after the checkpoint are found in the copy, and the live
// file is read from byte 0.
TEST_F(CopytruncateTest, RegrowthPastTheOffsetWhileStoppedRecoversTheCopy) {
  const std::string app = path("app.log");
  const std::string state = path("state");
  dir_.write("app.log", numbered_lines("a", 1, 20));
  const Finished first = run_to_exit({"--once", "--state", state, "--from", "beginning", app});
  ASSERT_TRUE(first.status.exited_with(0)) << first.status.describe() << ": " << first.stderr_text;
  ASSERT_EQ(messages_of(first.output.records), numbered_messages("a", 1, 20));

  {
    LogWriter log(dir_.file("app.log"));
    log.write(numbered_lines("a", 21, 25));  // after the checkpoint, before the truncation
    log.copy_truncate_to(dir_.file("app.log.1"));
    log.write(numbered_lines("n", 1, 200));  // far past the old offset
  }
  const Finished second = run_to_exit({"--once", "--state", state, app});
  EXPECT_TRUE(second.status.exited_with(0)) << second.status.describe() << ": "
                                            << second.stderr_text;
  EXPECT_TRUE(is_empty(second.output.errors));
  const auto& records = second.output.records;
  EXPECT_EQ(messages_of(records),
            concat(numbered_messages("a", 21, 25), numbered_messages("n", 1, 200)));
  ASSERT_EQ(records.size(), 205u);
  for (const JsonlRecord& r : records) EXPECT_EQ(r.source, app);
  EXPECT_EQ(records[0].offset, numbered_lines("a", 1, 20).size());
  expect_offsets_in(slice(records, 0, 5), path("app.log.1"));
  EXPECT_EQ(records[5].offset, 0u);
  expect_offsets_in(slice(records, 5), app);

  // Nothing comes twice on the next run.
  const Finished third = run_to_exit({"--once", "--state", state, app});
  EXPECT_TRUE(third.status.exited_with(0)) << third.status.describe() << ": " << third.stderr_text;
  EXPECT_EQ(third.stdout_text, "");
}

// Stopped with --state, a file whose first KiBs are identical to the new file's is cut below
// the old offset: the size tells, the copy holds the unread lines, the live file is new.
TEST_F(CopytruncateTest, ShrunkWhileStoppedWithIdenticalFirstKiBs) {
  const std::string app = path("app.log");
  const std::string state = path("state");
  dir_.write("app.log", banner() + numbered_lines("a", 1, 40));
  const Finished first = run_to_exit({"--once", "--state", state, "--from", "beginning", app});
  ASSERT_TRUE(first.status.exited_with(0)) << first.status.describe() << ": " << first.stderr_text;
  ASSERT_EQ(first.output.records.size(), banner_lines().size() + 40);

  {
    LogWriter log(dir_.file("app.log"));
    log.write(numbered_lines("a", 41, 43));
    log.copy_truncate_to(dir_.file("app.log.1"));
    log.write(banner() + numbered_lines("n", 1, 5));  // shorter than the old offset
  }
  const Finished second = run_to_exit({"--once", "--state", state, app});
  EXPECT_TRUE(second.status.exited_with(0)) << second.status.describe() << ": "
                                            << second.stderr_text;
  EXPECT_TRUE(is_empty(second.output.errors));
  const auto& records = second.output.records;
  EXPECT_EQ(messages_of(records), concat(concat(numbered_messages("a", 41, 43), banner_lines()),
                                         numbered_messages("n", 1, 5)));
  ASSERT_EQ(records.size(), 3 + banner_lines().size() + 5);
  expect_offsets_in(slice(records, 0, 3), path("app.log.1"));
  EXPECT_EQ(records[3].offset, 0u);
  expect_offsets_in(slice(records, 3), app);
}

}  // namespace
}  // namespace logtail::test
