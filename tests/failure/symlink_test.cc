// Failure mode 8 of issue 6, symlinks: a watched link retargeted, left dangling, removed and
// recreated; a chain of links to a file that rotates. The new target is followed from its
// first byte, and what was read of the old one is never delivered again.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

class SymlinkTest : public CommandTest {
 protected:
  // Points the link `link` at `target` in one step (a new link renamed over the old one), as
  // `ln -sfn` does.
  void retarget(std::string_view link, const std::string& target) {
    const auto tmp = dir_.file(std::string(link) + ".new");
    std::filesystem::create_symlink(target, tmp);
    std::filesystem::rename(tmp, dir_.file(link));
  }

  // Waits until the run has reported `n` rotations of the watched path.
  void wait_for_rotations(Run& run, std::size_t n) {
    ASSERT_TRUE(wait_until([&] { return count_diagnostics(run.stderr_text(), "rotation") >= n; },
                           60s, 20ms))
        << "rotation " << n << " was not noticed; stderr: " << run.stderr_text();
  }

  // Waits until the run has reported `n` rotations and opened the file after the last one
  // (one more than the rotations). A rotation seen between the rename and the new file's
  // creation ("moved or deleted") opens the new file only at a later look.
  void wait_for_rotations_and_opens(Run& run, std::size_t n) {
    const auto done = [&] {
      const std::string err = run.stderr_text();
      return count_diagnostics(err, "rotation") >= n && count_diagnostics(err, "file_opened") > n;
    };
    ASSERT_TRUE(wait_until(done, 60s, 20ms))
        << "rotation " << n << " and the new file were not noticed; stderr: "
        << run.stderr_text();
  }
};

TEST_F(SymlinkTest, RetargetedDanglingAndRecreatedLinkFollowsEachNewTarget) {
  dir_.write("targets/a.log", numbered_lines("a", 1, 5));
  dir_.write("targets/b.log", numbered_lines("b", 1, 4));
  dir_.write("targets/d.log", numbered_lines("d", 1, 2));
  std::filesystem::create_directories(dir_.file("logs"));
  std::filesystem::create_symlink("../targets/a.log", dir_.file("logs/current.log"));
  const std::string link = path("logs/current.log");
  // The targets' directory is not watched (only the link's is): the poll sees their changes.
  Run run = start({"--from", "beginning", "--poll-interval", "100ms", link});
  ASSERT_TRUE(wait_for_message(run, "a-5")) << run.stderr_text();
  dir_.append("targets/a.log", numbered_lines("a", 6, 8));
  ASSERT_TRUE(wait_for_message(run, "a-8")) << run.stderr_text();

  // Retargeted to an existing file: read from its beginning.
  retarget("logs/current.log", "../targets/b.log");
  ASSERT_TRUE(wait_for_message(run, "b-4")) << run.stderr_text();
  // Dangling: the target does not exist yet; it is read from its beginning once it does.
  retarget("logs/current.log", "../targets/c.log");
  wait_for_rotations(run, 2);
  if (HasFatalFailure()) return;
  dir_.write("targets/c.log", numbered_lines("c", 1, 3));
  ASSERT_TRUE(wait_for_message(run, "c-3")) << run.stderr_text();
  // Removed, then recreated pointing at a file that already has lines.
  std::filesystem::remove(dir_.file("logs/current.log"));
  wait_for_rotations(run, 3);
  if (HasFatalFailure()) return;
  std::filesystem::create_symlink("../targets/d.log", dir_.file("logs/current.log"));
  ASSERT_TRUE(wait_for_message(run, "d-2")) << run.stderr_text();
  dir_.append("targets/d.log", "d-3\n");
  ASSERT_TRUE(wait_for_message(run, "d-3")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  const auto& records = run.records();
  EXPECT_EQ(messages_of(records),
            concat(concat(numbered_messages("a", 1, 8), numbered_messages("b", 1, 4)),
                   concat(numbered_messages("c", 1, 3), numbered_messages("d", 1, 3))));
  ASSERT_EQ(records.size(), 18u);
  for (const JsonlRecord& r : records) EXPECT_EQ(r.source, link);
  // Each target from its first byte; offsets count bytes in the target.
  EXPECT_EQ(records[8].offset, 0u);
  EXPECT_EQ(records[12].offset, 0u);
  EXPECT_EQ(records[15].offset, 0u);
  expect_offsets_in(slice(records, 0, 8), path("targets/a.log"));
  expect_offsets_in(slice(records, 8, 4), path("targets/b.log"));
  expect_offsets_in(slice(records, 12, 3), path("targets/c.log"));
  expect_offsets_in(slice(records, 15, 3), path("targets/d.log"));
  expect_line_events(records);
}

// Pointed back at the old target while that is still open (drained for the rotation grace,
// 5 s): the old target goes on from where it was, it is not read a second time from byte 0.
TEST_F(SymlinkTest, PointedBackAtTheOldTargetGoesOnWhereItWas) {
  dir_.write("targets/a.log", numbered_lines("a", 1, 3));
  dir_.write("targets/b.log", numbered_lines("b", 1, 2));
  std::filesystem::create_directories(dir_.file("logs"));
  std::filesystem::create_symlink("../targets/a.log", dir_.file("logs/current.log"));
  const std::string link = path("logs/current.log");
  Run run = start({"--from", "beginning", "--poll-interval", "100ms", link});
  ASSERT_TRUE(wait_for_message(run, "a-3")) << run.stderr_text();
  retarget("logs/current.log", "../targets/b.log");
  ASSERT_TRUE(wait_for_message(run, "b-2")) << run.stderr_text();
  if (count_diagnostics(run.stderr_text(), "rotated_drained") > 0) {
    GTEST_SKIP() << "the old target was closed (its 5 s grace ran out) before the link could "
                    "be pointed back at it; this machine is too slow for the case";
  }
  retarget("logs/current.log", "../targets/a.log");
  wait_for_rotations(run, 2);
  if (HasFatalFailure()) return;
  dir_.append("targets/a.log", "a-4\n");
  ASSERT_TRUE(wait_for_message(run, "a-4")) << run.stderr_text();
  // Once a-5 has come, a second reading of a.log would have delivered its lines again too.
  dir_.append("targets/a.log", "a-5\n");
  ASSERT_TRUE(wait_for_message(run, "a-5")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  const auto& records = run.records();
  EXPECT_EQ(messages_of(records), concat(concat(numbered_messages("a", 1, 3),
                                                numbered_messages("b", 1, 2)),
                                         numbered_messages("a", 4, 5)));
  ASSERT_EQ(records.size(), 7u);
  expect_offsets_in(concat_records(slice(records, 0, 3), slice(records, 5)),
                    path("targets/a.log"));
  expect_offsets_in(slice(records, 3, 2), path("targets/b.log"));
}

TEST_F(SymlinkTest, ChainOfLinksToARotatingFile) {
  dir_.write("targets/app.log", "");
  std::filesystem::create_directories(dir_.file("links"));
  std::filesystem::create_directories(dir_.file("logs"));
  std::filesystem::create_symlink("../targets/app.log", dir_.file("links/mid.log"));
  std::filesystem::create_symlink("../links/mid.log", dir_.file("logs/app.log"));
  const std::string link = path("logs/app.log");
  Run run = start({"--from", "beginning", "--poll-interval", "100ms", link});

  // Rounds of: lines, a rename-and-create rotation of the target, lines written at once to
  // the new file. The next round waits until the rotation was noticed and the new file
  // opened, so each file is known to the command (the target's directory is not watched: a
  // file rotated in and out between two polls would never be seen through the link).
  constexpr int kRounds = 5;
  constexpr std::uint64_t kPerHalf = 300;
  std::uint64_t n = 0;
  {
    LogWriter log(dir_.file("targets/app.log"));
    // A rotation before the command has opened the file could not be known to it.
    log.line(seq_line(n++));
    ASSERT_TRUE(wait_for_message(run, seq_line(0))) << run.stderr_text();
    for (int round = 1; round <= kRounds; ++round) {
      for (std::uint64_t i = 0; i < kPerHalf; ++i) log.line(seq_line(n++));
      log.rotate_to(dir_.file("targets/app.log." + std::to_string(round)));
      for (std::uint64_t i = 0; i < kPerHalf; ++i) log.line(seq_line(n++));
      wait_for_rotations_and_opens(run, static_cast<std::size_t>(round));
      if (HasFatalFailure()) return;
    }
  }
  ASSERT_TRUE(wait_for_message(run, seq_line(n - 1))) << run.stderr_text();
  // The middle link retargeted: the chain now leads to another file, read from its beginning.
  dir_.write("targets/other.log", numbered_lines("o", 1, 3));
  retarget("links/mid.log", "../targets/other.log");
  ASSERT_TRUE(wait_for_message(run, "o-3")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  std::vector<JsonlRecord> records = run.records();
  for (const JsonlRecord& r : records) EXPECT_EQ(r.source, link);
  ASSERT_GE(records.size(), 3u);
  const auto others = slice(records, records.size() - 3);
  EXPECT_EQ(messages_of(others), numbered_messages("o", 1, 3));
  EXPECT_EQ(others.front().offset, 0u);
  expect_offsets_in(others, path("targets/other.log"));
  records.resize(records.size() - 3);
  const SeqReport report = check_seqs(records, 0, n - 1);
  EXPECT_TRUE(report.exactly_once_in_order()) << report.summary();
  // Round r's first half went to app.log.r together with round r-1's second half (round 1's
  // after seq 0); the last round's second half is in app.log.
  ASSERT_EQ(records.size(), n);
  for (int round = 1; round <= kRounds + 1; ++round) {
    const std::uint64_t from = round == 1 ? 0 : (2 * round - 3) * kPerHalf + 1;
    const std::uint64_t to = round == kRounds + 1 ? n : (2 * round - 1) * kPerHalf + 1;
    const auto part = slice(records, from, to - from);
    const std::string file = round == kRounds + 1
                                 ? path("targets/app.log")
                                 : path("targets/app.log." + std::to_string(round));
    ASSERT_FALSE(part.empty());
    EXPECT_EQ(part.front().offset, 0u) << file;
    expect_offsets_in(part, file);
  }
}

}  // namespace
}  // namespace logtail::test
