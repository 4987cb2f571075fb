#include "gzip_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "support/temp_dir.h"

namespace logtail {
namespace {

// Lines that differ, so that an offset off by one byte shows.
std::string log_text(std::size_t lines) {
  std::string text;
  for (std::size_t i = 0; i < lines; ++i) {
    text += fmt::format("2026-11-22T10:{:02}:{:02}Z request {} took {}ms\n", i / 60 % 60, i % 60,
                        i, i * 7 % 1000);
  }
  return text;
}

class GzipReaderTest : public ::testing::Test {
 protected:
  // Writes `members` as consecutive gzip members of one file, as `cat a.gz b.gz` would.
  std::filesystem::path write_gz(std::string_view name, const std::vector<std::string>& members) {
    const std::filesystem::path path = dir_.file(name);
    for (std::size_t i = 0; i < members.size(); ++i) {
      gzFile out = gzopen(path.c_str(), i == 0 ? "wb" : "ab");
      EXPECT_NE(out, nullptr);
      if (out == nullptr) return path;
      const std::string& data = members[i];
      if (!data.empty()) {
        EXPECT_EQ(gzwrite(out, data.data(), static_cast<unsigned>(data.size())),
                  static_cast<int>(data.size()));
      }
      EXPECT_EQ(gzclose(out), Z_OK);
    }
    return path;
  }

  // Everything from `reader` to its end, in reads of `chunk` bytes.
  static Result<std::string> read_all(GzipReader& reader, std::size_t chunk = 4096) {
    std::string out;
    std::string buffer(chunk, '\0');
    for (;;) {
      auto n = reader.read(buffer.data(), buffer.size());
      if (!n.ok()) return n.status();
      if (*n == 0) return out;
      out.append(buffer, 0, *n);
    }
  }

  static void expect_corrupt(const Status& status, const std::filesystem::path& path,
                             std::string_view says) {
    EXPECT_EQ(status.kind(), StatusKind::corrupt) << status.message();
    EXPECT_NE(status.message().find(path.string()), std::string::npos) << status.message();
    EXPECT_NE(status.message().find(says), std::string::npos) << status.message();
    EXPECT_EQ(status.message().find('\n'), std::string::npos) << status.message();
  }

  test::TempDir dir_;
};

TEST_F(GzipReaderTest, ReadsTheWholeUncompressedContent) {
  const std::string text = log_text(20000);  // about 1 MiB, past every internal buffer
  const auto path = write_gz("app.log.2.gz", {text});
  for (std::size_t chunk : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{7}}) {
    SCOPED_TRACE(chunk);
    auto reader = GzipReader::open(path, 0);
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    auto content = read_all(**reader, chunk);
    ASSERT_TRUE(content.ok()) << content.status().message();
    EXPECT_EQ(*content, text);
    EXPECT_EQ((*reader)->offset(), text.size());
    // The end stays the end.
    char byte;
    auto again = (*reader)->read(&byte, 1);
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(*again, 0u);
  }
}

TEST_F(GzipReaderTest, OpensAtAnUncompressedOffset) {
  const std::string text = log_text(5000);
  const auto path = write_gz("app.log.1.gz", {text});
  for (std::uint64_t offset : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{65536},
                               std::uint64_t{65537}, std::uint64_t{text.size() / 2},
                               std::uint64_t{text.size() - 1}, std::uint64_t{text.size()}}) {
    SCOPED_TRACE(offset);
    auto reader = GzipReader::open(path, offset);
    ASSERT_TRUE(reader.ok()) << reader.status().message();
    EXPECT_EQ((*reader)->offset(), offset);
    auto content = read_all(**reader);
    ASSERT_TRUE(content.ok()) << content.status().message();
    EXPECT_EQ(*content, text.substr(offset));
    EXPECT_EQ((*reader)->offset(), text.size());
  }
}

TEST_F(GzipReaderTest, OffsetPastTheEndIsNotFound) {
  const std::string text = log_text(100);
  const auto path = write_gz("app.log.1.gz", {text});
  auto reader = GzipReader::open(path, text.size() + 1);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().kind(), StatusKind::not_found);
  EXPECT_EQ(reader.status().message(),
            fmt::format("compressed file {} holds {} bytes uncompressed, fewer than the offset "
                        "{} to resume at: it is not the file that was read",
                        path.string(), text.size(), text.size() + 1));
}

TEST_F(GzipReaderTest, ReadsConcatenatedMembersAsOneStream) {
  const std::string first = log_text(300);
  const std::string second = "a second member\n";
  const auto path = write_gz("app.log.3.gz", {first, "", second});
  auto reader = GzipReader::open(path, first.size() - 3);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto content = read_all(**reader);
  ASSERT_TRUE(content.ok()) << content.status().message();
  EXPECT_EQ(*content, first.substr(first.size() - 3) + second);
}

TEST_F(GzipReaderTest, CompressedEmptyContentIsEmpty) {
  const auto path = write_gz("empty.gz", {""});
  auto reader = GzipReader::open(path, 0);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto content = read_all(**reader);
  ASSERT_TRUE(content.ok()) << content.status().message();
  EXPECT_EQ(*content, "");
}

TEST_F(GzipReaderTest, EveryTruncationIsCorruptNotACleanEnd) {
  const std::string text = log_text(40);
  const auto whole = write_gz("whole.gz", {text});
  const std::string compressed = dir_.read("whole.gz");
  ASSERT_GT(compressed.size(), 20u);
  const auto path = dir_.file("app.log.1.gz");
  // From the empty file (compression just started) to one missing the last trailer byte.
  for (std::size_t n = 0; n < compressed.size(); ++n) {
    SCOPED_TRACE(fmt::format("{} of {} bytes", n, compressed.size()));
    dir_.write("app.log.1.gz", std::string_view(compressed).substr(0, n));
    auto reader = GzipReader::open(path, 0);
    if (!reader.ok()) {
      expect_corrupt(reader.status(), path, "");
      continue;
    }
    auto content = read_all(**reader);
    ASSERT_FALSE(content.ok()) << "read " << content->size() << " bytes and a clean end";
    expect_corrupt(content.status(), path, "");
  }
}

TEST_F(GzipReaderTest, TruncatedFileSaysSoAfterTheBytesItHas) {
  const std::string text = log_text(20000);
  write_gz("whole.gz", {text});
  const std::string compressed = dir_.read("whole.gz");
  dir_.write("app.log.1.gz", std::string_view(compressed).substr(0, compressed.size() / 2));
  const auto path = dir_.file("app.log.1.gz");
  auto reader = GzipReader::open(path, 0);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  std::string got;
  std::string buffer(4096, '\0');
  Status error;
  for (;;) {
    auto n = (*reader)->read(buffer.data(), buffer.size());
    if (!n.ok()) {
      error = n.status();
      break;
    }
    ASSERT_NE(*n, 0u) << "a clean end after " << got.size() << " bytes";
    got.append(buffer, 0, *n);
  }
  expect_corrupt(error, path, "ends early (truncated)");
  // What came before the cut is the real content.
  EXPECT_GT(got.size(), 0u);
  EXPECT_EQ(got, text.substr(0, got.size()));
  EXPECT_EQ((*reader)->offset(), got.size());
}

TEST_F(GzipReaderTest, DamagedDataIsCorrupt) {
  const std::string text = log_text(2000);
  write_gz("whole.gz", {text});
  std::string compressed = dir_.read("whole.gz");
  compressed[compressed.size() / 2] ^= 0x55;
  dir_.write("app.log.1.gz", compressed);
  const auto path = dir_.file("app.log.1.gz");
  auto reader = GzipReader::open(path, 0);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto content = read_all(**reader);
  ASSERT_FALSE(content.ok());
  expect_corrupt(content.status(), path, "");
}

TEST_F(GzipReaderTest, EmptyFileIsCorrupt) {
  dir_.write("app.log.1.gz", "");
  const auto path = dir_.file("app.log.1.gz");
  auto reader = GzipReader::open(path, 0);
  ASSERT_FALSE(reader.ok());
  expect_corrupt(reader.status(), path, "it is empty");
}

TEST_F(GzipReaderTest, PlainTextIsNotGzipData) {
  dir_.write("app.log.1.gz", "plain text, never compressed\n");
  const auto path = dir_.file("app.log.1.gz");
  auto reader = GzipReader::open(path, 0);
  ASSERT_FALSE(reader.ok());
  expect_corrupt(reader.status(), path, "not gzip data");
  auto prefix = gzip_prefix(path, 16);
  ASSERT_FALSE(prefix.ok());
  expect_corrupt(prefix.status(), path, "not gzip data");
}

TEST_F(GzipReaderTest, MissingFileIsNotFound) {
  const auto path = dir_.file("app.log.9.gz");
  auto reader = GzipReader::open(path, 0);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().kind(), StatusKind::not_found);
  EXPECT_EQ(reader.status().message(),
            fmt::format("cannot open {}: No such file or directory", path.string()));
  auto prefix = gzip_prefix(path, 16);
  ASSERT_FALSE(prefix.ok());
  EXPECT_EQ(prefix.status().kind(), StatusKind::not_found);
}

TEST_F(GzipReaderTest, PrefixIsTheFirstUncompressedBytes) {
  const std::string text = log_text(1000);
  const auto path = write_gz("app.log.1.gz", {text.substr(0, 100), text.substr(100)});
  for (std::size_t max : {std::size_t{0}, std::size_t{1}, std::size_t{99}, std::size_t{100},
                          std::size_t{4096}, text.size(), text.size() + 10}) {
    SCOPED_TRACE(max);
    auto prefix = gzip_prefix(path, max);
    ASSERT_TRUE(prefix.ok()) << prefix.status().message();
    EXPECT_EQ(*prefix, text.substr(0, max));
  }
}

TEST_F(GzipReaderTest, PrefixOfATruncatedFileWithinThePrefixIsCorrupt) {
  const std::string text = log_text(1000);
  write_gz("whole.gz", {text});
  const std::string compressed = dir_.read("whole.gz");
  dir_.write("app.log.1.gz", std::string_view(compressed).substr(0, 30));
  const auto path = dir_.file("app.log.1.gz");
  auto prefix = gzip_prefix(path, 4096);
  ASSERT_FALSE(prefix.ok());
  expect_corrupt(prefix.status(), path, "");
}

}  // namespace
}  // namespace logtail
