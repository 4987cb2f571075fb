// `logtail --stats`: the engine's health on standard error, as JSON lines a program can read
// and as text for people.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "integration/command_fixture.h"

namespace logtail::test {
namespace {

class StatsCommandTest : public CommandTest {};

// The last stats line of `stderr_text` for `path` whose committed_offset is `committed`.
bool has_stats(const std::string& stderr_text, const std::string& path, std::uint64_t committed,
               std::string* role = nullptr) {
  simdjson::dom::parser parser;
  std::size_t start = 0;
  while (start < stderr_text.size()) {
    std::size_t end = stderr_text.find('\n', start);
    if (end == std::string::npos) break;  // a line still being written
    const std::string line = stderr_text.substr(start, end - start);
    start = end + 1;
    simdjson::dom::element doc;
    if (parser.parse(line).get(doc) != simdjson::SUCCESS) continue;
    std::string_view kind, p, r;
    std::uint64_t c = 0;
    if (doc["kind"].get(kind) != simdjson::SUCCESS || kind != "stats") continue;
    if (doc["path"].get(p) != simdjson::SUCCESS || p != path) continue;
    if (doc["committed_offset"].get(c) != simdjson::SUCCESS || c != committed) continue;
    if (role != nullptr && doc["role"].get(r) == simdjson::SUCCESS) *role = std::string(r);
    return true;
  }
  return false;
}

TEST_F(StatsCommandTest, JsonStatsFollowTheCommittedOffset) {
  dir_.write("app.log", "one\ntwo\n");
  Run run = start({"--from", "beginning", "--stats", "100ms", "--diagnostics", "json",
                   path("app.log"), path("later.log")});
  std::string role;
  ASSERT_TRUE(wait_until([&] { return has_stats(run.stderr_text(), path("app.log"), 8, &role); }))
      << run.stderr_text();
  EXPECT_EQ(role, "live");
  ASSERT_TRUE(wait_until([&] { return has_stats(run.stderr_text(), path("later.log"), 0, &role); }))
      << run.stderr_text();
  EXPECT_EQ(role, "waiting");
  dir_.append("app.log", "three\n");
  ASSERT_TRUE(wait_until([&] { return has_stats(run.stderr_text(), path("app.log"), 14); }))
      << run.stderr_text();
  EXPECT_TRUE(stop(run).exited_with(0));
}

TEST_F(StatsCommandTest, TextStatsAreOneLinePerFile) {
  dir_.write("app.log", "one\ntwo\n");
  Run run = start({"--from", "beginning", "--stats", "100ms", path("app.log")});
  const std::string want = "logtail: stats: " + path("app.log") +
                           ": live, read 8 of 8 bytes, committed 8, lag 0 bytes, events";
  ASSERT_TRUE(wait_until([&] { return run.stderr_text().find(want) != std::string::npos; }))
      << run.stderr_text();
  EXPECT_TRUE(stop(run).exited_with(0));
}

TEST_F(StatsCommandTest, ABadIntervalIsAUsageError) {
  const Finished run = run_to_exit({"--stats", "0s", path("app.log")});
  EXPECT_TRUE(run.status.exited_with(2)) << run.status.describe();
  EXPECT_NE(run.stderr_text.find("--stats takes a duration above zero, such as 5s"),
            std::string::npos)
      << run.stderr_text;
}

}  // namespace
}  // namespace logtail::test
