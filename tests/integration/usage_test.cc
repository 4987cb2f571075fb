// The `logtail` command refusing what it cannot do: bad command lines, bad or busy state.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "integration/command_fixture.h"

namespace logtail::test {
namespace {

// One non-empty line, ending in a newline.
void expect_one_line(const std::string& text) {
  EXPECT_EQ(count_lines(text), 1u) << "stderr: " << text;
  EXPECT_TRUE(text.ends_with("\n")) << "stderr: " << text;
  EXPECT_GT(text.size(), 1u);
}

struct BadUsage {
  const char* name;
  std::vector<std::string> args;  // "LOG" stands for the path of an existing log
  const char* named;              // the thing the error must name; "" for none
};

// Test names show the case's name, not its bytes.
void PrintTo(const BadUsage& c, std::ostream* os) { *os << c.name; }

class BadUsageTest : public CommandTest, public ::testing::WithParamInterface<BadUsage> {};

TEST_P(BadUsageTest, ExitsWithTwoAndOneLineNamingTheProblem) {
  dir_.write("app.log", "line\n");
  std::vector<std::string> args;
  for (const std::string& a : GetParam().args) args.push_back(a == "LOG" ? path("app.log") : a);
  const Finished run = run_to_exit(args, 10s);
  EXPECT_TRUE(run.status.exited_with(2)) << run.status.describe() << ": " << run.stderr_text;
  expect_one_line(run.stderr_text);
  EXPECT_TRUE(has_substr(run.stderr_text, GetParam().named));
  EXPECT_EQ(run.stdout_text, "");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadUsageTest,
    ::testing::Values(
        BadUsage{"unknown_option", {"--bogus", "LOG"}, "--bogus"},
        BadUsage{"bad_from", {"--from", "middle", "LOG"}, "middle"},
        BadUsage{"from_without_value", {"LOG", "--from"}, "--from"},
        BadUsage{"no_path", {"--from", "beginning"}, ""}, BadUsage{"nothing", {}, ""},
        BadUsage{"bad_max_line", {"--max-line", "lots", "LOG"}, "lots"},
        BadUsage{"bad_poll_interval", {"--poll-interval", "soon", "LOG"}, "soon"},
        BadUsage{"unknown_observer", {"--observer", "no_such_observer", "LOG"}, "no_such_observer"},
        BadUsage{"unknown_sink", {"--sink", "no_such_sink", "LOG"}, "no_such_sink"}),
    [](const ::testing::TestParamInfo<BadUsage>& info) { return std::string(info.param.name); });

struct Corruption {
  const char* name;
  // Turns a valid checkpoint file into a bad one.
  std::string (*corrupt)(const std::string& valid);
};

void PrintTo(const Corruption& c, std::ostream* os) { *os << c.name; }

class CorruptStateTest : public CommandTest, public ::testing::WithParamInterface<Corruption> {
 protected:
  // A state dir holding a bad checkpoint file; returns its bytes.
  std::string make_corrupt_state() {
    dir_.write("app.log", numbered_lines("l", 1, 5));
    const Finished ok =
        run_to_exit({"--once", "--state", path("state"), "--from", "beginning", path("app.log")});
    EXPECT_TRUE(ok.status.exited_with(0)) << ok.status.describe() << ": " << ok.stderr_text;
    const std::string valid = dir_.read("state/checkpoints");
    EXPECT_FALSE(valid.empty());
    const std::string bad = GetParam().corrupt(valid);
    dir_.write("state/checkpoints", bad);
    return bad;
  }
};

TEST_P(CorruptStateTest, ExitsWithOneAndLeavesTheFileAlone) {
  const std::string bad = make_corrupt_state();
  const Finished run = run_to_exit({"--once", "--state", path("state"), path("app.log")});
  EXPECT_TRUE(run.status.exited_with(1)) << run.status.describe() << ": " << run.stderr_text;
  expect_one_line(run.stderr_text);
  EXPECT_TRUE(has_substr(run.stderr_text, path("state/checkpoints")));
  EXPECT_EQ(run.stdout_text, "");
  EXPECT_EQ(dir_.read("state/checkpoints"), bad) << "the bad state was changed";
}

TEST_P(CorruptStateTest, ResetStateMovesItAsideAndStartsAfresh) {
  const std::string bad = make_corrupt_state();
  const Finished run = run_to_exit({"--once", "--reset-state", "--state", path("state"), "--from",
                                    "beginning", path("app.log")});
  EXPECT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_EQ(messages_of(run.output.records), numbered_messages("l", 1, 5));

  std::vector<std::string> moved;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.file("state"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("checkpoints.reset-", 0) == 0) moved.push_back(name);
  }
  ASSERT_EQ(moved.size(), 1u) << "the bad state was not moved aside";
  EXPECT_EQ(dir_.read("state/" + moved[0]), bad);

  // The new state is good: a run without --reset-state resumes from it.
  dir_.append("app.log", "l-6\n");
  const Finished next = run_to_exit({"--once", "--state", path("state"), path("app.log")});
  EXPECT_TRUE(next.status.exited_with(0)) << next.status.describe() << ": " << next.stderr_text;
  EXPECT_EQ(messages_of(next.output.records), std::vector<std::string>{"l-6"});
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CorruptStateTest,
    ::testing::Values(Corruption{"empty", [](const std::string&) { return std::string(); }},
                      Corruption{"garbage",
                                 [](const std::string&) {
                                   return std::string("not a checkpoint\n\x01\x02\xFF", 20);
                                 }},
                      Corruption{"cut_in_half",
                                 [](const std::string& v) { return v.substr(0, v.size() / 2); }},
                      Corruption{"one_byte_flipped",
                                 [](const std::string& v) {
                                   std::string s = v;
                                   s[s.size() / 2] = static_cast<char>(s[s.size() / 2] ^ 0x01);
                                   return s;
                                 }}),
    [](const ::testing::TestParamInfo<Corruption>& info) { return std::string(info.param.name); });

class StateTest : public CommandTest {};

TEST_F(StateTest, SecondCommandOnTheSameStateDirIsRefused) {
  dir_.write("app.log", "first\n");
  Run holder = start({"--state", path("state"), "--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(holder, "first")) << holder.stderr_text();

  const Finished second = run_to_exit({"--once", "--state", path("state"), path("app.log")});
  EXPECT_TRUE(second.status.exited_with(1))
      << second.status.describe() << ": " << second.stderr_text;
  expect_one_line(second.stderr_text);
  EXPECT_TRUE(has_substr(second.stderr_text, path("state")));
  EXPECT_EQ(second.stdout_text, "");

  const ExitStatus status = stop(holder);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();
}

TEST_F(StateTest, ErrorLinesStartWithTheCommandName) {
  const Finished run = run_to_exit({"--bogus"}, 10s);
  EXPECT_TRUE(run.stderr_text.starts_with("logtail: ")) << run.stderr_text;
}

}  // namespace
}  // namespace logtail::test
