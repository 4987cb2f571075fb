// The `logtail` command's options: parsed from argv by a pure function so every good and bad
// command line can be tested without running the command.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/engine.h"
#include "logtail/status.h"

namespace logtail::cli {

enum class DiagnosticsFormat { text, json };

// The summary sink's options (--summary-*, --llm-*); used when --sink summary is given.
struct SummaryOptions {
  std::chrono::milliseconds window{5000};
  std::size_t max_events = 100;
  std::size_t max_per_minute = 12;  // 0: no limit
  std::string llm_url;              // empty: the template backend
  std::string llm_model;            // empty: the OpenAI backend's default
  std::filesystem::path llm_prompt; // empty: the built-in system prompt
  std::chrono::milliseconds llm_timeout{15000};
  std::string first_option;         // the first --summary-*/--llm-* given, for messages
};

// The speaker's options (--voice, --speech-*); used when --sink speak is given.
struct SpeakOptions {
  std::string voice;                   // empty: the synth's default
  int rate = 175;                      // espeak's words per minute
  std::string speech_url;              // empty: espeak; else an OpenAI-compatible API
  std::string speech_model;            // empty: the OpenAI speech synth's default
  std::string first_option;            // the first --voice/--speech-* given, for messages
};

struct Options {
  std::vector<std::string> paths;      // files or globs, in the order given
  EngineOptions engine;                // state_dir, start_at, poll_interval, file_events, ...
  std::vector<std::string> observers;  // "NAME[=ARG]" specs; {"lines"} when none is given
  std::vector<std::string> sinks;      // "NAME[=ARG]" specs; {"jsonl"} when none is given
  SummaryOptions summary;
  SpeakOptions speak;
  // Plugin shared libraries, loaded in this order before any observer or sink is built.
  std::vector<std::filesystem::path> plugins;
  // Join continuation lines into records (--multiline, --multiline-start); off when empty.
  std::optional<MultilineOptions> multiline;
  // Print every file's health this often on standard error (--stats); zero: never.
  std::chrono::milliseconds stats_interval{0};
  bool once = false;
  bool reset_state = false;
  DiagnosticsFormat diagnostics = DiagnosticsFormat::text;
  bool help = false;     // print usage() and exit; nothing else is set
  bool version = false;  // print the version and exit; nothing else is set
};

// The name part of a "NAME[=ARG]" spec.
inline std::string_view spec_name(std::string_view spec) { return spec.substr(0, spec.find('=')); }
// The ARG part of a "NAME[=ARG]" spec; empty without one.
inline std::string_view spec_arg(std::string_view spec) {
  const auto eq = spec.find('=');
  return eq == std::string_view::npos ? std::string_view() : spec.substr(eq + 1);
}

// `args` is argv without the program name. A bad command line is an invalid_argument Status
// whose message reads "<what is wrong>; <the fix>" (the command prefixes "logtail: ").
Result<Options> parse_options(std::span<const std::string_view> args);

// The text of `logtail --help`.
std::string_view usage();

}  // namespace logtail::cli
