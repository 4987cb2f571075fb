// The `logtail` command through rotations: rename-and-create and copytruncate while it runs,
// delete-and-recreate, and rotations (by logrotate and by hand) while it is down.
#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

#include "integration/command_fixture.h"

namespace logtail::test {
namespace {

class RotationTest : public CommandTest {
 protected:
  // Writes `bytes` to `name` as a .gz file.
  void write_gz(std::string_view name, std::string_view bytes) {
    const auto p = dir_.file(name);
    gzFile f = gzopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr) << p;
    ASSERT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
  }

  // Runs the command on app.log with a state dir until it has delivered a-1..a-8 (a-6..a-8
  // appended while it runs), then stops it with SIGTERM: the checkpoint is at the end of a-8.
  void run_until_checkpointed(const std::string& state) {
    dir_.write("app.log", numbered_lines("a", 1, 5));
    Run run = start({"--state", state, "--from", "beginning", path("app.log")});
    ASSERT_TRUE(wait_for_message(run, "a-5")) << run.stderr_text();
    dir_.append("app.log", numbered_lines("a", 6, 8));
    ASSERT_TRUE(wait_for_message(run, "a-8")) << run.stderr_text();
    const ExitStatus status = stop(run);
    ASSERT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();
    ASSERT_EQ(messages_of(run.records()), numbered_messages("a", 1, 8));
  }

  // The expected records of a --once run after two rotations while down: b-* read from
  // `oldest` (where they follow a-1..a-8), c-* from `middle`, d-* from app.log. Each keeps
  // app.log, the watched path, as its source; its offset is in the file it was read from.
  void expect_backlog(const Finished& run, const std::string& oldest, const std::string& middle) {
    EXPECT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
    EXPECT_TRUE(is_empty(run.output.errors));
    const auto& records = run.output.records;
    EXPECT_EQ(messages_of(records),
              concat(concat(numbered_messages("b", 1, 3), numbered_messages("c", 1, 3)),
                     numbered_messages("d", 1, 3)));
    for (const JsonlRecord& r : records) EXPECT_EQ(r.source, path("app.log")) << r.message;
    ASSERT_EQ(records.size(), 9u);
    // Offsets in the .gz file count uncompressed bytes: b-1 follows a-1..a-8.
    EXPECT_EQ(records[0].offset, numbered_lines("a", 1, 8).size());
    expect_offsets_in({records.begin(), records.begin() + 3}, oldest);
    expect_offsets_in({records.begin() + 3, records.begin() + 6}, middle);
    expect_offsets_in({records.begin() + 6, records.end()}, path("app.log"));
    expect_line_events(records);
  }
};

TEST_F(RotationTest, RenameRotationUnderContinuousWriting) {
  dir_.write("app.log", seq_line(0) + "\n");
  Run run = start({"--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(run, seq_line(0))) << run.stderr_text();

  constexpr std::uint64_t kLast = 20000;
  BackgroundWriter writer(dir_.file("app.log"), 1, kLast, 2000,
                          [&](LogWriter& log, std::uint64_t k) {
                            log.rotate_to(dir_.file("app.log." + std::to_string(k)));
                          });
  ASSERT_TRUE(writer.finish()) << "the writer did not finish";
  ASSERT_EQ(writer.error(), "");
  // Until every line has come (or the deadline has passed)...
  wait_until([&] { return check_seqs(run.records(), 0, kLast).missing.empty(); }, 60s, 50ms);
  // ...and then a line in the live file: once it is delivered, any late duplicate of the
  // lines before it would have been delivered too.
  dir_.append("app.log", "end\n");
  ASSERT_TRUE(wait_for_message(run, "end")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  std::vector<JsonlRecord> records = run.records();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().message, "end");
  records.pop_back();
  const SeqReport report = check_seqs(records, 0, kLast);
  EXPECT_TRUE(report.exactly_once_in_order()) << report.summary();
}

TEST_F(RotationTest, LoggenRenameRotationUnderContinuousWriting) {
  if (loggen_bin().empty()) GTEST_FAIL() << "logtail-loggen was not built";
  dir_.write("ready.log", "ready\n");
  Run run = start({"--from", "beginning", path("ready.log"), path("app.log")});
  ASSERT_TRUE(wait_for_message(run, "ready")) << run.stderr_text();
  constexpr int kLines = 30000;
  std::string error;
  auto gen = Process::spawn({loggen_bin(), "--out", path("app.log"), "--rate", "20000", "--lines",
                             std::to_string(kLines), "--sequence", "--rotate-after", "3000"},
                            dir_.file("loggen.out"), dir_.file("loggen.err"), &error);
  ASSERT_TRUE(gen) << error;
  const auto gen_status = gen->wait(60s);
  ASSERT_TRUE(gen_status && gen_status->exited_with(0))
      << (gen_status ? gen_status->describe() : "timeout") << ": " << gen->read_stderr();
  // Every line is somewhere: loggen keeps app.log.1..3, and the command holds the older
  // files open until it has read them.
  ASSERT_TRUE(wait_for_count(run, kLines + 1)) << run.stderr_text();
  dir_.append("app.log", "end\n");
  ASSERT_TRUE(wait_for_message(run, "end")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  std::vector<std::uint64_t> seqs;
  for (const JsonlRecord& r : run.records()) {
    if (r.message == "ready" || r.message == "end") continue;
    const auto n = seq_of(r.message);
    ASSERT_TRUE(n) << "not a loggen line: " << r.message;
    seqs.push_back(*n);
  }
  ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kLines));
  for (std::size_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], i);
}

TEST_F(RotationTest, CopytruncateAfterCatchingUpDeliversEachLineOnce) {
  dir_.write("app.log", "");
  Run run = start({"--from", "beginning", path("app.log")});
  LogWriter log(dir_.file("app.log"));
  std::uint64_t n = 0;
  const auto write_seqs = [&](std::uint64_t count) {
    for (std::uint64_t i = 0; i < count; ++i) log.line(seq_line(n++));
  };
  // Rounds of: write, wait until read, copy and truncate. The rounds after a truncation
  // write fewer bytes than before it (the size falls below the offset), then many more
  // in one go (the file may be longer than the old offset before the command looks again).
  for (const std::uint64_t count : {1000, 100, 5000, 10}) {
    write_seqs(count);
    ASSERT_TRUE(wait_for_message(run, seq_line(n - 1))) << run.stderr_text();
    log.copy_truncate_to(dir_.file("app.log.1"));
  }
  write_seqs(200);
  ASSERT_TRUE(wait_for_message(run, seq_line(n - 1))) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  const SeqReport report = check_seqs(run.records(), 0, n - 1);
  EXPECT_TRUE(report.exactly_once_in_order()) << report.summary();
  // The last 200 lines are in the live file from offset 0.
  std::vector<JsonlRecord> tail(
      run.records().end() - std::min<std::ptrdiff_t>(200, run.records().size()),
      run.records().end());
  ASSERT_FALSE(tail.empty());
  EXPECT_EQ(tail.front().offset, 0u);
  expect_offsets_match(tail);
}

TEST_F(RotationTest, CopytruncateUnderContinuousWriting) {
  dir_.write("app.log", seq_line(0) + "\n");
  Run run = start({"--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(run, seq_line(0))) << run.stderr_text();
  constexpr std::uint64_t kLast = 12000;
  constexpr std::uint64_t kEvery = 3000;
  BackgroundWriter writer(
      dir_.file("app.log"), 1, kLast, kEvery,
      [&](LogWriter& log, std::uint64_t) { log.copy_truncate_to(dir_.file("app.log.1")); });
  ASSERT_TRUE(writer.finish()) << "the writer did not finish";
  ASSERT_EQ(writer.error(), "");
  dir_.append("app.log", "end\n");
  ASSERT_TRUE(wait_for_message(run, "end")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  std::vector<JsonlRecord> records = run.records();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().message, "end");
  records.pop_back();
  // Copytruncate loses what was written between the command's last read and the truncation;
  // that is its nature. Nothing may come twice (no re-read of the whole file), nothing may
  // be torn, and everything after the last truncation must arrive.
  const SeqReport report = check_seqs(records, 0, kLast);
  EXPECT_TRUE(is_empty(report.duplicated)) << report.summary();
  EXPECT_TRUE(is_empty(report.torn)) << report.summary();
  EXPECT_EQ(report.out_of_order, 0u) << report.summary();
  const std::uint64_t last_truncation = kLast - kLast % kEvery;
  for (std::uint64_t m : report.missing) {
    EXPECT_LE(m, last_truncation) << "a line written after the last truncation is missing";
  }
}

class CopytruncateWhileDownTest : public RotationTest, public ::testing::WithParamInterface<int> {};

TEST_P(CopytruncateWhileDownTest, LinesAfterTheTruncationAreDeliveredFromOffsetZero) {
  const std::string state = path("state");
  dir_.write("app.log", numbered_lines("a", 1, 20));
  const Finished first =
      run_to_exit({"--once", "--state", state, "--from", "beginning", path("app.log")});
  ASSERT_TRUE(first.status.exited_with(0)) << first.status.describe() << ": " << first.stderr_text;
  ASSERT_EQ(messages_of(first.output.records), numbered_messages("a", 1, 20));

  {
    LogWriter log(dir_.file("app.log"));
    log.copy_truncate_to(dir_.file("app.log.1"));
    // Fewer bytes than were read (the size is below the offset) or more (only the
    // fingerprint tells the file was rewritten).
    log.write(numbered_lines("n", 1, GetParam()));
  }
  const Finished second = run_to_exit({"--once", "--state", state, path("app.log")});
  EXPECT_TRUE(second.status.exited_with(0))
      << second.status.describe() << ": " << second.stderr_text;
  EXPECT_EQ(messages_of(second.output.records), numbered_messages("n", 1, GetParam()));
  ASSERT_FALSE(second.output.records.empty());
  EXPECT_EQ(second.output.records[0].offset, 0u);
  for (const JsonlRecord& r : second.output.records) EXPECT_EQ(r.source, path("app.log"));
  expect_offsets_match(second.output.records);
}

INSTANTIATE_TEST_SUITE_P(ShorterAndLonger, CopytruncateWhileDownTest, ::testing::Values(3, 40));

TEST_F(RotationTest, DeleteAndRecreateDeliversTheNewFileFromOffsetZero) {
  dir_.write("app.log", numbered_lines("old", 1, 50));
  Run run = start({"--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(run, "old-50")) << run.stderr_text();
  std::filesystem::remove(dir_.file("app.log"));
  // The same first line as before and more bytes than before: neither the size nor the
  // first bytes alone tell the new file from the old one grown.
  dir_.write("app.log", "old-1\n" + numbered_lines("new", 1, 100));
  ASSERT_TRUE(wait_for_message(run, "new-100")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  const auto& records = run.records();
  EXPECT_EQ(messages_of(records), concat(concat(numbered_messages("old", 1, 50), {"old-1"}),
                                         numbered_messages("new", 1, 100)));
  ASSERT_EQ(records.size(), 151u);
  EXPECT_EQ(records[50].offset, 0u);
  expect_offsets_match({records.begin() + 50, records.end()});
}

TEST_F(RotationTest, DeleteAndRecreateLaterDeliversTheNewFile) {
  dir_.write("app.log", numbered_lines("old", 1, 5));
  dir_.write("marker.log", "");
  Run run = start({"--from", "beginning", path("app.log"), path("marker.log")});
  ASSERT_TRUE(wait_for_message(run, "old-5")) << run.stderr_text();
  std::filesystem::remove(dir_.file("app.log"));
  // A line in another file: once it is delivered, the command has had its chance to notice
  // the deletion before the new file exists.
  dir_.append("marker.log", "deleted\n");
  ASSERT_TRUE(wait_for_message(run, "deleted")) << run.stderr_text();
  dir_.write("app.log", numbered_lines("new", 1, 3));
  ASSERT_TRUE(wait_for_message(run, "new-3")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  std::vector<JsonlRecord> app_records;
  for (const JsonlRecord& r : run.records()) {
    if (r.source == path("app.log")) app_records.push_back(r);
  }
  EXPECT_EQ(messages_of(app_records),
            concat(numbered_messages("old", 1, 5), numbered_messages("new", 1, 3)));
  ASSERT_EQ(app_records.size(), 8u);
  EXPECT_EQ(app_records[5].offset, 0u);
  expect_offsets_match({app_records.begin() + 5, app_records.end()});
}

TEST_F(RotationTest, LogrotateWhileDownWithDelaycompress) {
  const std::string state = path("state");
  run_until_checkpointed(state);
  if (HasFatalFailure()) return;

  const std::string config = path("app.log") +
                             " {\n  rotate 5\n  compress\n  delaycompress\n  create\n"
                             "  missingok\n}\n";
  dir_.append("app.log", numbered_lines("b", 1, 3));
  logrotate(config);  // app.log -> app.log.1
  dir_.append("app.log", numbered_lines("c", 1, 3));
  logrotate(config);  // app.log.1 -> app.log.2.gz, app.log -> app.log.1
  dir_.append("app.log", numbered_lines("d", 1, 3));
  ASSERT_TRUE(std::filesystem::exists(dir_.file("app.log.2.gz")));
  ASSERT_TRUE(std::filesystem::exists(dir_.file("app.log.1")));

  const Finished run = run_to_exit({"--once", "--state", state, path("app.log")});
  expect_backlog(run, path("app.log.2.gz"), path("app.log.1"));

  // Everything is checkpointed: another --once delivers nothing.
  const Finished again = run_to_exit({"--once", "--state", state, path("app.log")});
  EXPECT_TRUE(again.status.exited_with(0)) << again.status.describe() << ": " << again.stderr_text;
  EXPECT_EQ(again.stdout_text, "");
}

TEST_F(RotationTest, LogrotateDateextWhileDown) {
  const std::string state = path("state");
  run_until_checkpointed(state);
  if (HasFatalFailure()) return;

  // logrotate will not rotate twice to the same dated name, so the name carries the epoch
  // seconds too (NAME-YYYYMMDD-SSSSSSSSSS), and the second rotation waits for the next second.
  const std::string config = path("app.log") +
                             " {\n  rotate 5\n  compress\n  delaycompress\n  create\n"
                             "  dateext\n  dateformat -%Y%m%d-%s\n}\n";
  dir_.append("app.log", numbered_lines("b", 1, 3));
  logrotate(config);
  const std::time_t first = std::time(nullptr);
  dir_.append("app.log", numbered_lines("c", 1, 3));
  ASSERT_TRUE(wait_until([&] { return std::time(nullptr) > first; }, 5s));
  logrotate(config);
  dir_.append("app.log", numbered_lines("d", 1, 3));

  std::string gz;
  std::string plain;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("app.log-", 0) != 0) continue;
    (name.ends_with(".gz") ? gz : plain) = entry.path().string();
  }
  ASSERT_NE(gz, "") << "logrotate made no compressed dated file";
  ASSERT_NE(plain, "") << "logrotate made no dated file";

  const Finished run = run_to_exit({"--once", "--state", state, path("app.log")});
  expect_backlog(run, gz, plain);
}

TEST_F(RotationTest, DateextNamesRotatedByHandWhileDown) {
  const std::string state = path("state");
  run_until_checkpointed(state);
  if (HasFatalFailure()) return;

  dir_.append("app.log", numbered_lines("b", 1, 3));
  std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log-20261125"));
  dir_.write("app.log", numbered_lines("c", 1, 3));
  write_gz("app.log-20261125.gz", dir_.read("app.log-20261125"));
  std::filesystem::remove(dir_.file("app.log-20261125"));
  std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log-20261126"));
  dir_.write("app.log", numbered_lines("d", 1, 3));
  // Not siblings of app.log: must not be read.
  dir_.write("app.log.bak", "bak-1\n");
  dir_.write("app.log-notes", "notes-1\n");

  const Finished run = run_to_exit({"--once", "--state", state, path("app.log")});
  expect_backlog(run, path("app.log-20261125.gz"), path("app.log-20261126"));
}

TEST_F(RotationTest, MissedRotationIsReportedNamingTheFile) {
  const std::string state = path("state");
  run_until_checkpointed(state);
  if (HasFatalFailure()) return;

  dir_.append("app.log", "lost-1\n");
  std::filesystem::rename(dir_.file("app.log"), dir_.file("app.log.1"));
  std::filesystem::remove(dir_.file("app.log.1"));
  dir_.write("app.log", numbered_lines("n", 1, 2));

  const Finished run = run_to_exit({"--once", "--state", state, path("app.log")});
  EXPECT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_TRUE(has_substr(run.stderr_text, "missed_rotation"));
  EXPECT_TRUE(has_substr(run.stderr_text, path("app.log")));
  EXPECT_EQ(messages_of(run.output.records), numbered_messages("n", 1, 2));
  expect_offsets_match(run.output.records);
}

}  // namespace
}  // namespace logtail::test
