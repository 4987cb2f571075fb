// Failure mode 10, first part: two `logtail` processes on one state directory. The second is
// refused at once with one line naming the directory and the holder's pid, whatever mode it
// runs in (following here, not --once); the first goes on reading and checkpointing as if
// nothing had happened.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

class StateLockTest : public CommandTest {};

TEST_F(StateLockTest, ASecondFollowerIsRefusedAtOnceAndTheFirstKeepsWorking) {
  dir_.write("app.log", "first\n");
  const std::vector<std::string> args{"--state", path("state"), "--from", "beginning",
                                      "--poll-interval", "100ms", path("app.log")};
  Run holder = start(args);
  ASSERT_TRUE(wait_for_message(holder, "first")) << holder.stderr_text();

  const auto began = std::chrono::steady_clock::now();
  const Finished second = run_to_exit(args, 10s);
  EXPECT_LT(std::chrono::steady_clock::now() - began, 5s) << "the second did not exit at once";
  EXPECT_TRUE(second.status.exited_with(1))
      << second.status.describe() << ": " << second.stderr_text;
  EXPECT_EQ(count_lines(second.stderr_text), 1u) << second.stderr_text;
  EXPECT_TRUE(second.stderr_text.starts_with("logtail: ")) << second.stderr_text;
  EXPECT_TRUE(has_substr(second.stderr_text, "state directory " + path("state")));
  EXPECT_TRUE(has_substr(second.stderr_text,
                         "(pid " + std::to_string(holder.process.pid()) + ")"));
  EXPECT_EQ(second.stdout_text, "");

  // The holder still follows the file, and its state still works: a restart after it stops
  // resumes after the last line it delivered.
  dir_.append("app.log", "second\n");
  ASSERT_TRUE(wait_for_message(holder, "second")) << holder.stderr_text();
  EXPECT_EQ(messages_of(holder.records()), (std::vector<std::string>{"first", "second"}));
  const ExitStatus status = stop(holder);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  dir_.append("app.log", "third\n");
  const Finished next = run_to_exit({"--once", "--state", path("state"), path("app.log")});
  EXPECT_TRUE(next.status.exited_with(0)) << next.stderr_text;
  EXPECT_EQ(messages_of(next.output.records), (std::vector<std::string>{"third"}));
}

}  // namespace
}  // namespace logtail::test
