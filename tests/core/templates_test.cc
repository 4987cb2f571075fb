#include "logtail/templates.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace logtail {
namespace {

class TemplatesTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

struct MaskCase {
  const char* line;
  const char* masked;
};

const MaskCase kMaskCases[] = {
    // Numbers: signed after a non-word character, decimals, versions, units kept.
    {"took 42 ms", "took <N> ms"},
    {"x=-3 y=+4 z=1.5 v=1.2.3", "x=<N> y=+<N> z=<N> v=<N>"},
    {"range 10-20 db-1", "range <N>-<N> db-<N>"},
    {"t=250ms 1.5s 3rd", "t=<N>ms <N>s <N>rd"},
    {"payments[1234]: at (Ledger.java:214)", "payments[<N>]: at (Ledger.java:<N>)"},
    // Names with digits stay; so do numbers right after a '.'.
    {"http2 user42 sha256 e2e v1 v1.2.3 com.shop.v2",
     "http2 user42 sha256 e2e v1 v1.2.3 com.shop.v2"},
    // Hex ids.
    {"0x1f 0XFF 7f3a9c", "<HEX> <HEX> <HEX>"},
    {"id=0c43407dc177b6f7 id=83920481234ecaf deadbeef42", "id=<HEX> id=<HEX> <HEX>"},
    {"deadbeef cafe42 7f", "deadbeef cafe42 <N>f"},
    // UUIDs, in either case.
    {"req 123e4567-e89b-12d3-a456-426614174000 ok", "req <UUID> ok"},
    {"{A987FBC9-4BED-3078-CF07-9141BA07C9F3}", "{<UUID>}"},
    // IPv4 with and without a port; five parts are a version, not an address.
    {"from 10.0.0.1:8080 to 192.168.1.254", "from <IP> to <IP>"},
    {"1.2.3.4.5 256.1.1.1", "<N> <IP>"},
    // IPv6: compressed, loopback, bracketed with a port, full form.
    {"fe80::1 ::1 [2001:db8::ff00:42:8329]:443", "<IP> <IP> [<IP>]:<N>"},
    {"2001:0db8:0000:0000:0000:ff00:0042:8329", "<IP>"},
    // ... but not C++ scopes, MAC addresses or clock times.
    {"std::vector payments::Ledger a::b aa:bb:cc:dd:ee:ff",
     "std::vector payments::Ledger a::b aa:bb:cc:dd:ee:ff"},
    // Quoted strings; apostrophes inside words are text; JSON keys stay.
    {"say \"hello world\" and 'x y'", "say <STR> and <STR>"},
    {"it's can't 'ok'", "it's can't <STR>"},
    {R"(msg "a \"quoted\" word" end)", "msg <STR> end"},
    {R"({"level":"error","code":"E1"})", R"({"level":<STR>,"code":<STR>})"},
    {"unterminated \"quote here", "unterminated \"quote here"},
    // Paths and URLs; trailing sentence punctuation stays outside.
    {"open /var/log/x.log: failed", "open <PATH>: failed"},
    {"see ./a/b, ../c and ~/d.", "see <PATH>, <PATH> and <PATH>."},
    {"GET https://example.com/a?b=1&c=2. next", "GET <PATH>. next"},
    {"http://[::1]:80/x done", "<PATH> done"},
    {"a / b 1/2 and/or", "a / b <N>/<N> and/or"},
    // Timestamps.
    {"2026-11-26T10:15:02.123Z INFO x", "<TS> INFO x"},
    {"2026-11-26 10:15:02,5 x", "<TS> x"},
    {"at 2026-11-26T10:15:02+01:00 and 2026-11-26T10:15:02-0500", "at <TS> and <TS>"},
    {"on 2026-11-26 at 10:15:02.123 not 10:15", "on <TS> at <TS> not <N>:<N>"},
    // White space.
    {"  lots   of\tspace  ", "lots of space"},
    {"", ""},
    // A whole access log line.
    {R"(10.1.2.3 - - [26/Nov/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 512)",
     "<IP> - - [<N>/Nov/<N>:<TS> +<N>] <STR> <N> <N>"},
};

TEST_F(TemplatesTest, MasksVariableParts) {
  for (const MaskCase& c : kMaskCases) {
    EXPECT_EQ(mask_line(c.line), c.masked) << "line: " << c.line;
  }
}

TEST_F(TemplatesTest, MaskingTheTemplatesAgainChangesNothing) {
  for (const MaskCase& c : kMaskCases) {
    EXPECT_EQ(mask_line(c.masked), c.masked) << "masked: " << c.masked;
  }
}

TEST_F(TemplatesTest, MaskHandlesArbitraryBytes) {
  using namespace std::string_literals;
  EXPECT_EQ(mask_line("a\0b 12\xff\xfe 0x"s), "a\0b <N>\xff\xfe <N>x"s);
  // Random bytes drawn mostly from the characters the recognisers look at: every prefix
  // and every unterminated form must end cleanly inside the line.
  std::mt19937 rng(7);
  const std::string_view alphabet = "aZf09:/.-_\"' \t<>[]{}=x,;~";
  for (int i = 0; i < 20000; ++i) {
    std::string line;
    const int length = static_cast<int>(rng() % 48);
    for (int k = 0; k < length; ++k) {
      line += rng() % 8 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    const std::string masked = mask_line(line);
    EXPECT_EQ(masked, mask_line(line));
    EXPECT_FALSE(masked.starts_with(' ') || masked.ends_with(' ')) << line;
  }
}

// Pinned: a change to mask_line or template_id changes every stored id and must be
// deliberate.
TEST_F(TemplatesTest, IdsAreStable) {
  EXPECT_EQ(template_id(""), 14695981039346656037ULL);
  EXPECT_EQ(template_id("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(template_id(mask_line("2026-11-26T10:00:00.001Z ERROR db[17]: timeout after 5000 ms")),
            template_id("<TS> ERROR db[<N>]: timeout after <N> ms"));
  EXPECT_EQ(template_id("<TS> ERROR db[<N>]: timeout after <N> ms"), 8283139386223492147ULL);
  EXPECT_EQ(template_id(mask_line("disk full: write to /var/lib/x/segment-12.dat failed")),
            14372137070461677155ULL);
}

TEST_F(TemplatesTest, RepeatsOfOneMessageShareATemplate) {
  TemplateIndex index;
  const auto a = index.add("2026-11-26T10:00:00.001Z ERROR db timeout after 5000 ms host=db-1");
  const auto b = index.add("2026-11-26T10:00:07.412Z ERROR db timeout after 1003 ms host=db-3");
  EXPECT_TRUE(a.first);
  EXPECT_FALSE(b.first);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(b.count, 2u);
  EXPECT_EQ(b.text, "<TS> ERROR db timeout after <N> ms host=db-<N>");
  EXPECT_EQ(index.size(), 1u);
}

TEST_F(TemplatesTest, SimilarSequencesGroupWithAWildcard) {
  TemplateIndex index;
  const auto a = index.add("user login failed for alice from <IP> reason bad password");
  const auto b = index.add("user login failed for bob from <IP> reason bad password");
  const auto c = index.add("user login failed for carol from <IP> reason expired password");
  EXPECT_TRUE(a.first);
  EXPECT_FALSE(b.first);
  EXPECT_FALSE(c.first);
  EXPECT_EQ(a.id, c.id);
  EXPECT_EQ(a.id, template_id(a.text));  // the id of the first form
  EXPECT_EQ(b.text, "user login failed for <*> from <IP> reason bad password");
  EXPECT_EQ(c.text, "user login failed for <*> from <IP> reason <*> password");
  EXPECT_EQ(c.count, 3u);
  EXPECT_EQ(index.size(), 1u);
}

struct GroupCase {
  const char* first;
  const char* second;
  bool same;
};

TEST_F(TemplatesTest, GroupsOnlyCloseSequencesOfOneLengthAndLevel) {
  const GroupCase cases[] = {
      {"connection refused", "connection reset", false},  // 1 of 2 equal: below 0.7
      {"a b c d e f g h i j", "a b c d e f g x y z", true},   // 7 of 10: at the 0.7 bar
      {"a b c d e f g h i j", "a b c d e f w x y z", false},  // 6 of 10
      {"a b c d e f g h i j", "a b c d e f g h y z", true},   // 8 of 10
      {"a b c d", "a b c d e", false},                        // lengths differ
      {"[INFO] cache hit key=a ttl=1", "[ERROR] cache hit key=a ttl=1", false},
      {"level=warn cache hit key=a ttl=1", "level=warn cache hit key=b ttl=1", true},
      {"WARN cache hit key=a ttl=1 x", "Warning: cache hit key=a ttl=1 x", false},
  };
  for (const GroupCase& c : cases) {
    TemplateIndex index;
    const auto a = index.add(c.first);
    const auto b = index.add(c.second);
    EXPECT_EQ(a.id == b.id, c.same) << c.first << " / " << c.second;
    EXPECT_EQ(!b.first, c.same) << c.first << " / " << c.second;
  }
}

TEST_F(TemplatesTest, SimilarityIsConfigurable) {
  TemplateIndex strict({.similarity = 1.0, .max_templates = 100});
  EXPECT_TRUE(strict.add("a b c d x").first);
  EXPECT_TRUE(strict.add("a b c d y").first);
  TemplateIndex loose({.similarity = 0.5, .max_templates = 100});
  EXPECT_TRUE(loose.add("a b x y").first);
  EXPECT_FALSE(loose.add("a b z w").first);
}

TEST_F(TemplatesTest, ForgetsLeastRecentlyUsedPastTheBound) {
  TemplateIndex index({.similarity = 0.7, .max_templates = 10});
  const std::string keep = "kept template line";
  EXPECT_TRUE(index.add(keep).first);
  for (int i = 0; i < 100; ++i) {
    // Each line is its own template: one token, different words.
    EXPECT_TRUE(index.add("word" + std::string(1, static_cast<char>('a' + i % 26)) +
                          std::string(1, static_cast<char>('a' + i / 26)))
                    .first);
    EXPECT_LE(index.size(), 10u);
    EXPECT_FALSE(index.add(keep).first) << "used every time, so never forgotten";
  }
  // The first one-word template was forgotten long ago: it is new again.
  EXPECT_TRUE(index.add("wordaa").first);
}

TEST_F(TemplatesTest, CopiesAreIndependent) {
  TemplateIndex a;
  EXPECT_TRUE(a.add("one two three").first);
  TemplateIndex b = a;
  EXPECT_FALSE(b.add("one two three").first);
  EXPECT_TRUE(b.add("four five six").first);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(b.size(), 2u);
  TemplateIndex c = std::move(b);
  EXPECT_EQ(c.size(), 2u);
}

}  // namespace
}  // namespace logtail
