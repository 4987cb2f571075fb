// The file identity checks the engine makes before it trusts that a file is one it knows,
// on real files: a file rewritten in place, a file replaced under its name, an empty one.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "engine/file_ops.h"
#include "support/temp_dir.h"

namespace logtail::detail {
namespace {

// The identity of the file at `path` as the engine takes it when it opens the file.
FileIdentity identity_of(const std::filesystem::path& path) {
  auto fd = open_for_read(path.string());
  EXPECT_TRUE(fd.ok()) << fd.status().message();
  auto info = stat_fd(*fd, path.string());
  EXPECT_TRUE(info.ok());
  auto id = identify(*fd, *info, path.string());
  close_fd(*fd);
  EXPECT_TRUE(id.ok());
  return *id;
}

// same_start() on a fresh descriptor of `path`.
bool starts_as(const std::filesystem::path& path, const FileIdentity& id) {
  auto fd = open_for_read(path.string());
  EXPECT_TRUE(fd.ok());
  const bool same = same_start(*fd, id);
  close_fd(*fd);
  return same;
}

TEST(FileOpsTest, JoinPathKeepsRelativePathsAndAddsOneSlash) {
  EXPECT_EQ(join_path(".", "app.log"), "app.log");
  EXPECT_EQ(join_path("logs", "app.log.1"), "logs/app.log.1");
  EXPECT_EQ(join_path("/var/log", "app.log"), "/var/log/app.log");
  EXPECT_EQ(join_path("/", "app.log"), "/app.log");
  EXPECT_EQ(join_path("logs/", "app.log"), "logs/app.log");
}

TEST(FileOpsTest, SameStartTellsAFileRewrittenInPlaceFromTheSameFileGrown) {
  test::TempDir dir;
  dir.write("app.log", "first line\n");
  const FileIdentity id = identity_of(dir.file("app.log"));
  dir.append("app.log", "second line\n");
  EXPECT_TRUE(starts_as(dir.file("app.log"), id)) << "grown, its first bytes unchanged";
  dir.write("app.log", "other line\nsecond line\n");  // cut and rewritten: same inode
  auto info = stat_path(dir.file("app.log").string());
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(same_inode(id, *info));
  EXPECT_FALSE(starts_as(dir.file("app.log"), id));
  dir.write("app.log", "first");  // shorter than what was fingerprinted
  EXPECT_FALSE(starts_as(dir.file("app.log"), id));
}

TEST(FileOpsTest, AFileOpenedEmptyHasNoStartToCompare) {
  test::TempDir dir;
  dir.write("app.log", "");
  const FileIdentity id = identity_of(dir.file("app.log"));
  EXPECT_EQ(id.fingerprint_size, 0u);
  dir.write("app.log", "anything\n");
  EXPECT_TRUE(starts_as(dir.file("app.log"), id));
}

TEST(FileOpsTest, SameInodeFailsForAFileReplacedUnderItsName) {
  test::TempDir dir;
  dir.write("app.log", "old\n");
  const FileIdentity id = identity_of(dir.file("app.log"));
  dir.write("app.log.new", "new\n");
  std::filesystem::rename(dir.file("app.log.new"), dir.file("app.log"));
  auto info = stat_path(dir.file("app.log").string());
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(same_inode(id, *info));
}

}  // namespace
}  // namespace logtail::detail
