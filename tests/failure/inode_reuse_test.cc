// Failure mode 1 of issue 6, inode reuse: a file read to its end is deleted and a new file
// gets the same inode, while the command runs and while it is stopped between two runs with
// --state, the new file shorter and longer than the old offset. The new file must be read
// from byte 0 every time, never from the old file's offset.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

// Every file starts with the same header line, so the old and the new file look alike: only
// what follows the header tells them apart.
const std::string kHeader = "# service=checkout build=2026.11.22 host=web-01 pid=4242\n";

struct Case {
  const char* name;
  int new_lines;  // lines of the new file after the header
};

// 50 old lines; the new file has fewer bytes than were read (3 lines) or more (400 lines).
constexpr int kOldLines = 50;
const Case kCases[] = {{"Shorter", 3}, {"Longer", 400}};

class InodeReuseTest : public CommandTest, public ::testing::WithParamInterface<Case> {
 protected:
  std::string old_content() const { return kHeader + numbered_lines("old", 1, kOldLines); }
  std::string new_content() const {
    return kHeader + numbered_lines("new", 1, GetParam().new_lines);
  }
  std::vector<std::string> header_and(const std::string& prefix, int last) const {
    return concat({kHeader.substr(0, kHeader.size() - 1)}, numbered_messages(prefix, 1, last));
  }

  // Makes a new app.log holding `content` on the inode `inode` (the deleted old app.log's):
  // the file is written under another name in the same directory, and renamed to app.log
  // only once it has that inode, so the command never sees a file with another one. False
  // when the file system did not hand the inode out again within a few tries.
  bool recreate_on_inode(std::uint64_t inode, const std::string& content) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      dir_.write("candidate.tmp", content);
      if (inode_of(dir_.file("candidate.tmp")) == inode) {
        std::filesystem::rename(dir_.file("candidate.tmp"), dir_.file("app.log"));
        return true;
      }
      std::filesystem::remove(dir_.file("candidate.tmp"));
    }
    return false;
  }
};

// The deleted file stays open in the command for the rotation grace (5 s), and ext4 does not
// always hand out an inode that was held that long at once; so the delete and recreate is
// done up to three times, each new file becoming the next one deleted, until one new file
// got its predecessor's inode. Each cycle's file is shorter (or longer) than the one before.
TEST_P(InodeReuseTest, WhileRunningTheNewFileIsReadFromByteZero) {
  const std::string app = path("app.log");
  dir_.write("app.log", old_content());
  Run run = start({"--from", "beginning", "--poll-interval", "100ms", app});
  ASSERT_TRUE(wait_for_message(run, "old-" + std::to_string(kOldLines))) << run.stderr_text();

  const std::vector<int> cycle_lines = GetParam().new_lines < kOldLines
                                           ? std::vector<int>{20, 8, GetParam().new_lines}
                                           : std::vector<int>{120, 250, GetParam().new_lines};
  std::vector<std::string> expected = header_and("old", kOldLines);
  std::vector<std::size_t> cycle_start;  // index of each cycle's first record
  int reused_in = 0;                     // the cycle whose file got the old inode
  for (std::size_t c = 0; c < cycle_lines.size() && reused_in == 0; ++c) {
    const auto old_inode = inode_of(app);
    ASSERT_TRUE(old_inode);
    std::filesystem::remove(app);
    // The inode is not free until the command has closed the deleted file.
    const auto closed = [&] {
      return count_diagnostics(run.stderr_text(), "rotated_drained") > c;
    };
    ASSERT_TRUE(wait_until(closed, 60s, 20ms))
        << "the deleted file was never closed; stderr: " << run.stderr_text();
    const std::string prefix = "new" + std::to_string(c + 1);
    const std::string content = kHeader + numbered_lines(prefix, 1, cycle_lines[c]);
    if (recreate_on_inode(*old_inode, content)) {
      reused_in = static_cast<int>(c + 1);
    } else {
      dir_.write("candidate.tmp", content);
      std::filesystem::rename(dir_.file("candidate.tmp"), app);
    }
    // Kept for checking the offsets once the file is gone; written only now, so that it
    // cannot take the freed inode itself.
    dir_.write("cycle-" + std::to_string(c + 1) + ".copy", content);
    ASSERT_TRUE(wait_for_message(run, prefix + "-" + std::to_string(cycle_lines[c])))
        << run.stderr_text();
    cycle_start.push_back(expected.size());
    expected = concat(expected, header_and(prefix, cycle_lines[c]));
  }
  // The last file goes on growing and is followed from where it was read.
  dir_.append("app.log", "after-1\n");
  ASSERT_TRUE(wait_for_message(run, "after-1")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  const auto& records = run.records();
  expected.push_back("after-1");
  EXPECT_EQ(messages_of(records), expected);
  ASSERT_EQ(records.size(), expected.size());
  for (const JsonlRecord& r : records) EXPECT_EQ(r.source, app);
  for (std::size_t c = 0; c < cycle_start.size(); ++c) {
    const std::size_t from = cycle_start[c];
    const std::size_t to = c + 1 < cycle_start.size() ? cycle_start[c + 1] : records.size() - 1;
    EXPECT_EQ(records[from].offset, 0u) << "file " << c + 1 << " was not read from byte 0";
    expect_offsets_in(slice(records, from, to - from),
                      dir_.file("cycle-" + std::to_string(c + 1) + ".copy"));
  }
  expect_offsets_in(slice(records, records.size() - 1), app);
  expect_line_events(records);
  if (reused_in == 0) {
    GTEST_SKIP() << "the file system did not reuse a freed inode for the next file in the "
                    "same directory in "
                 << cycle_lines.size()
                 << " tries; each new file was read from byte 0, but inode reuse itself "
                    "could not be made here";
  }
}

TEST_P(InodeReuseTest, WhileStoppedTheNewFileIsReadFromByteZero) {
  const std::string app = path("app.log");
  const std::string state = path("state");
  dir_.write("app.log", old_content());
  const auto old_inode = inode_of(app);
  ASSERT_TRUE(old_inode);
  const Finished first = run_to_exit({"--once", "--state", state, "--from", "beginning", app});
  ASSERT_TRUE(first.status.exited_with(0)) << first.status.describe() << ": " << first.stderr_text;
  ASSERT_EQ(messages_of(first.output.records), header_and("old", kOldLines));

  std::filesystem::remove(app);
  if (!recreate_on_inode(*old_inode, new_content())) {
    GTEST_SKIP() << "the file system did not reuse the freed inode " << *old_inode
                 << " for a new file in the same directory; the inode-reuse case cannot be "
                    "made here";
  }
  const Finished second = run_to_exit({"--once", "--state", state, app});
  EXPECT_TRUE(second.status.exited_with(0)) << second.status.describe() << ": "
                                            << second.stderr_text;
  EXPECT_TRUE(is_empty(second.output.errors));
  // The old file's entry matches nothing: said so, never skipped silently.
  EXPECT_TRUE(has_substr(second.stderr_text, "missed_rotation"));
  EXPECT_EQ(messages_of(second.output.records), header_and("new", GetParam().new_lines));
  ASSERT_FALSE(second.output.records.empty());
  EXPECT_EQ(second.output.records[0].offset, 0u) << "the new file was not read from byte 0";
  for (const JsonlRecord& r : second.output.records) EXPECT_EQ(r.source, app);
  expect_offsets_in(second.output.records, app);

  // The new file's offset is checkpointed: lines appended while stopped come next, once.
  dir_.append("app.log", "after-1\n");
  const Finished third = run_to_exit({"--once", "--state", state, app});
  EXPECT_TRUE(third.status.exited_with(0)) << third.status.describe() << ": " << third.stderr_text;
  EXPECT_EQ(messages_of(third.output.records), std::vector<std::string>{"after-1"});
  expect_offsets_in(third.output.records, app);
}

INSTANTIATE_TEST_SUITE_P(NewFile, InodeReuseTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace logtail::test
