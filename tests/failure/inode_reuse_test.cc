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

TEST_P(InodeReuseTest, WhileRunningTheNewFileIsReadFromByteZero) {
  const std::string app = path("app.log");
  dir_.write("app.log", old_content());
  const auto old_inode = inode_of(app);
  ASSERT_TRUE(old_inode);
  Run run = start({"--from", "beginning", "--poll-interval", "100ms", app});
  ASSERT_TRUE(wait_for_message(run, "old-" + std::to_string(kOldLines))) << run.stderr_text();

  std::filesystem::remove(app);
  // The command holds the deleted file open (it drains late writes for the rotation grace,
  // 5 s), so its inode is not free until the command has closed it.
  const auto closed = [&] { return count_diagnostics(run.stderr_text(), "rotated_drained") > 0; };
  ASSERT_TRUE(wait_until(closed, 60s, 50ms))
      << "the deleted file was never closed; stderr: " << run.stderr_text();
  if (!recreate_on_inode(*old_inode, new_content())) {
    GTEST_SKIP() << "the file system did not reuse the freed inode " << *old_inode
                 << " for a new file in the same directory; the inode-reuse case cannot be "
                    "made here";
  }
  const std::string last_new = "new-" + std::to_string(GetParam().new_lines);
  ASSERT_TRUE(wait_for_message(run, last_new)) << run.stderr_text();
  // The new file goes on growing and is followed from where it was read.
  dir_.append("app.log", "after-1\n");
  ASSERT_TRUE(wait_for_message(run, "after-1")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  const auto& records = run.records();
  const std::size_t old_count = kOldLines + 1;
  EXPECT_EQ(messages_of(records),
            concat(concat(header_and("old", kOldLines), header_and("new", GetParam().new_lines)),
                   {"after-1"}));
  ASSERT_GT(records.size(), old_count);
  for (const JsonlRecord& r : records) EXPECT_EQ(r.source, app);
  EXPECT_EQ(records[old_count].offset, 0u) << "the new file was not read from byte 0";
  expect_offsets_in(slice(records, old_count), app);
  expect_line_events(records);
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
