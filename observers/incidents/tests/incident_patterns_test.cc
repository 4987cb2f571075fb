#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "logtail/observers/incidents.h"
#include "support/temp_dir.h"

namespace logtail::observers {
namespace {

class IncidentPatternsTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
};

TEST_F(IncidentPatternsTest, DefaultsAreTheFiveLevelWords) {
  const auto patterns = default_incident_patterns();
  ASSERT_EQ(patterns.size(), 5u);
  EXPECT_EQ(patterns[0].id, "error");
  EXPECT_EQ(patterns[0].severity, Severity::error);
  EXPECT_EQ(patterns[0].regex, "(?i)\\berror\\b");
  EXPECT_EQ(patterns[0].label, "");
  EXPECT_EQ(patterns[1].id, "warning");
  EXPECT_EQ(patterns[1].severity, Severity::warning);
  EXPECT_EQ(patterns[2].id, "warn");
  EXPECT_EQ(patterns[2].severity, Severity::warning);
  EXPECT_EQ(patterns[3].id, "fatal");
  EXPECT_EQ(patterns[3].severity, Severity::critical);
  EXPECT_EQ(patterns[4].id, "critical");
  EXPECT_EQ(patterns[4].severity, Severity::critical);
}

TEST_F(IncidentPatternsTest, ParsesTabSeparatedLines) {
  const std::string text =
      "# id\tseverity\tlabel\tregex\n"
      "\n"
      "oom\tcritical\tout of memory\t(?i)out of memory\r\n"
      "  # indented comment\n"
      "db.timeout\terr\t\tdb timeout after \\d+\tms\n"
      "slow-1\twarn\tslow\tlatency_ms=[0-9]{4,}";  // no final newline
  auto parsed = parse_incident_patterns(text, "p.tsv");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 3u);
  const auto& p = *parsed;
  EXPECT_EQ(p[0].id, "oom");
  EXPECT_EQ(p[0].severity, Severity::critical);
  EXPECT_EQ(p[0].label, "out of memory");
  EXPECT_EQ(p[0].regex, "(?i)out of memory");
  EXPECT_EQ(p[1].id, "db.timeout");
  EXPECT_EQ(p[1].severity, Severity::error);
  EXPECT_EQ(p[1].label, "");
  EXPECT_EQ(p[1].regex, "db timeout after \\d+\tms");  // the regex keeps its tab
  EXPECT_EQ(p[2].id, "slow-1");
  EXPECT_EQ(p[2].severity, Severity::warning);
  EXPECT_EQ(p[2].regex, "latency_ms=[0-9]{4,}");
}

struct BadCase {
  const char* text;
  const char* error;
};

TEST_F(IncidentPatternsTest, BadLinesNameTheLineAndTheFix) {
  const BadCase cases[] = {
      {"a\terror\tx\n", "p.tsv:1: expected four tab-separated fields: id, severity, label, "
                        "regex (the label may be empty, the tabs may not be left out)"},
      {"# c\nbad id\terror\tl\tx\n",
       "p.tsv:2: pattern id 'bad id' is not valid; use letters, digits, '_', '-' and '.'"},
      {"\terror\tl\tx\n",
       "p.tsv:1: pattern id '' is not valid; use letters, digits, '_', '-' and '.'"},
      {"a\tsevere\tl\tx\n",
       "p.tsv:1: unknown severity 'severe'; use debug, info, notice, warning, error or "
       "critical"},
      {"a\terror\tl\t\n", "p.tsv:1: pattern 'a' has an empty regex; write one after the third "
                          "tab"},
      {"a\terror\tl\tx\n\nb\terror\tl\ty\na\twarn\tl\tz\n",
       "p.tsv:4: pattern id 'a' is already used on line 1; give each pattern its own id"},
      {"# only a comment\n\n",
       "p.tsv: no patterns; write one per line as id<TAB>severity<TAB>label<TAB>regex"},
      {"", "p.tsv: no patterns; write one per line as id<TAB>severity<TAB>label<TAB>regex"},
  };
  for (const BadCase& c : cases) {
    auto parsed = parse_incident_patterns(c.text, "p.tsv");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(parsed.status().message(), c.error);
  }
}

TEST_F(IncidentPatternsTest, LoadsAFileAndNamesItInErrors) {
  dir_.write("good.tsv", "oom\tcritical\tout of memory\tout of memory\n");
  auto good = load_incident_patterns(dir_.file("good.tsv"));
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->at(0).id, "oom");

  dir_.write("bad.tsv", "oom\tcritical\tout of memory\tout of memory\nx\n");
  auto bad = load_incident_patterns(dir_.file("bad.tsv"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            dir_.file("bad.tsv").string() +
                ":2: expected four tab-separated fields: id, severity, label, regex (the "
                "label may be empty, the tabs may not be left out)");

  auto missing = load_incident_patterns(dir_.file("missing.tsv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), StatusKind::not_found);
  EXPECT_EQ(missing.status().message(), "cannot open incident patterns file '" +
                                            dir_.file("missing.tsv").string() +
                                            "': No such file or directory");

  auto directory = load_incident_patterns(dir_.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().message(), "incident patterns file '" + dir_.path().string() +
                                              "' is a directory; give the file");
}

// 0 when loading `path` fails with permission_denied, 1 when it loads, 2 on another error.
int load_exit_code(const std::string& path) {
  auto loaded = load_incident_patterns(path);
  if (loaded.ok()) return 1;
  return loaded.status().kind() == StatusKind::permission_denied ? 0 : 2;
}

TEST_F(IncidentPatternsTest, UnreadableFileIsPermissionDenied) {
  dir_.write("secret.tsv", "a\terror\tl\tx\n");
  const std::string path = dir_.file("secret.tsv");
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  if (::geteuid() != 0) {
    EXPECT_EQ(load_exit_code(path), 0);
    return;
  }
  // Root reads any file: load it from a child that has given up root for "nobody".
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0711), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    ::_exit(load_exit_code(path));
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: loaded anyway, 2: another error, 3: setuid failed";
}

}  // namespace
}  // namespace logtail::observers
