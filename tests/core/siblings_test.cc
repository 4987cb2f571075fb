#include "siblings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace logtail {
namespace {

struct Case {
  std::string name;
  std::string base;
  std::vector<std::string> names;     // a directory listing, in no particular order
  std::vector<std::string> expected;  // the siblings, oldest first
};

std::vector<std::string> names_of(const std::vector<Sibling>& siblings) {
  std::vector<std::string> names;
  for (const Sibling& s : siblings) names.push_back(s.name);
  return names;
}

class SiblingsTest : public ::testing::TestWithParam<Case> {};

TEST_P(SiblingsTest, FindsTheRotatedSiblingsOldestFirst) {
  const Case& c = GetParam();
  EXPECT_EQ(names_of(rotated_siblings(c.base, c.names)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SiblingsTest,
    ::testing::Values(
        Case{"numbered_in_numeric_order",
             "app.log",
             {"app.log.2.gz", "app.log", "app.log.10.gz", "app.log.1", "app.log.3"},
             {"app.log.10.gz", "app.log.3", "app.log.2.gz", "app.log.1"}},
        Case{"zero_is_the_newest_number",
             "app.log",
             {"app.log.0", "app.log.1", "app.log.2"},
             {"app.log.2", "app.log.1", "app.log.0"}},
        Case{"dateext_formats",
             "app.log",
             {"app.log-20261121.gz", "app.log-20261120", "app.log", "app.log-20261122"},
             {"app.log-20261120", "app.log-20261121.gz", "app.log-20261122"}},
        Case{"dateext_with_hour",
             "app.log",
             {"app.log-2026112113", "app.log-2026112109.gz", "app.log-2026112023"},
             {"app.log-2026112023", "app.log-2026112109.gz", "app.log-2026112113"}},
        Case{"dateext_with_seconds",
             "app.log",
             {"app.log-20261121-1763730000", "app.log-20261121-1763712000.gz",
              "app.log-20261120-1763650000"},
             {"app.log-20261120-1763650000", "app.log-20261121-1763712000.gz",
              "app.log-20261121-1763730000"}},
        Case{"dated_before_numbered",
             "app.log",
             {"app.log.1", "app.log-20261121", "app.log.2.gz", "app.log-20261120.gz"},
             {"app.log-20261120.gz", "app.log-20261121", "app.log.2.gz", "app.log.1"}},
        Case{"the_brief_listing",
             "app.log",
             {"app.log.1", "app.log.2.gz", "app.log.10.gz", "app.log-20261120",
              "app.log-20261121.gz", "app.log-2026112113", "app.log-20261121-1732212345"},
             {"app.log-20261120", "app.log-20261121.gz", "app.log-20261121-1732212345",
              "app.log-2026112113", "app.log.10.gz", "app.log.2.gz", "app.log.1"}},
        Case{"same_generation_compressed_and_not_tie_by_name",
             "app.log",
             {"app.log.1.gz", "app.log.1"},
             {"app.log.1", "app.log.1.gz"}},
        Case{"not_siblings",
             "app.log",
             {"app.log", "app.log.bak", "app.log.1.tmp", "app.log.gz", "app.log.", "app.log.gz.1",
              "other.log.1", "app.logx.1", "app.log.-1", "app.log.+1", "app.log.01",
              "app.log.1.gz.gz", "app.log.1.GZ", "app.log..1", "app.log.1 ", "xapp.log.1",
              "app.log-", "app.log-2026", "app.log-202611211", "app.log-20261121-",
              "app.log-20261121-01", "app.log-20261121.1", "app.log-20261321",
              "app.log-20260230", "app.log-2026112124", "app.log-20261121x",
              "app.log.99999999999999999999", "app.log-20261121-99999999999999999999", ""},
             {}},
        Case{"empty_base_has_no_siblings", "", {".1", "-20261121", "1", ""}, {}},
        Case{"empty_listing", "app.log", {}, {}},
        Case{"regex_special_characters_are_literal",
             "a.b+(c)*[d]?$^.log",
             {"a.b+(c)*[d]?$^.log.1", "aXb+(c)*[d]?$^.log.2", "a.bb(c)*[d]?$^.log.3",
              "a.b+(c)*[d]?$^.log-20261121.gz", "a.b+(c)*[d]?$^Xlog.4"},
             {"a.b+(c)*[d]?$^.log-20261121.gz", "a.b+(c)*[d]?$^.log.1"}},
        Case{"base_that_looks_rotated",
             "app.log.1",
             {"app.log.1", "app.log.1.1", "app.log.2", "app.log.1.2.gz"},
             {"app.log.1.2.gz", "app.log.1.1"}},
        Case{"largest_number", "app.log",
             {"app.log.18446744073709551615", "app.log.1"},
             {"app.log.18446744073709551615", "app.log.1"}}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(SiblingsCompressionTest, FlagsGzipSiblings) {
  const std::vector<std::string> names = {"app.log.1", "app.log.2.gz", "app.log-20261121.gz",
                                          "app.log-20261122"};
  const std::vector<Sibling> siblings = rotated_siblings("app.log", names);
  ASSERT_EQ(siblings.size(), 4u);
  EXPECT_EQ(siblings[0].name, "app.log-20261121.gz");
  EXPECT_TRUE(siblings[0].compressed);
  EXPECT_EQ(siblings[1].name, "app.log-20261122");
  EXPECT_FALSE(siblings[1].compressed);
  EXPECT_EQ(siblings[2].name, "app.log.2.gz");
  EXPECT_TRUE(siblings[2].compressed);
  EXPECT_EQ(siblings[3].name, "app.log.1");
  EXPECT_FALSE(siblings[3].compressed);
}

}  // namespace
}  // namespace logtail
