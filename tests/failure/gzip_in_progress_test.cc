// Failure mode 10, second part: a `.gz` rotated sibling still being written when logtail
// starts. logtail read app.log up to a checkpoint and stopped; meanwhile app.log was rotated
// to app.log.1, more lines were written to it, and a compressor began writing app.log.1.gz.
// The test writes the gzip stream with zlib in two pieces (the first flushed so that it
// decodes, the trailer only with the second) and runs the real `logtail` command.
//
// - Only the .gz holds the unread lines (app.log.1 already removed): it is not read until its
//   stream is whole, then read once from the checkpointed offset, before the new app.log.
// - app.log.1 is still there beside the growing .gz (gzip removes it only when done): the
//   lines come from app.log.1 at once, and the .gz, the same lines, is never read.
#include <zlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

// Lines "old-N" padded to 80 bytes, so 100 of them (8 KB) are well past the 4 KiB
// fingerprint.
std::string old_lines(int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) {
    std::string line = "old-" + std::to_string(i) + " ";
    line.resize(79, '.');
    out += line + "\n";
  }
  return out;
}

std::vector<std::string> old_messages(int first, int last) {
  std::vector<std::string> out;
  for (int i = first; i <= last; ++i) {
    std::string line = "old-" + std::to_string(i) + " ";
    line.resize(79, '.');
    out.push_back(line);
  }
  return out;
}

// A gzip stream written in two pieces: open() writes the first part of `content` and flushes
// it so that it decodes, finish() writes the rest and the trailer.
class GzipWriter {
 public:
  GzipWriter(const std::filesystem::path& path, std::string content)
      : file_(gzopen(path.c_str(), "wb")), content_(std::move(content)) {
    if (file_ == nullptr) throw std::runtime_error("cannot create " + path.string());
  }
  ~GzipWriter() {
    if (file_ != nullptr) gzclose(file_);
  }
  void write_first(std::size_t bytes) {
    write(content_.substr(0, bytes));
    if (gzflush(file_, Z_SYNC_FLUSH) != Z_OK) throw std::runtime_error("gzflush failed");
    written_ = bytes;
  }
  void finish() {
    write(content_.substr(written_));
    if (gzclose(file_) != Z_OK) throw std::runtime_error("gzclose failed");
    file_ = nullptr;
  }

 private:
  void write(std::string_view bytes) {
    if (gzwrite(file_, bytes.data(), static_cast<unsigned>(bytes.size())) !=
        static_cast<int>(bytes.size()))
      throw std::runtime_error("gzwrite failed");
  }
  gzFile file_;
  std::string content_;
  std::size_t written_ = 0;
};

class GzipInProgressTest : public CommandTest {
 protected:
  std::vector<std::string> follow_args() {
    return {"--state", path("state"), "--poll-interval", "100ms", path("app.log")};
  }

  // old-0 ... old-99 read and checkpointed; old-100 ... old-199 written after logtail
  // stopped; app.log then rotated to app.log.1 and a new app.log holds "new-0" ... "new-9".
  void checkpoint_then_rotate_while_stopped() {
    dir_.write("app.log", old_lines(0, 99));
    const Finished first =
        run_to_exit({"--once", "--state", path("state"), "--from", "beginning", path("app.log")});
    ASSERT_TRUE(first.status.exited_with(0)) << first.stderr_text;
    ASSERT_EQ(first.output.records.size(), 100u);
    dir_.append("app.log", old_lines(100, 199));
    std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
    dir_.write("app.log", numbered_lines("new", 0, 9));
  }

  std::vector<std::string> expected() const {
    return concat(old_messages(100, 199), numbered_messages("new", 0, 9));
  }
};

TEST_F(GzipInProgressTest, AGzipStillBeingWrittenIsReadOnlyOnceWhole) {
  checkpoint_then_rotate_while_stopped();
  GzipWriter gz(dir_.file("app.log.1.gz"), dir_.read("app.log.1"));
  gz.write_first(12000);  // past the checkpoint (8000) and the fingerprint; not the end
  std::filesystem::remove(dir_.file("app.log.1"));

  Run run = start(follow_args());
  ASSERT_TRUE(wait_until([&] {
    return has_substr(run.stderr_text(), "app.log.1.gz is still being written");
  }, 30s)) << run.stderr_text();
  // Waiting for it holds the new app.log back too: lines come in the order written.
  EXPECT_TRUE(run.records().empty()) << run.records().front().message;
  EXPECT_EQ(count_diagnostics(run.stderr_text(), "io_error"), 0u) << run.stderr_text();

  gz.finish();
  ASSERT_TRUE(wait_for_message(run, "new-9")) << run.stderr_text();
  // Nothing more comes from it: a line appended now is the next record.
  dir_.append("app.log", "new-10\n");
  ASSERT_TRUE(wait_for_message(run, "new-10")) << run.stderr_text();
  EXPECT_EQ(messages_of(run.records()), concat(expected(), {"new-10"}));
  EXPECT_EQ(count_diagnostics(run.stderr_text(), "missed_rotation"), 0u) << run.stderr_text();
  EXPECT_EQ(count_diagnostics(run.stderr_text(), "io_error"), 0u) << run.stderr_text();
  EXPECT_TRUE(stop(run).exited_with(0));
}

TEST_F(GzipInProgressTest, AGzipBesideItsUncompressedFileIsNotReadAtAll) {
  checkpoint_then_rotate_while_stopped();
  GzipWriter gz(dir_.file("app.log.1.gz"), dir_.read("app.log.1"));
  gz.write_first(12000);

  Run run = start(follow_args());
  ASSERT_TRUE(wait_for_message(run, "new-9")) << run.stderr_text();
  // The compressor finishes and removes app.log.1, as gzip does.
  gz.finish();
  std::filesystem::remove(dir_.file("app.log.1"));
  dir_.append("app.log", "new-10\n");
  ASSERT_TRUE(wait_for_message(run, "new-10")) << run.stderr_text();
  EXPECT_EQ(messages_of(run.records()), concat(expected(), {"new-10"}));
  EXPECT_FALSE(has_substr(run.stderr_text(), "app.log.1.gz")) << run.stderr_text();
  EXPECT_TRUE(stop(run).exited_with(0));

  // A restart finds the state consistent: nothing comes again.
  dir_.append("app.log", "new-11\n");
  const Finished next = run_to_exit({"--once", "--state", path("state"), path("app.log")});
  EXPECT_TRUE(next.status.exited_with(0)) << next.stderr_text;
  EXPECT_EQ(messages_of(next.output.records), (std::vector<std::string>{"new-11"}));
}

}  // namespace
}  // namespace logtail::test
