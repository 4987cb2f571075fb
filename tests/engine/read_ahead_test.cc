// The read-ahead on its own (src/engine/read_ahead.h), on real files, and the engine's
// catch-up through it: a file read in many small chunks, cut and written again while a read
// ahead of the cut is waiting.
#include "engine/read_ahead.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "engine/engine_fixture.h"
#include "support/wait.h"

namespace logtail::test {
namespace {

using detail::ReadAhead;

class ReadAheadTest : public EngineTest {
 protected:
  int open_file(const std::string& name) {
    const int fd = ::open(path(name).c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    return fd;
  }
  static std::string bytes(ReadAhead& ahead, std::size_t at, std::size_t n) {
    return {ahead.buffer().data() + at, n};
  }
};

TEST_F(ReadAheadTest, TakeReturnsTheBytesAtTheOffsetItWasStartedFor) {
  dir_.write("data", "0123456789abcdefghij");
  const int fd = open_file("data");
  ReadAhead ahead;
  ASSERT_TRUE(ahead.start({7, 1, 5}, fd, 32, 4, 8));
  ::close(fd);  // the read has its own copy of the file
  const auto got = ahead.take({7, 1, 5});
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, 8u);
  EXPECT_EQ(ahead.buffer().size(), 32u);
  EXPECT_EQ(bytes(ahead, 4, 8), "56789abc");
}

TEST_F(ReadAheadTest, AReadForAnotherStreamGenerationOrOffsetIsThrownAway) {
  dir_.write("data", std::string(100, 'x'));
  const int fd = open_file("data");
  ReadAhead ahead;
  const ReadAhead::Key key{3, 9, 10};
  for (const ReadAhead::Key other : {ReadAhead::Key{4, 9, 10}, ReadAhead::Key{3, 10, 10},
                                     ReadAhead::Key{3, 9, 11}}) {
    ASSERT_TRUE(ahead.start(key, fd, 64, 0, 16));
    EXPECT_FALSE(ahead.take(other));
    // Taken once, the read is gone, even for its own key.
    EXPECT_FALSE(ahead.take(key));
  }
  ::close(fd);
}

TEST_F(ReadAheadTest, EndOfFileAndABadDescriptorGiveNothing) {
  dir_.write("data", "short");
  const int fd = open_file("data");
  ReadAhead ahead;
  ASSERT_TRUE(ahead.start({1, 1, 5}, fd, 16, 0, 8));
  EXPECT_FALSE(ahead.take({1, 1, 5}));  // at the end: nothing to hand over
  ::close(fd);
  EXPECT_FALSE(ahead.start({1, 1, 0}, fd, 16, 0, 8));  // closed: not started
  EXPECT_FALSE(ahead.take({1, 1, 0}));
}

TEST_F(ReadAheadTest, AReadThatWouldNotFitTheBufferIsNotStarted) {
  dir_.write("data", "0123456789");
  const int fd = open_file("data");
  ReadAhead ahead;
  EXPECT_FALSE(ahead.start({1, 1, 0}, fd, 8, 4, 8));
  ::close(fd);
}

std::string numbered(const std::string& prefix, int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += prefix + "-" + std::to_string(i) + " some padding\n";
  return out;
}

// 20,000 lines read 4 KiB at a time: each chunk after the second of a run of reads is read
// ahead. Every line comes once, in order.
TEST_F(ReadAheadTest, CatchUpInSmallChunksDeliversEveryLineOnceInOrder) {
  dir_.write("app.log", numbered("line", 1, 20000));
  auto rec = std::make_shared<Recorder>();
  EngineOptions o = beginning();
  o.read_chunk_bytes = 4096;
  o.max_line_bytes = 1024;
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->drain().ok());
  const auto seen = rec->seen();
  ASSERT_EQ(seen.size(), 20000u);
  std::uint64_t offset = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string expected = "line-" + std::to_string(i + 1) + " some padding";
    ASSERT_EQ(seen[i].message, expected) << "at line " << i + 1;
    ASSERT_EQ(seen[i].offset, offset);
    offset += expected.size() + 1;
  }
}

// Reading stops at the in-flight bound while the sink holds its acknowledgements, with the
// next chunk possibly read ahead. The file is then cut and written again, past the old
// offset, with other lines: what was read ahead of the cut must never be delivered; the new
// lines come from their first.
TEST_F(ReadAheadTest, BytesReadAheadOfACutAreNeverDelivered) {
  dir_.write("app.log", numbered("old", 1, 20000));
  auto rec = std::make_shared<Recorder>();
  rec->hold(true);
  EngineOptions o = beginning();
  o.read_chunk_bytes = 4096;
  o.max_line_bytes = 1024;
  o.max_inflight_bytes = 64 * 1024;
  auto engine = make(path("app.log"), o, rec);
  ASSERT_TRUE(engine->start().ok());
  ASSERT_TRUE(wait_until([&] { return engine->counters().bytes_read >= 64 * 1024; }));
  const std::size_t before_cut = rec->count();
  ASSERT_LT(before_cut, 20000u);

  dir_.write("app.log", numbered("new", 1, 25000));  // truncates, then writes
  rec->hold(false);
  ASSERT_TRUE(wait_until([&] {
    rec->release();
    const auto messages = rec->messages();
    return !messages.empty() && messages.back() == "new-25000 some padding";
  }));
  ASSERT_TRUE(engine->stop().ok());

  const auto messages = rec->messages();
  std::size_t first_new = 0;
  while (first_new < messages.size() && messages[first_new].rfind("old-", 0) == 0) ++first_new;
  // The old lines are those delivered before the cut, plus at most what was read before the
  // engine saw it; none after the first new line.
  EXPECT_GE(first_new, before_cut);
  for (std::size_t i = 0; i < first_new; ++i)
    ASSERT_EQ(messages[i], "old-" + std::to_string(i + 1) + " some padding");
  ASSERT_EQ(messages.size() - first_new, 25000u);
  for (std::size_t i = first_new; i < messages.size(); ++i)
    ASSERT_EQ(messages[i], "new-" + std::to_string(i - first_new + 1) + " some padding");
  EXPECT_GE(engine->counters().truncations, 1u);
}

}  // namespace
}  // namespace logtail::test
