#include "checkpoint_codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace logtail {
namespace {

using namespace std::string_literals;

constexpr std::string_view kWhere = "state/checkpoints";
constexpr std::uint64_t kMax64 = std::numeric_limits<std::uint64_t>::max();

CheckpointEntry entry(std::string path, std::uint64_t generation, std::uint64_t offset) {
  CheckpointEntry e;
  e.path = std::move(path);
  e.generation = generation;
  e.offset = offset;
  e.identity = {.device = 2049, .inode = 131074 + generation, .fingerprint_size = 4096,
                .fingerprint = 0x0123456789abcdefULL ^ generation};
  return e;
}

// The two entries whose encoding is spelled out in kGolden below.
std::vector<CheckpointEntry> golden_entries() {
  CheckpointEntry a;
  a.path = "/var/log/app.log";
  a.generation = 3;
  a.offset = 1048576;
  a.identity = {.device = 2049, .inode = 131074, .fingerprint_size = 4096,
                .fingerprint = 0x0123456789abcdefULL};
  CheckpointEntry b;
  b.path = "weird\tname\n\\x\x01\x7f\xff.log";
  b.skipping = true;
  return {a, b};
}

// Checksum computed independently of logtail (Python's zlib.crc32).
const std::string kGolden =
    "logtail-checkpoints 1\n"
    "3\t0\t2049\t131074\t4096\t0123456789abcdef\t1048576\t/var/log/app.log\n"
    "0\t1\t0\t0\t0\t0000000000000000\t0\tweird\\tname\\n\\\\x\\x01\\x7f\xff.log\n"
    "end 2 c00f9571\n";

// `body` (header and entry lines) with a correct trailer, so that what is tested is the
// decoding of the body, not the checksum.
std::string with_trailer(const std::string& body, std::size_t count) {
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(body.data()),
                          static_cast<uInt>(body.size()));
  return body + fmt::format("end {} {:08x}\n", count, crc);
}

std::string one_entry_file(std::string_view line) {
  return with_trailer("logtail-checkpoints 1\n"s + std::string(line) + "\n", 1);
}

void expect_corrupt(const Result<std::vector<CheckpointEntry>>& result, std::string_view says,
                    const std::string& context) {
  ASSERT_FALSE(result.ok()) << context << ": decoded, expected an error saying " << says;
  const std::string& message = result.status().message();
  EXPECT_EQ(result.status().kind(), StatusKind::corrupt) << context << ": " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << context << ": " << message;
  EXPECT_NE(message.find(kWhere), std::string::npos) << context << ": " << message;
  EXPECT_NE(message.find("--reset-state"), std::string::npos) << context << ": " << message;
  EXPECT_NE(message.find(says), std::string::npos)
      << context << ": \"" << message << "\" does not say \"" << says << "\"";
}

class CheckpointCodecTest : public ::testing::Test {
 protected:
  void expect_round_trip(const std::vector<CheckpointEntry>& entries) {
    const std::string bytes = encode_checkpoints(entries);
    auto decoded = decode_checkpoints(bytes, kWhere);
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, entries);
  }
};

TEST_F(CheckpointCodecTest, EncodesTheDocumentedFormat) {
  EXPECT_EQ(encode_checkpoints(golden_entries()), kGolden);
  EXPECT_EQ(encode_checkpoints({}), "logtail-checkpoints 1\nend 0 c58b578e\n");
}

TEST_F(CheckpointCodecTest, DecodesTheDocumentedFormat) {
  auto decoded = decode_checkpoints(kGolden, kWhere);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, golden_entries());
}

TEST_F(CheckpointCodecTest, RoundTripsAnEmptySet) { expect_round_trip({}); }

TEST_F(CheckpointCodecTest, RoundTripsManyEntriesInOrder) {
  std::vector<CheckpointEntry> entries;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    entries.push_back(entry(fmt::format("/logs/service-{}.log", i % 37), i, i * 7919));
    entries.back().skipping = i % 3 == 0;
  }
  expect_round_trip(entries);
}

TEST_F(CheckpointCodecTest, RoundTripsExtremeValues) {
  CheckpointEntry e;
  e.path = "/x";
  e.generation = kMax64;
  e.offset = kMax64;
  e.skipping = true;
  e.identity = {.device = kMax64, .inode = kMax64,
                .fingerprint_size = std::numeric_limits<std::uint32_t>::max(),
                .fingerprint = kMax64};
  CheckpointEntry zero;
  zero.path = "/y";
  expect_round_trip({e, zero});
}

TEST_F(CheckpointCodecTest, RoundTripsAnyPathBytes) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  const std::vector<std::string> paths = {
      "",
      every_byte,
      "tab\there",
      "line\nbreak",
      "\\",
      "\\x41",
      "\\t literally",
      "ends in backslash\\",
      "end 1 00000000",
      "\r\n",
      "latin-1 caf\xe9 and broken utf-8 \xc3\x28 \xf0\x9f",
      "utf-8 \xc3\xa9t\xc3\xa9 \xf0\x9f\x93\x9c",
  };
  std::vector<CheckpointEntry> entries;
  for (std::size_t i = 0; i < paths.size(); ++i) entries.push_back(entry(paths[i], 1, i));
  expect_round_trip(entries);
  // Each path also alone, so a failure names it.
  for (const std::string& path : paths) {
    SCOPED_TRACE(testing::PrintToString(path));
    expect_round_trip({entry(path, 1, 42)});
  }
}

TEST_F(CheckpointCodecTest, EncodingIsOneLinePerEntryWhateverThePath) {
  const std::string bytes = encode_checkpoints({entry("a\nb\nc", 1, 0), entry("d\te", 2, 0)});
  EXPECT_EQ(std::count(bytes.begin(), bytes.end(), '\n'), 4);
  EXPECT_EQ(bytes.back(), '\n');
}

TEST_F(CheckpointCodecTest, SamePathDifferentGenerationsAreDistinct) {
  expect_round_trip({entry("/a.log", 1, 10), entry("/a.log", 2, 20), entry("/b.log", 1, 30)});
}

TEST_F(CheckpointCodecTest, RejectsEveryTruncation) {
  for (const std::string& valid : {kGolden, encode_checkpoints({})}) {
    for (std::size_t n = 0; n < valid.size(); ++n) {
      auto decoded = decode_checkpoints(std::string_view(valid).substr(0, n), kWhere);
      ASSERT_FALSE(decoded.ok()) << "prefix of " << n << " of " << valid.size() << " bytes";
      EXPECT_EQ(decoded.status().kind(), StatusKind::corrupt) << "prefix of " << n;
    }
  }
}

TEST_F(CheckpointCodecTest, RejectsEverySingleByteChange) {
  // CRC-32 catches every change of one byte in what it covers; the strict syntax of the
  // trailer (lowercase hex, no leading zeros) catches the rest.
  for (const std::string& valid : {kGolden, encode_checkpoints({})}) {
    for (std::size_t i = 0; i < valid.size(); ++i) {
      for (int value = 0; value < 256; ++value) {
        if (static_cast<char>(value) == valid[i]) continue;
        std::string changed = valid;
        changed[i] = static_cast<char>(value);
        auto decoded = decode_checkpoints(changed, kWhere);
        ASSERT_FALSE(decoded.ok()) << "byte " << i << " changed to " << value;
        EXPECT_EQ(decoded.status().kind(), StatusKind::corrupt);
      }
    }
  }
}

struct Corruption {
  std::string name;
  std::string bytes;
  std::string says;  // part of the expected message
};

TEST_F(CheckpointCodecTest, RejectsEachKindOfCorruptionWithAClearMessage) {
  const std::string header = "logtail-checkpoints 1\n";
  const std::string good_line = "3\t0\t2049\t131074\t4096\t0123456789abcdef\t1048576\t/a.log";
  const std::string valid_one = one_entry_file(good_line);
  std::string flipped_crc = valid_one;
  flipped_crc[flipped_crc.size() - 2] = flipped_crc[flipped_crc.size() - 2] == '0' ? '1' : '0';

  const std::vector<Corruption> cases = {
      {"empty", "", "it is empty"},
      {"no header", with_trailer("hello\n", 0), "header"},
      {"header without version", with_trailer("logtail-checkpoints\n", 0), "header"},
      {"header with bad version", with_trailer("logtail-checkpoints v1\n", 0),
       "malformed version"},
      {"newer version", "logtail-checkpoints 2\nwhatever a newer logtail writes\n",
       "has format version 2, but this logtail reads only version 1"},
      {"header only, torn", "logtail-checkpoints 1", "torn"},
      {"no trailer", header + good_line + "\n", "no trailer"},
      {"torn entry line", header + good_line.substr(0, 20), "torn"},
      {"trailer without newline", valid_one.substr(0, valid_one.size() - 1), "torn"},
      {"wrong checksum", flipped_crc, "checksum mismatch"},
      {"uppercase checksum", header + "end 0 C58B578E\n", "not 8 lowercase hex digits"},
      {"short checksum", header + "end 0 c58b578\n", "not 8 lowercase hex digits"},
      {"trailer missing a field", header + "end 0\n", "malformed trailer"},
      {"trailer with an extra field", header + "end 0 c58b578e 1\n", "malformed trailer"},
      {"trailer count not a number", header + "end x c58b578e\n", "entry count"},
      {"trailer count with leading zero", header + "end 00 c58b578e\n", "entry count"},
      {"count too high", with_trailer(header + good_line + "\n", 2),
       "counts 2 entries but the file holds 1"},
      {"count too low", with_trailer(header + good_line + "\n" + good_line + "2\n", 1),
       "counts 1 entries but the file holds 2"},
      {"bytes after the trailer", valid_one + "junk\n", "bytes follow the trailer"},
      {"blank line after the trailer", valid_one + "\n", "1 bytes follow the trailer"},
      {"second trailer", valid_one + valid_one.substr(valid_one.rfind("end")),
       "bytes follow the trailer"},
      {"generation not a number",
       one_entry_file("x\t0\t2049\t131074\t4096\t0123456789abcdef\t1048576\t/a.log"),
       "the generation 'x'"},
      {"generation negative",
       one_entry_file("-3\t0\t2049\t131074\t4096\t0123456789abcdef\t1048576\t/a.log"),
       "the generation '-3'"},
      {"generation with leading zero",
       one_entry_file("03\t0\t2049\t131074\t4096\t0123456789abcdef\t1048576\t/a.log"),
       "the generation '03'"},
      {"skipping is 2",
       one_entry_file("3\t2\t2049\t131074\t4096\t0123456789abcdef\t1048576\t/a.log"),
       "skipping flag '2'"},
      {"device overflows",
       one_entry_file("3\t0\t18446744073709551616\t131074\t4096\t0123456789abcdef\t1\t/a.log"),
       "the device '18446744073709551616'"},
      {"inode empty", one_entry_file("3\t0\t2049\t\t4096\t0123456789abcdef\t1048576\t/a.log"),
       "the inode ''"},
      {"fingerprint size over 32 bits",
       one_entry_file("3\t0\t2049\t131074\t4294967296\t0123456789abcdef\t1048576\t/a.log"),
       "fingerprint size '4294967296' is out of range"},
      {"fingerprint uppercase",
       one_entry_file("3\t0\t2049\t131074\t4096\t0123456789ABCDEF\t1048576\t/a.log"),
       "not 16 lowercase hex digits"},
      {"fingerprint short",
       one_entry_file("3\t0\t2049\t131074\t4096\t0123456789abcde\t1048576\t/a.log"),
       "not 16 lowercase hex digits"},
      {"offset overflows",
       one_entry_file("3\t0\t2049\t131074\t4096\t0123456789abcdef\t99999999999999999999\t/a"),
       "the offset '99999999999999999999'"},
      {"offset with a space",
       one_entry_file("3\t0\t2049\t131074\t4096\t0123456789abcdef\t 1\t/a.log"),
       "the offset ' 1'"},
      {"seven fields", one_entry_file("3\t0\t2049\t131074\t4096\t0123456789abcdef\t1048576"),
       "7 tab-separated fields, expected 8"},
      {"nine fields", one_entry_file(good_line + "\tmore"), "9 tab-separated fields, expected 8"},
      {"blank entry line", with_trailer(header + "\n", 1), "1 tab-separated fields"},
      {"unknown escape", one_entry_file(good_line + "\\q"), "bad escape '\\\\q'"},
      {"backslash at the end", one_entry_file(good_line + "\\"), "bad escape"},
      {"short hex escape", one_entry_file(good_line + "\\x4"), "bad escape"},
      {"non-hex escape", one_entry_file(good_line + "\\xzz"), "bad escape"},
      {"uppercase hex escape", one_entry_file(good_line + "\\x4A"), "bad escape"},
      {"raw control byte", one_entry_file(good_line + "\x01"), "unescaped control byte 0x01"},
      {"raw carriage return", one_entry_file(good_line + "\r"), "unescaped control byte 0x0d"},
      {"duplicate entry", with_trailer(header + good_line + "\n" + good_line + "\n", 2),
       "line 3: a second entry for path '/a.log' generation 3"},
  };
  for (const Corruption& c : cases) {
    expect_corrupt(decode_checkpoints(c.bytes, kWhere), c.says, c.name);
  }
}

TEST_F(CheckpointCodecTest, ErrorsNameTheLine) {
  const std::string body = "logtail-checkpoints 1\n"
                           "1\t0\t1\t1\t0\t0000000000000000\t0\t/a\n"
                           "2\t0\t1\t1\t0\t0000000000000000\tnope\t/b\n";
  expect_corrupt(decode_checkpoints(with_trailer(body, 2), kWhere), "line 3: the offset 'nope'",
                 "bad offset on line 3");
}

TEST_F(CheckpointCodecTest, QuotesOfBadFieldsStayOneLineAndShort) {
  const std::string long_field(200, '7');
  auto decoded = decode_checkpoints(
      one_entry_file("3\t0\t2049\t131074\t4096\t0123456789abcdef\t" + long_field + "x\t/a"),
      kWhere);
  expect_corrupt(decoded, "the offset", "long bad offset");
  EXPECT_LT(decoded.status().message().size(), 300u) << decoded.status().message();
}

}  // namespace
}  // namespace logtail
