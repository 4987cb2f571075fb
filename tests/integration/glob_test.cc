// The `logtail` command on globs: many files, files that appear while it runs.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "integration/command_fixture.h"

namespace logtail::test {
namespace {

class GlobTest : public CommandTest {
 protected:
  static std::string file_name(int i) {
    char name[32];
    std::snprintf(name, sizeof name, "logs/f%03d.log", i);
    return name;
  }
  static std::string line(int file, int n) {
    return "f" + std::to_string(file) + "-l" + std::to_string(n);
  }
};

TEST_F(GlobTest, FiveHundredFilesBeforeAndAfterStartAreEachReadOnce) {
  constexpr int kBefore = 250;
  constexpr int kFiles = 500;
  for (int i = 0; i < kBefore; ++i) dir_.write(file_name(i), line(i, 1) + "\n" + line(i, 2) + "\n");
  // Does not match the glob.
  dir_.write("logs/other.txt", "other-1\n");

  Run run = start({"--from", "beginning", path("logs/*.log")});
  ASSERT_TRUE(wait_for_count(run, 2 * kBefore, 60s))
      << run.records().size() << " records; stderr: " << run.stderr_text();
  for (int i = kBefore; i < kFiles; ++i) {
    dir_.write(file_name(i), line(i, 1) + "\n" + line(i, 2) + "\n");
  }
  for (int i = 0; i < kBefore; ++i) dir_.append(file_name(i), line(i, 3) + "\n");
  dir_.append("logs/other.txt", "other-2\n");
  constexpr std::size_t kTotal = 2 * kFiles + kBefore;
  ASSERT_TRUE(wait_for_count(run, kTotal, 60s))
      << run.records().size() << " records; stderr: " << run.stderr_text();
  // Then one more line: anything delivered twice would have come by the time it does.
  dir_.append(file_name(0), line(0, 4) + "\n");
  ASSERT_TRUE(wait_for_message(run, line(0, 4))) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  std::map<std::string, std::vector<std::string>> by_source;
  for (const JsonlRecord& r : run.records()) by_source[r.source].push_back(r.message);
  EXPECT_EQ(run.records().size(), kTotal + 1);
  EXPECT_EQ(by_source.size(), static_cast<std::size_t>(kFiles));
  for (int i = 0; i < kFiles; ++i) {
    std::vector<std::string> expected{line(i, 1), line(i, 2)};
    if (i < kBefore) expected.push_back(line(i, 3));
    if (i == 0) expected.push_back(line(0, 4));
    EXPECT_EQ(by_source[path(file_name(i))], expected) << file_name(i);
  }
  EXPECT_FALSE(by_source.contains(path("logs/other.txt")));
  expect_offsets_match(run.records());
}

TEST_F(GlobTest, FromEndSkipsExistingFilesButReadsNewOnesFromTheirBeginning) {
  dir_.write("logs/a.log", numbered_lines("old", 1, 3));
  Run run = start({path("logs/*.log")});
  const int markers = wait_ready(run, "logs/a.log");
  dir_.write("logs/b.log", numbered_lines("b", 1, 3));
  dir_.append("logs/a.log", "a-new\n");
  ASSERT_TRUE(wait_for_message(run, "b-3")) << run.stderr_text();
  ASSERT_TRUE(wait_for_message(run, "a-new")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  std::map<std::string, std::vector<std::string>> by_source;
  for (const JsonlRecord& r : strip_ready(run.records(), markers)) {
    by_source[r.source].push_back(r.message);
  }
  EXPECT_EQ(by_source[path("logs/a.log")], std::vector<std::string>{"a-new"});
  EXPECT_EQ(by_source[path("logs/b.log")], numbered_messages("b", 1, 3));
  EXPECT_EQ(by_source.size(), 2u);
  expect_offsets_match(run.records());
}

}  // namespace
}  // namespace logtail::test
