// `logtail --plugin LIB.so`: the command loads test plugins before it builds observers and
// sinks, runs a plugin's observer on a real file, and refuses a bad plugin with one line.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "integration/command_fixture.h"
#include "logtail/version.h"

namespace logtail::test {
namespace {

std::string plugin(std::string_view name) {
  return (std::filesystem::path(LOGTAIL_TEST_PLUGIN_DIR) / (std::string(name) + ".so")).string();
}

using PluginCommandTest = CommandTest;

TEST_F(PluginCommandTest, ObserverFromAPluginSeesEveryLine) {
  dir_.write("app.log", "GET /a 200\nGET /b 503\nGET /c 200\n");
  const Finished run = run_to_exit({"--plugin", plugin("good"), "--observer", "plugin_echo=seen ",
                                    "--from", "beginning", "--once", path("app.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_TRUE(run.output.errors.empty());
  ASSERT_EQ(run.output.records.size(), 3u) << run.stdout_text;
  EXPECT_EQ(messages_of(run.output.records),
            (std::vector<std::string>{"seen GET /a 200", "seen GET /b 503", "seen GET /c 200"}));
  for (const JsonlRecord& r : run.output.records) {
    EXPECT_EQ(r.observer, "plugin_echo");
    EXPECT_EQ(r.kind, "echo");
    EXPECT_EQ(r.severity, "notice");
    EXPECT_EQ(r.source, path("app.log"));
  }
  EXPECT_EQ(run.output.records[1].offset, 11u);
}

TEST_F(PluginCommandTest, PluginObserversRunBesideBuiltInOnes) {
  dir_.write("app.log", "one\ntwo\n");
  const Finished run =
      run_to_exit({"--observer", "lines", "--plugin", plugin("good"), "--observer", "plugin_echo",
                   "--from", "beginning", "--once", path("app.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  std::vector<std::string> kinds;
  for (const JsonlRecord& r : run.output.records) kinds.push_back(r.kind + ":" + r.message);
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"echo:one", "echo:two", "line:one", "line:two"}));
}

TEST_F(PluginCommandTest, SinkFromAPlugin) {
  dir_.write("app.log", "one\ntwo\n");
  const Finished run = run_to_exit({"--plugin", plugin("good"), "--sink", "plugin_discard",
                                    "--from", "beginning", "--once", path("app.log")});
  ASSERT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_EQ(run.stdout_text, "");
}

TEST_F(PluginCommandTest, AnUnknownObserverListsThePluginsOnesToo) {
  dir_.write("app.log", "one\n");
  const Finished run = run_to_exit({"--plugin", plugin("good"), "--observer", "plugin_ehco",
                                    "--once", path("app.log")});
  EXPECT_TRUE(run.status.exited_with(2)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_TRUE(run.stderr_text.starts_with("logtail: unknown observer 'plugin_ehco'; known "
                                          "observers: "))
      << run.stderr_text;
  EXPECT_TRUE(has_substr(run.stderr_text, "plugin_echo")) << run.stderr_text;
}

struct BadPlugin {
  const char* name;
  std::string file;  // "MISSING": a path that does not exist
  int exit_code;
  std::string message;  // after "logtail: plugin 'PATH' "
};

void PrintTo(const BadPlugin& c, std::ostream* os) { *os << c.name; }

class BadPluginTest : public CommandTest, public ::testing::WithParamInterface<BadPlugin> {};

TEST_P(BadPluginTest, IsRefusedWithOneLineBeforeAnythingIsRead) {
  const BadPlugin& c = GetParam();
  dir_.write("app.log", "one\n");
  const std::string file = c.file == "MISSING" ? path("absent.so") : c.file;
  const Finished run = run_to_exit({"--plugin", plugin("good"), "--plugin", file, "--observer",
                                    "plugin_echo", "--from", "beginning", "--once",
                                    path("app.log")});
  EXPECT_TRUE(run.status.exited_with(c.exit_code)) << run.status.describe();
  EXPECT_EQ(run.stderr_text, fmt::format("logtail: plugin '{}' {}\n", file, c.message));
  EXPECT_EQ(run.stdout_text, "");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadPluginTest,
    ::testing::Values(
        BadPlugin{"missing", "MISSING", 1,
                  "does not exist; give the path of a plugin's shared library"},
        BadPlugin{"wrong_version", plugin("wrong_version"), 1,
                  fmt::format("was built against logtail 99.7, this is {}.{}; rebuild the plugin "
                              "against this version",
                              LOGTAIL_VERSION_MAJOR, LOGTAIL_VERSION_MINOR)},
        BadPlugin{"wrong_abi", plugin("wrong_abi"), 1,
                  "uses plugin ABI 999, this logtail loads ABI 1; rebuild the plugin against "
                  "this version"},
        BadPlugin{"no_entry_point", plugin("no_entry"), 2,
                  "is not a logtail plugin: it has no logtail_plugin_v1; define the entry point "
                  "with LOGTAIL_PLUGIN(name, register_fn)"},
        BadPlugin{"loaded_twice", plugin("good"), 1,
                  "(good) could not register its observers: observer 'plugin_echo' is already "
                  "registered; register it once or pick another name"}),
    [](const ::testing::TestParamInfo<BadPlugin>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace logtail::test
