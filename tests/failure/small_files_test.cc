// Failure mode 9 of issue 6, small, empty and look-alike files: 1,000 files of 0-200 bytes
// under one glob, sharing a header (many are byte-for-byte identical), half of them ending
// without a newline, half present at start and half appearing while the command runs. Every
// file is read from byte 0 and none is taken for another; a last line without its newline
// waits for it. The polling-only mode (for NFS and other file systems without events) passes
// the same test.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "failure/failure_helpers.h"

namespace logtail::test {
namespace {

constexpr int kFiles = 1000;
const std::string kHeader = "2026-11-22T10:00:00Z checkout starting pid=1\n";

std::string file_name(int i) {
  std::string n = std::to_string(i);
  return "logs/svc-" + std::string(4 - n.size(), '0') + n + ".log";
}

// File i: a prefix of the header and then body lines; a third of the files share one body,
// so files of the same size among them are identical. Even files end with a newline (or are
// empty), odd ones end inside a line (or are empty).
std::string file_content(int i) {
  std::string full = kHeader;
  for (int j = 1; full.size() < 220; ++j) {
    full += i % 3 == 0 ? "request " + std::to_string(j) + " ok\n"
                       : "request " + std::to_string(j) + " of svc " + std::to_string(i) + "\n";
  }
  std::size_t size = static_cast<std::size_t>((i * 7919) % 201);  // 0..200
  std::string content = full.substr(0, size);
  if (i % 2 == 0) {
    content.resize(content.rfind('\n') == std::string::npos ? 0 : content.rfind('\n') + 1);
  } else if (!content.empty() && content.back() == '\n') {
    content.pop_back();
  }
  return content;
}

struct Expected {
  std::string message;
  std::uint64_t offset;
};

// The complete lines of `content` and their offsets; `partial` gets what follows the last
// newline.
std::vector<Expected> complete_lines(const std::string& content, std::string* partial) {
  std::vector<Expected> out;
  std::size_t at = 0;
  for (std::size_t nl = content.find('\n'); nl != std::string::npos;
       at = nl + 1, nl = content.find('\n', at)) {
    out.push_back({content.substr(at, nl - at), at});
  }
  if (partial) *partial = content.substr(at);
  return out;
}

class SmallFilesTest : public CommandTest, public ::testing::WithParamInterface<bool> {
 protected:
  std::vector<std::string> mode_args() const {
    if (GetParam()) return {"--no-events", "--poll-interval", "100ms"};
    return {};
  }

  // `expected` and the marker file's lines.
  std::map<std::string, std::vector<Expected>> with_markers(
      std::map<std::string, std::vector<Expected>> expected,
      const std::vector<std::string>& markers) const {
    auto& lines = expected[path("marker/marker.log")];
    std::uint64_t at = 0;
    for (const std::string& line : markers) {
      lines.push_back({line, at});
      at += line.size() + 1;
    }
    return expected;
  }

  // Checks that `records` hold, for each file, exactly `expected[file]` in order.
  void expect_per_file(const std::vector<JsonlRecord>& records,
                       const std::map<std::string, std::vector<Expected>>& expected) {
    std::map<std::string, std::vector<JsonlRecord>> got;
    for (const JsonlRecord& r : records) got[r.source].push_back(r);
    for (const auto& [source, rs] : got) {
      EXPECT_TRUE(expected.contains(source)) << "records from an unexpected source " << source;
    }
    for (const auto& [source, want] : expected) {
      const std::vector<JsonlRecord>& have = got[source];
      ASSERT_EQ(have.size(), want.size()) << source;
      for (std::size_t k = 0; k < want.size(); ++k) {
        EXPECT_EQ(have[k].message, want[k].message) << source << " line " << k;
        EXPECT_EQ(have[k].offset, want[k].offset) << source << " line " << k;
      }
    }
  }
};

TEST_P(SmallFilesTest, EveryFileIsReadFromByteZeroAndNoneIsTakenForAnother) {
  std::map<std::string, std::vector<Expected>> expected;
  std::map<std::string, std::string> partials;  // file -> its last line without a newline
  std::size_t complete = 0;
  for (int i = 0; i < kFiles; ++i) {
    const std::string content = file_content(i);
    std::string partial;
    expected[path(file_name(i))] = complete_lines(content, &partial);
    complete += expected[path(file_name(i))].size();
    if (i % 2 == 1) partials[file_name(i)] = partial;
  }
  // Half the files exist at start, the rest appear while the command runs.
  for (int i = 0; i < kFiles; i += 2) dir_.write(file_name(i), file_content(i));
  dir_.write("marker/marker.log", "");
  std::vector<std::string> args = {"--from", "beginning", "--state", path("state")};
  args = concat(args, mode_args());
  args = concat(args, {path("logs/*.log"), path("marker/marker.log")});
  Run run = start(args);
  for (int i = 1; i < kFiles; i += 2) dir_.write(file_name(i), file_content(i));
  ASSERT_TRUE(wait_for_count(run, complete, 60s))
      << run.records().size() << " of " << complete << " lines; stderr: " << run.stderr_text();
  // A line in another file: once it has come, the command has had its chance to deliver a
  // line without its newline (wrongly). Only the complete lines may have come.
  dir_.append("marker/marker.log", "marker-1\n");
  ASSERT_TRUE(wait_for_message(run, "marker-1")) << run.stderr_text();
  expect_per_file(run.records(), with_markers(expected, {"marker-1"}));
  if (HasFatalFailure()) return;

  // The newlines come: each last line is delivered whole, from where it began.
  for (const auto& [name, partial] : partials) {
    dir_.append(name, "\n");
    auto& want = expected[path(name)];
    const std::uint64_t at = want.empty() ? 0 : want.back().offset + want.back().message.size() + 1;
    want.push_back({partial, at});
  }
  ASSERT_TRUE(wait_for_count(run, complete + partials.size() + 1, 60s))
      << run.records().size() << " of " << complete + partials.size() + 1
      << " lines; stderr: " << run.stderr_text();
  dir_.append("marker/marker.log", "marker-2\n");
  ASSERT_TRUE(wait_for_message(run, "marker-2")) << run.stderr_text();
  const ExitStatus status = stop(run);
  EXPECT_TRUE(status.exited_with(0)) << status.describe() << ": " << run.stderr_text();
  EXPECT_TRUE(is_empty(run.follower->errors()));
  expect_per_file(run.records(), with_markers(expected, {"marker-1", "marker-2"}));
  expect_line_events(run.records());

  // Everything was checkpointed, each file under its own name: a restart reads nothing again.
  std::vector<std::string> once = {"--once", "--state", path("state")};
  once = concat(once, mode_args());
  once = concat(once, {path("logs/*.log"), path("marker/marker.log")});
  const Finished again = run_to_exit(once);
  EXPECT_TRUE(again.status.exited_with(0)) << again.status.describe() << ": " << again.stderr_text;
  EXPECT_EQ(again.stdout_text, "");
}

INSTANTIATE_TEST_SUITE_P(Watch, SmallFilesTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "PollingOnly" : "Events"; });

}  // namespace
}  // namespace logtail::test
