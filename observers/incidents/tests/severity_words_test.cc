#include <gtest/gtest.h>

#include <optional>

#include "logtail/observers/incidents.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

class SeverityWordsTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

struct WordCase {
  const char* word;
  std::optional<Severity> severity;
};

TEST_F(SeverityWordsTest, MapsTheLevelWords) {
  const WordCase cases[] = {
      {"error", Severity::error},      {"ERROR", Severity::error},
      {"Error", Severity::error},      {"warning", Severity::warning},
      {"WARN", Severity::warning},     {"fatal", Severity::critical},
      {"Critical", Severity::critical}, {"errors", std::nullopt},
      {"err", std::nullopt},           {"info", std::nullopt},
      {"", std::nullopt},              {"warnin", std::nullopt},
  };
  for (const WordCase& c : cases) EXPECT_EQ(severity_of_word(c.word), c.severity) << c.word;
}

TEST_F(SeverityWordsTest, LineSeverityTakesTheHighestWordOnBoundaries) {
  const WordCase cases[] = {
      {"2026-11-26T10:00:00Z ERROR db: timeout", Severity::error},
      {"[warn] disk at 91%", Severity::warning},
      {"level=fatal msg=oom", Severity::critical},
      {"a warning, then an error", Severity::error},
      {"error then CRITICAL then warn", Severity::critical},
      {"errorless rewarning fatalistic warn_count error2", std::nullopt},
      {"no level words here", std::nullopt},
      {"ERROR", Severity::error},
      {"", std::nullopt},
      {"x:error:y", Severity::error},
  };
  for (const WordCase& c : cases) EXPECT_EQ(line_severity(c.word), c.severity) << c.word;
}

}  // namespace
}  // namespace logtail::observers
