// The `logtail` command on growing files: appends, lines written in pieces, odd bytes, an
// over-long line, a file that appears later, and where output goes.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "integration/command_fixture.h"

namespace logtail::test {
namespace {

class InputTest : public CommandTest {};

TEST_F(InputTest, FromEndDeliversOnlyLinesAppendedAfterStart) {
  dir_.write("app.log", numbered_lines("old", 1, 3));
  // No --from: the default is the end.
  Run run = start({path("app.log")});
  const int markers = wait_ready(run, "app.log");

  LogWriter log(dir_.file("app.log"));
  for (int i = 1; i <= 300; ++i) {
    // Mostly one write per line, sometimes ten lines in one write.
    if (i % 50 == 1 && i + 9 <= 300) {
      log.write(numbered_lines("new", i, i + 9));
      i += 9;
    } else {
      log.line("new-" + std::to_string(i));
    }
  }
  ASSERT_TRUE(wait_for_message(run, "new-300")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << "; stderr: " << run.stderr_text();

  const auto& records = run.records();
  EXPECT_TRUE(is_empty(run.follower->errors()));
  const auto rest = strip_ready(records, markers);
  EXPECT_EQ(messages_of(rest), numbered_messages("new", 1, 300));
  for (const JsonlRecord& r : records) EXPECT_EQ(r.source, path("app.log"));
  expect_offsets_match(records);
  expect_line_events(records);
}

TEST_F(InputTest, FromBeginningDeliversExistingThenAppendedLines) {
  dir_.write("app.log", numbered_lines("old", 1, 3));
  Run run = start({"--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(run, "old-3")) << run.stderr_text();
  LogWriter log(dir_.file("app.log"));
  for (int i = 1; i <= 100; ++i) log.line("new-" + std::to_string(i));
  ASSERT_TRUE(wait_for_message(run, "new-100")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << "; stderr: " << run.stderr_text();

  const auto& records = run.records();
  EXPECT_TRUE(is_empty(run.follower->errors()));
  EXPECT_EQ(messages_of(records),
            concat(numbered_messages("old", 1, 3), numbered_messages("new", 1, 100)));
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records[0].offset, 0u);
  expect_offsets_match(records);
  expect_line_events(records);
  const std::regex kTimestamp("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z");
  for (const JsonlRecord& r : records) {
    // RFC 3339 UTC with milliseconds, as documented: 2026-11-22T22:45:19.123Z.
    EXPECT_TRUE(std::regex_match(r.ts, kTimestamp)) << r.ts;
  }
}

TEST_F(InputTest, LinesWrittenInPiecesAreDeliveredWholeOnce) {
  dir_.write("app.log", "");
  dir_.write("marker.log", "");
  Run run = start({"--from", "beginning", path("app.log"), path("marker.log")});
  LogWriter app(dir_.file("app.log"));
  LogWriter marker(dir_.file("marker.log"));

  // After each piece, a complete line in another file: once it is delivered the engine has
  // had its chance to read (and wrongly deliver) the piece. Only the `complete` lines of
  // app.log written so far may have come.
  int markers = 0;
  const auto settle = [&](std::size_t complete) {
    const std::string m = "marker-" + std::to_string(++markers);
    marker.line(m);
    ASSERT_TRUE(wait_for_message(run, m)) << run.stderr_text();
    std::size_t from_app = 0;
    for (const JsonlRecord& r : run.records()) {
      if (r.source != path("app.log")) continue;
      ASSERT_LT(from_app++, complete)
          << "delivered before its newline was written: \"" << r.message << "\"";
    }
  };

  for (std::string_view piece : {"first part", " second part", " third part\r"}) {
    // The last piece splits "\r\n" between two writes.
    app.write(piece);
    settle(0);
    if (HasFatalFailure()) return;
  }
  app.write("\n");
  ASSERT_TRUE(wait_for_message(run, "first part second part third part")) << run.stderr_text();
  // A two-byte character split between writes, then several lines ending in a partial one.
  app.write("caf\xC3");
  settle(1);
  if (HasFatalFailure()) return;
  app.write("\xA9 au lait\ncomplete-1\ncomplete-2\npartial-");
  ASSERT_TRUE(wait_for_message(run, "complete-2")) << run.stderr_text();
  settle(4);
  if (HasFatalFailure()) return;
  app.write("tail\n");
  ASSERT_TRUE(wait_for_message(run, "partial-tail")) << run.stderr_text();
  marker.line("marker-last");
  ASSERT_TRUE(wait_for_message(run, "marker-last")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  std::vector<JsonlRecord> app_records;
  for (const JsonlRecord& r : run.records()) {
    if (r.source == path("app.log")) app_records.push_back(r);
  }
  EXPECT_TRUE(is_empty(run.follower->errors()));
  EXPECT_EQ(messages_of(app_records),
            (std::vector<std::string>{"first part second part third part", "caf\xC3\xA9 au lait",
                                      "complete-1", "complete-2", "partial-tail"}));
  expect_offsets_match(app_records);
}

TEST_F(InputTest, NulBytesAndInvalidUtf8RoundTripAsDocumented) {
  // Each raw line (without its newline) and what decoding the JSON string must give back.
  const std::vector<std::string> raw = {
      std::string("nul\0in the middle", 18),
      std::string("\0", 1),
      "lone \xFF byte",
      "stray \x80 continuation",
      "cut short \xC3",
      "cut short three \xE2\x82 then ascii",
      "overlong \xC0\xAF slash",
      "surrogate \xED\xA0\x80 half",
      "past max \xF4\x90\x80\x80 code point",
      "valid caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
      "quote \" backslash \\ tab \t bell \x07 escape \x1B del \x7F",
      "",
      "lone\rcarriage return",
      "\xFE\xFF\xC3\xA9\x80",
  };
  std::string file;
  std::vector<std::uint64_t> offsets;
  for (const std::string& line : raw) {
    offsets.push_back(file.size());
    file += line + "\n";
  }
  offsets.push_back(file.size());
  file += "crlf line\r\n";
  dir_.write("app.log", file);

  const Finished run = run_to_exit({"--once", "--from", "beginning", path("app.log")});
  EXPECT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  // Every complete line parsed, and simdjson's DOM parser validates UTF-8 as it goes.
  EXPECT_TRUE(is_empty(run.output.errors));
  EXPECT_EQ(run.output.incomplete_bytes, 0u);

  std::vector<std::string> expected;
  for (const std::string& line : raw) expected.push_back(json_round_trip(line));
  expected.push_back("crlf line");
  ASSERT_EQ(run.output.records.size(), expected.size()) << run.stdout_text;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const JsonlRecord& r = run.output.records[i];
    EXPECT_EQ(r.message, expected[i]) << "line " << i;
    EXPECT_EQ(r.offset, offsets[i]) << "line " << i;
    EXPECT_FALSE(r.truncated) << "line " << i;
  }
  // The raw output itself: no byte of the input's invalid UTF-8 is copied through.
  EXPECT_EQ(run.stdout_text.find('\xFF'), std::string::npos);
  EXPECT_EQ(run.stdout_text.find(std::string(1, '\0')), std::string::npos);
}

constexpr std::size_t kCap = std::size_t{1} << 20;

// "before", a line of `long_line` bytes of 'x', "after-1", "after-2".
std::string file_with_long_line(std::size_t long_line) {
  std::string file = "before\n";
  file.append(long_line, 'x');
  file += "\nafter-1\nafter-2\n";
  return file;
}

// The four records of file_with_long_line(long_line), the long line cut at the 1 MiB cap.
void expect_cut_line_records(const std::vector<JsonlRecord>& records, std::size_t long_line) {
  const std::vector<std::uint64_t> offsets = {0, 7, 7 + long_line + 1, 7 + long_line + 1 + 8};
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].message, "before");
  EXPECT_FALSE(records[0].truncated);
  EXPECT_EQ(records[1].message.size(), kCap) << "cut at the 1 MiB cap";
  EXPECT_EQ(records[1].message.find_first_not_of('x'), std::string::npos);
  EXPECT_TRUE(records[1].truncated);
  EXPECT_EQ(records[2].message, "after-1");
  EXPECT_FALSE(records[2].truncated);
  EXPECT_EQ(records[3].message, "after-2");
  EXPECT_FALSE(records[3].truncated);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(records[i].offset, offsets[i]) << "line " << i;
}

// A bound on the command's whole memory. Under the sanitizers every process carries tens of
// MiB of shadow memory and quarantine, so the bound is looser there; the growth check below,
// against a line ten times shorter, is what measures the cap in every build.
#if LOGTAIL_TEST_SANITIZED
constexpr long kRssLimitKib = 256 * 1024;
#else
constexpr long kRssLimitKib = 64 * 1024;
#endif
// A line ten times longer than the baseline's may cost at most this much more memory than
// the baseline's: far less than the 72 MiB the command would need to hold the rest of it.
constexpr long kRssGrowthLimitKib = 4 * 1024;

// The baseline's long line spans two full reads, so that both runs also read ahead during
// the catch-up (a second read buffer, allocated once).
TEST_F(InputTest, EightyMebibyteLineIsCutAtTheCapWithSmallMemory) {
  constexpr std::size_t kBaseline = (std::size_t{8} << 20) + 1;
  dir_.write("small.log", file_with_long_line(kBaseline));
  const Finished small =
      run_to_exit({"--once", "--from", "beginning", "--max-line", "1MiB", path("small.log")});
  EXPECT_TRUE(small.status.exited_with(0)) << small.status.describe() << ": " << small.stderr_text;
  expect_cut_line_records(small.output.records, kBaseline);

  constexpr std::size_t kHuge = std::size_t{80} << 20;
  dir_.write("app.log", file_with_long_line(kHuge));
  const Finished run =
      run_to_exit({"--once", "--from", "beginning", "--max-line", "1MiB", path("app.log")});
  EXPECT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_TRUE(is_empty(run.output.errors));
  expect_cut_line_records(run.output.records, kHuge);

  std::cout << "[ memory   ] VmHWM " << run.status.peak_rss_kib
            << " KiB (a line of 8 MiB: " << small.status.peak_rss_kib << " KiB)\n";
  ASSERT_GT(small.status.peak_rss_kib, 0);
  ASSERT_GT(run.status.peak_rss_kib, 0);
  EXPECT_LT(run.status.peak_rss_kib, kRssLimitKib) << "VmHWM in KiB";
  EXPECT_LT(run.status.peak_rss_kib, small.status.peak_rss_kib + kRssGrowthLimitKib)
      << "VmHWM in KiB grows with the length of the line";
}

TEST_F(InputTest, TenMebibyteLineWrittenWhileRunningIsCutAtTheCapWithSmallMemory) {
  dir_.write("app.log", "before\n");
  // The default cap is 1 MiB.
  Run run = start({"--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(run, "before")) << run.stderr_text();
  LogWriter log(dir_.file("app.log"));
  // In 1 MiB writes, so the engine meets the line growing across many reads.
  const std::string mib(kCap, 'x');
  for (int i = 0; i < 10; ++i) log.write(mib);
  log.write("\nafter-1\nafter-2\n");
  ASSERT_TRUE(wait_for_message(run, "after-2")) << run.stderr_text();
  const long hwm = run.process.peak_rss_kib();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();
  EXPECT_TRUE(is_empty(run.follower->errors()));
  expect_cut_line_records(run.records(), std::size_t{10} << 20);
  std::cout << "[ memory   ] VmHWM " << hwm << " KiB\n";
  EXPECT_GT(hwm, 0);
  EXPECT_LT(std::max(hwm, status.peak_rss_kib), kRssLimitKib) << "VmHWM in KiB";
}

TEST_F(InputTest, FileThatAppearsLaterIsReadFromItsBeginning) {
  dir_.write("ready.log", "");
  // app.log does not exist yet; --from end (the default) does not apply to it.
  Run run = start({path("ready.log"), path("app.log")});
  const int markers = wait_ready(run, "ready.log");
  dir_.write("app.log", numbered_lines("late", 1, 20));
  ASSERT_TRUE(wait_for_message(run, "late-20")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  std::vector<JsonlRecord> app_records;
  for (const JsonlRecord& r : strip_ready(run.records(), markers)) {
    if (r.source == path("app.log")) app_records.push_back(r);
  }
  EXPECT_EQ(messages_of(app_records), numbered_messages("late", 1, 20));
  ASSERT_FALSE(app_records.empty());
  EXPECT_EQ(app_records[0].offset, 0u);
  expect_offsets_match(app_records);
}

TEST_F(InputTest, OnceLeavesALineWithoutNewlineForLater) {
  dir_.write("app.log", "a\nb\npartial");
  const std::string state = path("state");
  const Finished first =
      run_to_exit({"--once", "--from", "beginning", "--state", state, path("app.log")});
  EXPECT_TRUE(first.status.exited_with(0)) << first.status.describe() << ": " << first.stderr_text;
  EXPECT_EQ(messages_of(first.output.records), (std::vector<std::string>{"a", "b"}));

  dir_.append("app.log", "-done\nc\n");
  const Finished second = run_to_exit({"--once", "--state", state, path("app.log")});
  EXPECT_TRUE(second.status.exited_with(0))
      << second.status.describe() << ": " << second.stderr_text;
  EXPECT_EQ(messages_of(second.output.records), (std::vector<std::string>{"partial-done", "c"}));
  expect_offsets_match(second.output.records);
  ASSERT_FALSE(second.output.records.empty());
  EXPECT_EQ(second.output.records[0].offset, 4u);
}

TEST_F(InputTest, OnceWithNothingToReadExits) {
  dir_.write("app.log", "a-1\n");
  // --once delivers what exists: a path or glob that matches nothing yet has nothing to give,
  // and must not be waited for.
  const Finished run = run_to_exit(
      {"--once", "--from", "beginning", path("app.log"), path("missing.log"), path("none/*.log")},
      10s);
  EXPECT_TRUE(run.status.exited_with(0)) << run.status.describe() << ": " << run.stderr_text;
  EXPECT_EQ(messages_of(run.output.records), std::vector<std::string>{"a-1"});
}

TEST_F(InputTest, OnceWithOnlyMissingPathsExits) {
  for (const char* missing : {"missing.log", "none/*.log"}) {
    const Finished run = run_to_exit({"--once", path(missing)}, 10s);
    EXPECT_TRUE(run.status.exited_with(0))
        << missing << ": " << run.status.describe() << ": " << run.stderr_text;
    EXPECT_EQ(run.stdout_text, "") << missing;
  }
}

TEST_F(InputTest, PollingAloneFollowsAppendsAndRotation) {
  dir_.write("app.log", "first\n");
  Run run =
      start({"--no-events", "--poll-interval", "100ms", "--from", "beginning", path("app.log")});
  ASSERT_TRUE(wait_for_message(run, "first")) << run.stderr_text();
  LogWriter log(dir_.file("app.log"));
  for (int i = 1; i <= 50; ++i) log.line("before-" + std::to_string(i));
  log.rotate_to(dir_.file("app.log.1"));
  for (int i = 1; i <= 50; ++i) log.line("after-" + std::to_string(i));
  ASSERT_TRUE(wait_for_message(run, "after-50")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();
  EXPECT_EQ(messages_of(run.records()),
            concat(concat({"first"}, numbered_messages("before", 1, 50)),
                   numbered_messages("after", 1, 50)));
}

TEST_F(InputTest, JsonlSinkToAFileAppends) {
  dir_.write("a.log", numbered_lines("a", 1, 3));
  dir_.write("b.log", numbered_lines("b", 1, 2));
  const std::string sink = "jsonl=" + path("events.jsonl");
  const Finished first =
      run_to_exit({"--once", "--from", "beginning", "--sink", sink, path("a.log")});
  EXPECT_TRUE(first.status.exited_with(0)) << first.status.describe() << ": " << first.stderr_text;
  const Finished second =
      run_to_exit({"--once", "--from", "beginning", "--sink", sink, path("b.log")});
  EXPECT_TRUE(second.status.exited_with(0))
      << second.status.describe() << ": " << second.stderr_text;
  EXPECT_EQ(first.stdout_text, "");
  EXPECT_EQ(second.stdout_text, "");

  const JsonlOutput events = read_jsonl(dir_.file("events.jsonl"));
  EXPECT_TRUE(is_empty(events.errors));
  EXPECT_EQ(messages_of(events.records),
            concat(numbered_messages("a", 1, 3), numbered_messages("b", 1, 2)));
}

TEST_F(InputTest, LoggenLinesArriveExactlyOnceInOrder) {
  if (loggen_bin().empty()) GTEST_FAIL() << "logtail-loggen was not built";
  dir_.write("ready.log", "ready\n");
  Run run = start({"--from", "beginning", path("ready.log"), path("app.log")});
  ASSERT_TRUE(wait_for_message(run, "ready")) << run.stderr_text();
  constexpr int kLines = 20000;
  std::string error;
  auto gen = Process::spawn({loggen_bin(), "--out", path("app.log"), "--rate", "20000", "--lines",
                             std::to_string(kLines), "--sequence"},
                            dir_.file("loggen.out"), dir_.file("loggen.err"), &error);
  ASSERT_TRUE(gen) << error;
  const auto gen_status = gen->wait(60s);
  ASSERT_TRUE(gen_status && gen_status->exited_with(0))
      << (gen_status ? gen_status->describe() : "timeout") << ": " << gen->read_stderr();
  ASSERT_TRUE(wait_for_count(run, kLines + 1)) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe();

  EXPECT_TRUE(is_empty(run.follower->errors()));
  std::vector<JsonlRecord> app_records;
  for (const JsonlRecord& r : run.records()) {
    if (r.source == path("app.log")) app_records.push_back(r);
  }
  ASSERT_EQ(app_records.size(), static_cast<std::size_t>(kLines));
  for (std::size_t i = 0; i < app_records.size(); ++i) {
    ASSERT_EQ(seq_of(app_records[i].message), i) << app_records[i].message;
  }
  expect_offsets_match(app_records);
}

}  // namespace
}  // namespace logtail::test
