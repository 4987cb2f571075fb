// Fuzz target: the checkpoint decoder. Arbitrary bytes must decode or fail with a
// StatusKind::corrupt error, never crash; whatever decodes must encode to bytes that decode
// to the same entries.
//
// The CRC-32 trailer rejects nearly every random input before the entries are parsed, so
// each input is also tried a second time as a body with a trailer made to fit it: the right
// entry count and checksum appended. That lets the fuzzer reach the entry parser.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "checkpoint_codec.h"
#include "fuzz_check.h"

namespace {

void check(std::string_view bytes) {
  auto decoded = logtail::decode_checkpoints(bytes, "fuzz");
  if (!decoded.ok()) {
    FUZZ_CHECK(decoded.status().kind() == logtail::StatusKind::corrupt);
    // One line, naming the file.
    FUZZ_CHECK(decoded.status().message().find('\n') == std::string::npos);
    FUZZ_CHECK(decoded.status().message().find("fuzz") != std::string::npos);
    return;
  }
  const std::string encoded = logtail::encode_checkpoints(*decoded);
  auto again = logtail::decode_checkpoints(encoded, "fuzz");
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *decoded);
  // Encoding is a function of the entries: the canonical form encodes to itself.
  FUZZ_CHECK(logtail::encode_checkpoints(*again) == encoded);
}

// `body` (header and entry lines) with the trailer that makes it pass the checksum.
std::string with_trailer(std::string_view body) {
  std::size_t lines = 0;
  for (char c : body) lines += c == '\n';
  const std::size_t entries = lines > 0 ? lines - 1 : 0;  // the header is not an entry
  const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(body.data()),
                         static_cast<uInt>(body.size()));
  char trailer[64];
  std::snprintf(trailer, sizeof trailer, "end %zu %08lx\n", entries,
                static_cast<unsigned long>(crc));
  return std::string(body) + trailer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(bytes);
  check(with_trailer(bytes));
  return 0;
}
