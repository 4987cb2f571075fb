// logtail-loggen run as a real subprocess: stop conditions, determinism, line shapes,
// sequence numbers, rotation, pacing bounds and option errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace logtail::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (nl == std::string_view::npos) {
      ADD_FAILURE() << "output ends in a partial line: " << text;
      break;
    }
    lines.emplace_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return lines;
}

std::optional<std::uint64_t> field(std::string_view line, std::string_view key) {
  std::string pattern(" ");
  pattern.append(key);
  pattern.push_back('=');
  const auto at = line.rfind(pattern);
  if (at == std::string_view::npos) return std::nullopt;
  std::uint64_t v = 0;
  std::size_t i = at + pattern.size();
  if (i >= line.size()) return std::nullopt;
  for (; i < line.size() && line[i] != ' '; ++i) {
    if (line[i] < '0' || line[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(line[i] - '0');
  }
  return v;
}

std::uint64_t now_us() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

#ifndef LOGTAIL_LOGGEN_BIN
#define LOGTAIL_LOGGEN_BIN ""
#endif

class LoggenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string_view(LOGTAIL_LOGGEN_BIN).empty()) {
      GTEST_FAIL() << "logtail-loggen was not built (the logtail-loggen target is missing)";
    }
  }

  struct Outcome {
    ExitStatus status;
    std::string out;
    std::string err;
  };

  // Runs logtail-loggen with `args` to its end; its standard output is returned.
  Outcome run(const std::vector<std::string>& args) {
    std::vector<std::string> argv{LOGTAIL_LOGGEN_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    const int n = ++runs_;
    const auto out = dir_.file("stdout-" + std::to_string(n));
    const auto err = dir_.file("stderr-" + std::to_string(n));
    std::string error;
    auto status = run_to_end(argv, out, err, 60s, &error);
    if (!status) throw std::runtime_error(error);
    return {*status, read_file_or_empty(out), read_file_or_empty(err)};
  }

  std::string path(std::string_view name) const { return dir_.file(name).string(); }

  TempDir dir_;
  int runs_ = 0;
};

TEST_F(LoggenTest, LinesStopsAtTheExactCount) {
  for (const int n : {0, 1, 7, 1000, 25000}) {
    const Outcome o = run({"--lines", std::to_string(n), "--incident-bursts", "--burst-every",
                           "100"});
    ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
    EXPECT_EQ(split_lines(o.out).size(), static_cast<std::size_t>(n)) << "--lines " << n;
    EXPECT_EQ(o.err, "");
  }
}

TEST_F(LoggenTest, BytesStopsAtOrBelowTheSizeWithWholeLines) {
  struct Case {
    std::string size;
    std::uint64_t bytes;
  };
  for (const Case& c : {Case{"0", 0}, Case{"100", 100}, Case{"4096", 4096},
                        Case{"64KiB", 65536}, Case{"3M", 3 << 20}}) {
    const Outcome o = run({"--bytes", c.size});
    ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
    EXPECT_LE(o.out.size(), c.bytes) << "--bytes " << c.size;
    // Stopping early by more than a line would mean the size was not the stop condition.
    EXPECT_GT(o.out.size() + 1024, c.bytes) << "--bytes " << c.size;
    EXPECT_TRUE(o.out.empty() || o.out.back() == '\n') << "--bytes " << c.size;
  }
}

TEST_F(LoggenTest, TheSameSeedGivesTheSameBytes) {
  const std::vector<std::string> args{"--lines", "20000", "--incident-bursts"};
  auto with_seed = [&](const std::string& seed) {
    auto a = args;
    a.insert(a.end(), {"--seed", seed});
    const Outcome o = run(a);
    EXPECT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
    return o.out;
  };
  const std::string first = with_seed("5");
  EXPECT_EQ(with_seed("5"), first);
  EXPECT_NE(with_seed("6"), first);
  // Paced output is the same bytes too, with the simulated clock stepping at the rate.
  const Outcome paced = run({"--lines", "300", "--rate", "5000", "--seed", "5"});
  const Outcome paced_again = run({"--lines", "300", "--rate", "5000", "--seed", "5"});
  EXPECT_EQ(paced.out, paced_again.out);
  EXPECT_EQ(split_lines(paced.out).size(), 300u);
}

TEST_F(LoggenTest, SequenceNumbersEveryPhysicalLineFromZero) {
  const Outcome o = run({"--lines", "30000", "--sequence", "--incident-bursts", "--burst-every",
                         "200"});
  ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
  const auto lines = split_lines(o.out);
  ASSERT_EQ(lines.size(), 30000u);
  std::size_t continuations = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ASSERT_TRUE(lines[i].ends_with(" seq=" + std::to_string(i))) << lines[i];
    continuations += lines[i].starts_with("    ");
  }
  EXPECT_GT(continuations, 0u) << "stack trace lines carry seq= too";
}

TEST_F(LoggenTest, LinesHaveTheDocumentedShape) {
  const std::regex header(
      R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO |WARN |ERROR|FATAL|CRITICAL) )"
      R"([a-z]+\[\d+\]: \S.*$)");
  const std::regex continuation(R"(^    (at \S+.*|\.\.\. \d+ more)$)");
  struct Case {
    std::vector<std::string> args;
    bool incidents;
  };
  for (const Case& c : {Case{{"--lines", "20000"}, false},
                        Case{{"--lines", "20000", "--incident-bursts", "--burst-every", "300"},
                             true}}) {
    const Outcome o = run(c.args);
    ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
    std::map<std::string, int> levels;
    int frames = 0;
    for (const std::string& line : split_lines(o.out)) {
      if (std::regex_match(line, continuation)) {
        ++frames;
        continue;
      }
      ASSERT_TRUE(std::regex_match(line, header)) << line;
      ++levels[line.substr(25, line.find(' ', 25) - 25)];
    }
    EXPECT_GT(levels["INFO"], 8000);
    EXPECT_GT(levels["DEBUG"], 4000);
    EXPECT_GT(levels["WARN"], 100);
    if (c.incidents) {
      EXPECT_GT(levels["ERROR"], 0);
      EXPECT_GT(levels["FATAL"], 0);
      EXPECT_GT(levels["CRITICAL"], 0);
      EXPECT_GT(frames, 0);
      EXPECT_THAT(o.out, HasSubstr("db timeout after "));
      EXPECT_THAT(o.out, HasSubstr("out of memory"));
      EXPECT_THAT(o.out, HasSubstr("disk full"));
    } else {
      EXPECT_EQ(levels["ERROR"] + levels["FATAL"] + levels["CRITICAL"], 0);
      EXPECT_EQ(frames, 0);
    }
  }
}

TEST_F(LoggenTest, RotationKeepsThreeFilesAndEveryRecentLine) {
  const Outcome o = run({"--out", path("app.log"), "--lines", "1050", "--rotate-after", "100",
                         "--sequence"});
  ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
  // 1050 lines: ten full files and a current one of 50; the oldest seven were discarded.
  struct Expect {
    std::string name;
    std::uint64_t first;
    std::size_t count;
  };
  for (const Expect& e : {Expect{"app.log", 1000, 50}, Expect{"app.log.1", 900, 100},
                          Expect{"app.log.2", 800, 100}, Expect{"app.log.3", 700, 100}}) {
    const auto lines = split_lines(dir_.read(e.name));
    ASSERT_EQ(lines.size(), e.count) << e.name;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(field(lines[i], "seq"), e.first + i) << e.name << ": " << lines[i];
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.file("app.log.4")));
}

TEST_F(LoggenTest, KeepSetsHowManyRotatedFilesAreKept) {
  const Outcome o = run({"--out", path("app.log"), "--lines", "1050", "--rotate-after", "100",
                         "--keep", "6", "--sequence"});
  ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
  const auto oldest = split_lines(dir_.read("app.log.6"));
  ASSERT_EQ(oldest.size(), 100u);
  EXPECT_EQ(field(oldest[0], "seq"), 400u);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("app.log.7")));
}

TEST_F(LoggenTest, AppendsToAnExistingFile) {
  dir_.write("app.log", "existing line\n");
  const Outcome o = run({"--out", path("app.log"), "--lines", "3"});
  ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
  const auto lines = split_lines(dir_.read("app.log"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "existing line");
  EXPECT_EQ(o.out, "");
}

TEST_F(LoggenTest, TimestampUsIsTheWriteTimeAndSeqStaysLast) {
  const std::uint64_t before = now_us();
  const Outcome o = run({"--lines", "2000", "--rate", "20000", "--timestamp-us", "--sequence"});
  const std::uint64_t after = now_us();
  ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
  const auto lines = split_lines(o.out);
  ASSERT_EQ(lines.size(), 2000u);
  std::uint64_t previous = before;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto t = field(lines[i], "t_us");
    ASSERT_TRUE(t) << lines[i];
    EXPECT_GE(*t, previous) << lines[i];
    EXPECT_LE(*t, after) << lines[i];
    previous = *t;
    EXPECT_TRUE(lines[i].ends_with(" seq=" + std::to_string(i))) << lines[i];
  }
}

TEST_F(LoggenTest, PacedRunNeverWritesAheadOfTheRate) {
  // Line k is due at k / rate, so in under half a second at most 1000 lines are due.
  const Outcome o = run({"--rate", "2000", "--seconds", "0.5", "--sequence"});
  ASSERT_TRUE(o.status.exited_with(0)) << o.status.describe() << ": " << o.err;
  const auto lines = split_lines(o.out);
  EXPECT_GE(lines.size(), 1u);
  EXPECT_LE(lines.size(), 1000u);
}

TEST_F(LoggenTest, SigtermEndsAnUnboundedRunWithWholeLines) {
  std::string error;
  auto p = Process::spawn({LOGTAIL_LOGGEN_BIN, "--out", path("app.log"), "--rate", "1000",
                           "--sequence"},
                          dir_.file("out"), dir_.file("err"), &error);
  ASSERT_TRUE(p) << error;
  ASSERT_TRUE(wait_until([&] { return read_file_or_empty(dir_.file("app.log")).size() > 1000; }));
  ASSERT_TRUE(p->send(SIGTERM));
  const auto status = p->wait(30s);
  ASSERT_TRUE(status && status->exited_with(0)) << (status ? status->describe() : "timeout");
  const auto lines = split_lines(dir_.read("app.log"));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    ASSERT_EQ(field(lines[i], "seq"), i) << lines[i];
  }
}

TEST_F(LoggenTest, BadOptionsFailWithOneLineNamingTheOption) {
  struct Case {
    std::vector<std::string> args;
    std::string names;
  };
  for (const Case& c : {
           Case{{"--rate", "fast"}, "--rate 'fast'"},
           Case{{"--rate", "-5"}, "--rate '-5'"},
           Case{{"--lines", "1e3"}, "--lines '1e3'"},
           Case{{"--bytes", "2XB"}, "--bytes '2XB'"},
           Case{{"--seconds", "soon"}, "--seconds 'soon'"},
           Case{{"--seed"}, "--seed needs a value"},
           Case{{"--rotate-after", "10"}, "--rotate-after needs --out FILE"},
           Case{{"--out", "x.log", "--rotate-after", "0"}, "--rotate-after must be at least 1"},
           Case{{"--out", "x.log", "--keep", "0"}, "--keep must be from 1 to 1000"},
           Case{{"--clock", "moon"}, "--clock 'moon'"},
           Case{{"--sequence=yes"}, "--sequence takes no value"},
           Case{{"--frobnicate"}, "unknown option '--frobnicate'"},
       }) {
    const Outcome o = run(c.args);
    EXPECT_TRUE(o.status.exited_with(2)) << c.names << ": " << o.status.describe();
    EXPECT_THAT(o.err, StartsWith("logtail-loggen: ")) << c.names;
    EXPECT_THAT(o.err, HasSubstr(c.names));
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    EXPECT_EQ(o.out, "");
  }
}

TEST_F(LoggenTest, AnUnwritableOutputIsAnErrorNamingIt) {
  const Outcome o = run({"--out", path("missing/dir/app.log"), "--lines", "1"});
  EXPECT_TRUE(o.status.exited_with(1)) << o.status.describe();
  EXPECT_THAT(o.err, HasSubstr(path("missing/dir/app.log")));
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

}  // namespace
}  // namespace logtail::test
