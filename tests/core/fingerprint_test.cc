#include "fingerprint.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace logtail {
namespace {

struct Vector {
  std::string_view input;
  std::uint64_t hash;
};

// The published 64-bit FNV-1a test vectors, plus bytes that a signed char would get wrong.
TEST(FingerprintTest, MatchesKnownFnv1aVectors) {
  using namespace std::string_view_literals;
  const Vector vectors[] = {
      {""sv, 0xcbf29ce484222325ULL},
      {"a"sv, 0xaf63dc4c8601ec8cULL},
      {"foobar"sv, 0x85944171f73967e8ULL},
      {"\0"sv, 0xaf63bd4c8601b7dfULL},
      {"\xff\xff\xff"sv, 0xf998341be47bae14ULL},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(fingerprint_hash(v.input), v.hash) << "input of " << v.input.size() << " bytes";
  }
}

TEST(FingerprintTest, EveryPrefixOfALineHashesDifferently) {
  const std::string text = "2026-11-22T10:15:00Z INFO server started on port 8080\n";
  for (std::size_t n = 0; n < text.size(); ++n) {
    EXPECT_NE(fingerprint_hash(std::string_view(text).substr(0, n)),
              fingerprint_hash(std::string_view(text).substr(0, n + 1)))
        << "prefix length " << n;
  }
}

TEST(FingerprintTest, SamePrefixSameHashWhateverFollows) {
  const std::string prefix(kFingerprintMax, 'x');
  const std::string a = prefix + "first tail";
  const std::string b = prefix + "another, longer tail";
  EXPECT_EQ(fingerprint_hash(std::string_view(a).substr(0, kFingerprintMax)),
            fingerprint_hash(std::string_view(b).substr(0, kFingerprintMax)));
  EXPECT_NE(fingerprint_hash(a), fingerprint_hash(b));
}

TEST(FingerprintTest, OneChangedByteChangesTheHash) {
  std::string text(kFingerprintMax, 'a');
  const std::uint64_t original = fingerprint_hash(text);
  for (std::size_t i : {std::size_t{0}, kFingerprintMax / 2, kFingerprintMax - 1}) {
    std::string changed = text;
    changed[i] = 'b';
    EXPECT_NE(fingerprint_hash(changed), original) << "byte " << i;
  }
}

}  // namespace
}  // namespace logtail
