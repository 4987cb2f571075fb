// The `logtail` command's option parsing (examples/logtail/options.cc, compiled into this
// test binary).
#include "../../examples/logtail/options.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "logtail/parse.h"

namespace logtail::cli {
namespace {

using namespace std::chrono_literals;

Result<Options> parse(std::vector<std::string_view> args) { return parse_options(args); }

TEST(CliOptionsTest, DefaultsWithOnlyAPath) {
  auto options = parse({"app.log"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  const EngineOptions defaults;
  EXPECT_EQ(options->paths, (std::vector<std::string>{"app.log"}));
  EXPECT_EQ(options->engine.start_at, StartAt::end);
  EXPECT_TRUE(options->engine.state_dir.empty());
  EXPECT_EQ(options->engine.poll_interval, defaults.poll_interval);
  EXPECT_TRUE(options->engine.file_events);
  EXPECT_EQ(options->engine.max_line_bytes, defaults.max_line_bytes);
  EXPECT_EQ(options->engine.checkpoint_interval, defaults.checkpoint_interval);
  EXPECT_EQ(options->engine.max_hold_deleted, defaults.max_hold_deleted);
  EXPECT_EQ(options->observers, (std::vector<std::string>{"lines"}));
  EXPECT_EQ(options->sinks, (std::vector<std::string>{"jsonl"}));
  EXPECT_FALSE(options->once);
  EXPECT_FALSE(options->reset_state);
  EXPECT_EQ(options->diagnostics, DiagnosticsFormat::text);
  EXPECT_FALSE(options->help);
  EXPECT_FALSE(options->version);
}

TEST(CliOptionsTest, EveryOptionInBothForms) {
  const std::vector<std::vector<std::string_view>> lines = {
      {"--from", "beginning", "--state", "st", "--once", "--reset-state", "--observer", "lines",
       "--observer", "slow=2s", "--sink", "jsonl=out.jsonl", "--sink", "count",
       "--poll-interval", "250ms", "--no-events", "--max-line", "64KiB", "--diagnostics", "json",
       "a.log", "logs/*.log"},
      {"--from=beginning", "--state=st", "--once", "--reset-state", "--observer=lines",
       "--observer=slow=2s", "--sink=jsonl=out.jsonl", "--sink=count", "--poll-interval=250ms",
       "--no-events", "--max-line=64KiB", "--diagnostics=json", "a.log", "logs/*.log"},
      // Options and paths in any order.
      {"a.log", "--from", "beginning", "--state", "st", "--once", "--reset-state", "--observer",
       "lines", "--observer", "slow=2s", "logs/*.log", "--sink", "jsonl=out.jsonl", "--sink",
       "count", "--poll-interval", "250ms", "--no-events", "--max-line", "64KiB",
       "--diagnostics=json"},
  };
  for (const auto& args : lines) {
    SCOPED_TRACE(args.front());
    auto options = parse(args);
    ASSERT_TRUE(options.ok()) << options.status().message();
    EXPECT_EQ(options->paths, (std::vector<std::string>{"a.log", "logs/*.log"}));
    EXPECT_EQ(options->engine.start_at, StartAt::beginning);
    EXPECT_EQ(options->engine.state_dir, "st");
    EXPECT_TRUE(options->once);
    EXPECT_TRUE(options->reset_state);
    EXPECT_EQ(options->observers, (std::vector<std::string>{"lines", "slow=2s"}));
    EXPECT_EQ(options->sinks, (std::vector<std::string>{"jsonl=out.jsonl", "count"}));
    EXPECT_EQ(options->engine.poll_interval, 250ms);
    EXPECT_FALSE(options->engine.file_events);
    EXPECT_EQ(options->engine.max_line_bytes, 64u * 1024u);
    EXPECT_EQ(options->diagnostics, DiagnosticsFormat::json);
  }
}

TEST(CliOptionsTest, SingleValues) {
  struct Case {
    std::vector<std::string_view> args;
    StartAt start_at;
    std::chrono::milliseconds poll;
    std::size_t max_line;
  };
  const Case cases[] = {
      {{"--from", "end", "x"}, StartAt::end, 1000ms, 1u << 20},
      {{"--from", "beginning", "--from", "end", "x"}, StartAt::end, 1000ms, 1u << 20},
      {{"--poll-interval", "0", "x"}, StartAt::end, 0ms, 1u << 20},
      {{"--poll-interval=2s", "x"}, StartAt::end, 2000ms, 1u << 20},
      {{"--max-line", "1", "x"}, StartAt::end, 1000ms, 1},
      {{"--max-line", "1GiB", "x"}, StartAt::end, 1000ms, 1u << 30},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.front());
    auto options = parse(c.args);
    ASSERT_TRUE(options.ok()) << options.status().message();
    EXPECT_EQ(options->engine.start_at, c.start_at);
    EXPECT_EQ(options->engine.poll_interval, c.poll);
    EXPECT_EQ(options->engine.max_line_bytes, c.max_line);
  }
}

TEST(CliOptionsTest, CheckpointIntervalInBothFormsAndZero) {
  const std::pair<std::vector<std::string_view>, std::chrono::milliseconds> cases[] = {
      {{"--checkpoint-interval", "1s", "x"}, 1000ms},
      {{"--checkpoint-interval=20ms", "x"}, 20ms},
      {{"--checkpoint-interval", "0", "x"}, 0ms},
  };
  for (const auto& [args, interval] : cases) {
    SCOPED_TRACE(args.front());
    auto options = parse(args);
    ASSERT_TRUE(options.ok()) << options.status().message();
    EXPECT_EQ(options->engine.checkpoint_interval, interval);
  }
}

TEST(CliOptionsTest, HoldDeleted) {
  for (const auto& [arg, hold] : {std::pair{"--hold-deleted=30s", 30000ms},
                                  std::pair{"--hold-deleted=0", 0ms},
                                  std::pair{"--hold-deleted=1h", 3600000ms}}) {
    auto options = parse({arg, "x"});
    ASSERT_TRUE(options.ok()) << options.status().message();
    EXPECT_EQ(options->engine.max_hold_deleted, hold) << arg;
  }
}

TEST(CliOptionsTest, FileLimitOptions) {
  auto options = parse({"x"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->engine.idle_close, 60000ms);
  EXPECT_EQ(options->engine.max_open_files, 0u);
  EXPECT_FALSE(options->engine.max_dir_watches.has_value());
  options = parse({"--idle-close", "2s", "--max-open-files=100", "--max-dir-watches", "0", "x"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->engine.idle_close, 2000ms);
  EXPECT_EQ(options->engine.max_open_files, 100u);
  EXPECT_EQ(options->engine.max_dir_watches, std::optional<std::size_t>(0));
}

TEST(CliOptionsTest, DoubleDashEndsOptions) {
  auto options = parse({"--once", "--", "--from", "-x.log", "-"});
  // "-" after "--" is still standard input, which cannot be followed.
  ASSERT_FALSE(options.ok());
  options = parse({"--once", "--", "--from", "-x.log"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->paths, (std::vector<std::string>{"--from", "-x.log"}));
  EXPECT_TRUE(options->once);
}

TEST(CliOptionsTest, HelpAndVersionWinOverEverythingElse) {
  struct Case {
    std::vector<std::string_view> args;
    bool help;
    bool version;
  };
  const Case cases[] = {
      {{"--help"}, true, false},
      {{"-h"}, true, false},
      {{"--from", "middle", "--help"}, true, false},
      {{"--bogus", "-h", "x"}, true, false},
      {{"--version"}, false, true},
      {{"x", "--version", "--help"}, false, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.front());
    auto options = parse(c.args);
    ASSERT_TRUE(options.ok()) << options.status().message();
    EXPECT_EQ(options->help, c.help);
    EXPECT_EQ(options->version, c.version);
  }
  // After "--" it is a path.
  auto options = parse({"--", "--help"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_FALSE(options->help);
  EXPECT_EQ(options->paths, (std::vector<std::string>{"--help"}));
}

TEST(CliOptionsTest, BadCommandLinesSayWhatIsWrongAndTheFix) {
  struct Case {
    std::vector<std::string_view> args;
    std::string message;
  };
  const Case cases[] = {
      {{}, "no PATH given; name at least one file or glob to watch"},
      {{"--once"}, "no PATH given; name at least one file or glob to watch"},
      {{"--from", "middle", "x"}, "--from takes 'beginning' or 'end', not 'middle'"},
      {{"--from=Beginning", "x"}, "--from takes 'beginning' or 'end', not 'Beginning'"},
      {{"x", "--from"}, "--from needs a value; write --from beginning|end"},
      {{"--from=", "x"}, "--from needs a value; write --from beginning|end"},
      {{"--from", "--once", "x"}, "--from needs a value; write --from beginning|end"},
      {{"x", "--state"}, "--state needs a value; write --state DIR"},
      {{"x", "--observer"}, "--observer needs a value; write --observer NAME[=ARG]"},
      {{"x", "--sink="}, "--sink needs a value; write --sink NAME[=ARG]"},
      {{"x", "--poll-interval"}, "--poll-interval needs a value; write --poll-interval DURATION"},
      {{"x", "--max-line"}, "--max-line needs a value; write --max-line SIZE"},
      {{"x", "--checkpoint-interval"},
       "--checkpoint-interval needs a value; write --checkpoint-interval DURATION"},
      {{"x", "--diagnostics"}, "--diagnostics needs a value; write --diagnostics text|json"},
      {{"x", "--diagnostics", "xml"}, "--diagnostics takes 'text' or 'json', not 'xml'"},
      {{"--frob", "x"}, "unknown option '--frob'; run 'logtail --help' for the options"},
      {{"--frob=1", "x"}, "unknown option '--frob'; run 'logtail --help' for the options"},
      {{"-f", "x"}, "unknown option '-f'; run 'logtail --help' for the options"},
      {{"--From", "end", "x"}, "unknown option '--From'; run 'logtail --help' for the options"},
      {{"---from", "end", "x"}, "unknown option '---from'; run 'logtail --help' for the options"},
      {{"--once=yes", "x"}, "--once takes no value; write just --once"},
      {{"--no-events=", "x"}, "--no-events takes no value; write just --no-events"},
      {{"--reset-state", "x"},
       "--reset-state needs --state DIR; name the state directory to reset"},
      {{"--no-events", "--poll-interval", "0", "x"},
       "--no-events leaves only polling, but --poll-interval is 0; give --poll-interval a "
       "duration such as 1s"},
      {{"--max-line", "0", "x"},
       "--max-line takes a size from 1 byte to 1GiB, such as 64KiB, not '0'"},
      {{"--max-line", "2GiB", "x"},
       "--max-line takes a size from 1 byte to 1GiB, such as 64KiB, not '2GiB'"},
      {{"--max-open-files", "0", "x"},
       "--max-open-files takes a whole number from 1 up, not '0'"},
      {{"--max-dir-watches", "many", "x"},
       "--max-dir-watches takes a whole number from 0 up, not 'many'"},
      {{"-"}, "standard input cannot be followed; name a file or glob to watch"},
      {{""}, "an empty PATH was given; name a file or glob to watch"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    auto options = parse(c.args);
    ASSERT_FALSE(options.ok());
    EXPECT_EQ(options.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(options.status().message(), c.message);
  }
}

TEST(CliOptionsTest, BadDurationsAndSizesCarryTheParsersReason) {
  struct Case {
    std::vector<std::string_view> args;
    std::string message;
  };
  const Case cases[] = {
      {{"--poll-interval", "soon", "x"},
       "--poll-interval: " + parse_duration("soon").status().message()},
      {{"--poll-interval=-1s", "x"},
       "--poll-interval: " + parse_duration("-1s").status().message()},
      {{"--hold-deleted", "later", "x"},
       "--hold-deleted: " + parse_duration("later").status().message()},
      {{"--max-line", "big", "x"}, "--max-line: " + parse_size("big").status().message()},
      {{"--checkpoint-interval", "often", "x"},
       "--checkpoint-interval: " + parse_duration("often").status().message()},
      {{"--checkpoint-interval=-1s", "x"},
       "--checkpoint-interval: " + parse_duration("-1s").status().message()},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    auto options = parse(c.args);
    ASSERT_FALSE(options.ok());
    EXPECT_EQ(options.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(options.status().message(), c.message);
    // The parser's own message is not empty: the prefix alone would tell the user nothing.
    EXPECT_GT(c.message.size(), c.message.find(':') + 2);
  }
}

TEST(CliOptionsTest, UsageMentionsEveryOption) {
  const std::string_view text = usage();
  for (std::string_view option :
       {"--from", "--state", "--reset-state", "--once", "--observer", "--sink",
        "--poll-interval", "--no-events", "--max-line", "--diagnostics", "--plugin", "--help",
        "--version", "--summary-window", "--summary-events", "--summary-rate", "--llm-url",
        "--llm-model", "--llm-prompt", "--llm-timeout", "--voice", "--speech-rate",
        "--speech-url", "--speech-model", "--stats", "--hold-deleted"}) {
    EXPECT_NE(text.find(option), std::string_view::npos) << option;
  }
}

TEST(CliOptionsTest, PluginsAreKeptInTheOrderGiven) {
  struct Case {
    std::vector<std::string_view> args;
    std::vector<std::filesystem::path> plugins;
  };
  const Case cases[] = {
      {{"x"}, {}},
      {{"--plugin", "./libslow.so", "x"}, {"./libslow.so"}},
      {{"--plugin=plugins/a.so", "x", "--plugin", "/opt/b.so", "--observer", "slow=2s"},
       {"plugins/a.so", "/opt/b.so"}},
      // The same file twice is kept twice; loading it the second time is what fails.
      {{"--plugin", "a.so", "--plugin=a.so", "x"}, {"a.so", "a.so"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.front());
    auto options = parse(c.args);
    ASSERT_TRUE(options.ok()) << options.status().message();
    EXPECT_EQ(options->plugins, c.plugins);
    EXPECT_EQ(options->paths, (std::vector<std::string>{"x"}));
  }
}

TEST(CliOptionsTest, PluginNeedsAPath) {
  const std::vector<std::vector<std::string_view>> lines = {
      {"x", "--plugin"}, {"--plugin=", "x"}, {"--plugin", "--once", "x"}};
  for (const auto& args : lines) {
    auto options = parse(args);
    ASSERT_FALSE(options.ok());
    EXPECT_EQ(options.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(options.status().message(), "--plugin needs a value; write --plugin LIB.so");
  }
}

}  // namespace
}  // namespace logtail::cli

namespace logtail::cli {
namespace {

// A command line the parser must refuse, and the whole message it must give.
struct UsageErrorCase {
  std::vector<std::string_view> args;
  std::string message;
};

void expect_usage_errors(std::span<const UsageErrorCase> cases) {
  for (const UsageErrorCase& c : cases) {
    SCOPED_TRACE(c.message);
    auto options = parse_options(c.args);
    ASSERT_FALSE(options.ok());
    EXPECT_EQ(options.status().kind(), StatusKind::invalid_argument);
    EXPECT_EQ(options.status().message(), c.message);
  }
}

TEST(CliOptionsTest, SummaryDefaultsMatchTheSummarizers) {
  auto options = parse_options(std::vector<std::string_view>{"--sink", "summary", "x"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->sinks, (std::vector<std::string>{"summary"}));
  EXPECT_EQ(options->summary.window, std::chrono::seconds(5));
  EXPECT_EQ(options->summary.max_events, 100u);
  EXPECT_EQ(options->summary.max_per_minute, 12u);
  EXPECT_TRUE(options->summary.llm_url.empty());
}

TEST(CliOptionsTest, SummaryOptions) {
  auto options = parse_options(std::vector<std::string_view>{
      "--sink=summary=jsonl", "--summary-window", "2s", "--summary-events=7",
      "--summary-rate", "0", "--llm-url", "http://127.0.0.1:8080/v1", "--llm-model=tiny",
      "--llm-prompt", "prompt.txt", "--llm-timeout", "750ms", "x"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->summary.window, std::chrono::seconds(2));
  EXPECT_EQ(options->summary.max_events, 7u);
  EXPECT_EQ(options->summary.max_per_minute, 0u);
  EXPECT_EQ(options->summary.llm_url, "http://127.0.0.1:8080/v1");
  EXPECT_EQ(options->summary.llm_model, "tiny");
  EXPECT_EQ(options->summary.llm_prompt, "prompt.txt");
  EXPECT_EQ(options->summary.llm_timeout, std::chrono::milliseconds(750));
}

TEST(CliOptionsTest, BadSummaryOptionsSayWhatIsWrongAndTheFix) {
  const UsageErrorCase cases[] = {
      {{"--summary-window", "5s", "x"},
       "--summary-window configures the summary sink; add --sink summary"},
      {{"--llm-url", "http://h/v1", "--summary-rate", "1", "x"},
       "--llm-url configures the summary sink; add --sink summary"},
      {{"--sink", "summary", "--summary-window", "0s", "x"},
       "--summary-window takes a duration above zero, such as 5s"},
      {{"--sink", "summary", "--summary-events", "0", "x"},
       "--summary-events takes a whole number from 1 up, not '0'"},
      {{"--sink", "summary", "--summary-rate", "-1", "x"},
       "--summary-rate takes a whole number from 0 up, not '-1'"},
      {{"--sink", "summary", "--summary-rate", "many", "x"},
       "--summary-rate takes a whole number from 0 up, not 'many'"},
      {{"--sink", "summary", "--llm-url", "localhost:8080", "x"},
       "--llm-url takes the API's base URL, such as http://127.0.0.1:8080/v1, not "
       "'localhost:8080'"},
      {{"--sink", "summary", "--llm-model", "tiny", "x"},
       "--llm-model needs --llm-url, the OpenAI-compatible API's base URL"},
      {{"--sink", "summary", "--llm-prompt", "p.txt", "x"},
       "--llm-prompt needs --llm-url, the OpenAI-compatible API's base URL"},
      {{"--sink", "summary", "--llm-url", "http://h/v1", "--llm-timeout", "0", "x"},
       "--llm-timeout takes a duration above zero, such as 5s"},
  };
  expect_usage_errors(cases);
}

TEST(CliOptionsTest, SpeakOptions) {
  auto defaults = parse_options(std::vector<std::string_view>{"--sink", "speak", "x"});
  ASSERT_TRUE(defaults.ok()) << defaults.status().message();
  EXPECT_EQ(defaults->sinks, (std::vector<std::string>{"speak"}));
  EXPECT_EQ(defaults->speak.rate, 175);
  EXPECT_TRUE(defaults->speak.voice.empty());
  EXPECT_TRUE(defaults->speak.speech_url.empty());

  auto options = parse_options(std::vector<std::string_view>{
      "--sink", "summary", "--sink=speak=wav:out", "--voice", "en-us", "--speech-rate=220",
      "--speech-url", "http://127.0.0.1:8080/v1", "--speech-model", "tts-1-hd", "x"});
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->sinks, (std::vector<std::string>{"summary", "speak=wav:out"}));
  EXPECT_EQ(options->speak.voice, "en-us");
  EXPECT_EQ(options->speak.rate, 220);
  EXPECT_EQ(options->speak.speech_url, "http://127.0.0.1:8080/v1");
  EXPECT_EQ(options->speak.speech_model, "tts-1-hd");
}

TEST(CliOptionsTest, BadSpeakOptionsSayWhatIsWrongAndTheFix) {
  const UsageErrorCase cases[] = {
      {{"--voice", "en", "x"}, "--voice configures the speaker; add --sink speak"},
      {{"--sink", "summary", "--speech-rate", "200", "x"},
       "--speech-rate configures the speaker; add --sink speak"},
      {{"--sink", "speak", "--sink", "speak=wav:d", "x"},
       "--sink speak is given twice; one speaker plays every summary"},
      {{"--sink", "speak", "--speech-rate", "20", "x"},
       "--speech-rate takes words per minute from 80 to 450, not '20'"},
      {{"--sink", "speak", "--speech-rate", "fast", "x"},
       "--speech-rate takes words per minute from 80 to 450, not 'fast'"},
      {{"--sink", "speak", "--speech-rate", "900", "x"},
       "--speech-rate takes words per minute from 80 to 450, not '900'"},
      {{"--sink", "speak", "--speech-url", "127.0.0.1:8080", "x"},
       "--speech-url takes the API's base URL, such as http://127.0.0.1:8080/v1, not "
       "'127.0.0.1:8080'"},
      {{"--sink", "speak", "--speech-model", "tts-1", "x"},
       "--speech-model needs --speech-url, the OpenAI-compatible API's base URL"},
  };
  expect_usage_errors(cases);
}

}  // namespace
}  // namespace logtail::cli
