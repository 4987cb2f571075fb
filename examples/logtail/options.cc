#include "options.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "logtail/parse.h"

namespace logtail::cli {
namespace {

// Beyond this a single line would pin more memory than a log tailer has any business holding.
constexpr std::uint64_t kMaxLineLimit = std::uint64_t{1} << 30;

enum class Id {
  from,
  state,
  once,
  reset_state,
  checkpoint_interval,
  observer,
  sink,
  plugin,
  poll_interval,
  hold_deleted,
  no_events,
  max_line,
  multiline,
  multiline_start,
  diagnostics,
  summary_window,
  summary_events,
  summary_rate,
  llm_url,
  llm_model,
  llm_prompt,
  llm_timeout,
  voice,
  speech_rate,
  speech_url,
  speech_model,
  stats,
  idle_close,
  max_open_files,
  max_dir_watches,
};

struct Spec {
  Id id;
  std::string_view name;
  std::string_view value;  // how the value is written in messages; empty: a flag
};

constexpr std::array kSpecs{
    Spec{Id::from, "--from", "beginning|end"},
    Spec{Id::state, "--state", "DIR"},
    Spec{Id::once, "--once", ""},
    Spec{Id::reset_state, "--reset-state", ""},
    Spec{Id::checkpoint_interval, "--checkpoint-interval", "DURATION"},
    Spec{Id::observer, "--observer", "NAME[=ARG]"},
    Spec{Id::sink, "--sink", "NAME[=ARG]"},
    Spec{Id::plugin, "--plugin", "LIB.so"},
    Spec{Id::poll_interval, "--poll-interval", "DURATION"},
    Spec{Id::hold_deleted, "--hold-deleted", "DURATION"},
    Spec{Id::no_events, "--no-events", ""},
    Spec{Id::idle_close, "--idle-close", "DURATION"},
    Spec{Id::max_open_files, "--max-open-files", "N"},
    Spec{Id::max_dir_watches, "--max-dir-watches", "N"},
    Spec{Id::max_line, "--max-line", "SIZE"},
    Spec{Id::multiline, "--multiline", ""},
    Spec{Id::multiline_start, "--multiline-start", "REGEX"},
    Spec{Id::diagnostics, "--diagnostics", "text|json"},
    Spec{Id::stats, "--stats", "DURATION"},
    Spec{Id::summary_window, "--summary-window", "DURATION"},
    Spec{Id::summary_events, "--summary-events", "N"},
    Spec{Id::summary_rate, "--summary-rate", "N"},
    Spec{Id::llm_url, "--llm-url", "URL"},
    Spec{Id::llm_model, "--llm-model", "NAME"},
    Spec{Id::llm_prompt, "--llm-prompt", "FILE"},
    Spec{Id::llm_timeout, "--llm-timeout", "DURATION"},
    Spec{Id::voice, "--voice", "NAME"},
    Spec{Id::speech_rate, "--speech-rate", "WPM"},
    Spec{Id::speech_url, "--speech-url", "URL"},
    Spec{Id::speech_model, "--speech-model", "NAME"},
};

const Spec* find_spec(std::string_view name) {
  auto it = std::find_if(kSpecs.begin(), kSpecs.end(),
                         [&](const Spec& s) { return s.name == name; });
  return it == kSpecs.end() ? nullptr : &*it;
}

Status usage_error(std::string message) {
  return {StatusKind::invalid_argument, std::move(message)};
}

// A whole number from `min` up, for an option that counts something.
Result<std::size_t> parse_count(const Spec& spec, std::string_view value, std::size_t min) {
  std::size_t n = 0;
  const auto [end, err] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (err != std::errc() || end != value.data() + value.size() || n < min) {
    return usage_error(fmt::format("{} takes a whole number from {} up, not '{}'", spec.name,
                                   min, value));
  }
  return n;
}

Result<std::chrono::milliseconds> parse_positive_duration(const Spec& spec,
                                                          std::string_view value) {
  auto d = parse_duration(value);
  if (!d.ok()) return usage_error(fmt::format("{}: {}", spec.name, d.status().message()));
  if (d->count() <= 0) {
    return usage_error(fmt::format("{} takes a duration above zero, such as 5s", spec.name));
  }
  return *d;
}

Status check_api_url(const Spec& spec, std::string_view value) {
  if (value.starts_with("http://") || value.starts_with("https://")) return {};
  return usage_error(fmt::format(
      "{} takes the API's base URL, such as http://127.0.0.1:8080/v1, not '{}'", spec.name,
      value));
}

// The --summary-* and --llm-* options.
Status apply_summary(const Spec& spec, std::string_view value, SummaryOptions& out) {
  if (out.first_option.empty()) out.first_option = std::string(spec.name);
  switch (spec.id) {
    case Id::summary_window: {
      auto d = parse_positive_duration(spec, value);
      if (!d.ok()) return d.status();
      out.window = *d;
      return {};
    }
    case Id::summary_events: {
      auto n = parse_count(spec, value, 1);
      if (!n.ok()) return n.status();
      out.max_events = *n;
      return {};
    }
    case Id::summary_rate: {
      auto n = parse_count(spec, value, 0);
      if (!n.ok()) return n.status();
      out.max_per_minute = *n;
      return {};
    }
    case Id::llm_url:
      if (Status s = check_api_url(spec, value); !s.ok()) return s;
      out.llm_url = std::string(value);
      return {};
    case Id::llm_model:
      out.llm_model = std::string(value);
      return {};
    case Id::llm_prompt:
      out.llm_prompt = std::filesystem::path(value);
      return {};
    case Id::llm_timeout: {
      auto d = parse_positive_duration(spec, value);
      if (!d.ok()) return d.status();
      out.llm_timeout = *d;
      return {};
    }
    default:
      return {StatusKind::internal, "unhandled summary option"};
  }
}

// The --voice and --speech-* options.
Status apply_speak(const Spec& spec, std::string_view value, SpeakOptions& out) {
  if (out.first_option.empty()) out.first_option = std::string(spec.name);
  switch (spec.id) {
    case Id::voice:
      out.voice = std::string(value);
      return {};
    case Id::speech_rate: {
      auto n = parse_count(spec, value, 0);
      if (!n.ok() || *n < 80 || *n > 450) {
        return usage_error(fmt::format("--speech-rate takes words per minute from 80 to 450, "
                                       "not '{}'", value));
      }
      out.rate = static_cast<int>(*n);
      return {};
    }
    case Id::speech_url:
      if (Status s = check_api_url(spec, value); !s.ok()) return s;
      out.speech_url = std::string(value);
      return {};
    case Id::speech_model:
      out.speech_model = std::string(value);
      return {};
    default:
      return {StatusKind::internal, "unhandled speech option"};
  }
}

// Applies one option and its value to `out`.
Status apply(const Spec& spec, std::string_view value, Options& out) {
  switch (spec.id) {
    case Id::summary_window:
    case Id::summary_events:
    case Id::summary_rate:
    case Id::llm_url:
    case Id::llm_model:
    case Id::llm_prompt:
    case Id::llm_timeout:
      return apply_summary(spec, value, out.summary);
    case Id::voice:
    case Id::speech_rate:
    case Id::speech_url:
    case Id::speech_model:
      return apply_speak(spec, value, out.speak);
    case Id::from:
      if (value == "beginning") {
        out.engine.start_at = StartAt::beginning;
      } else if (value == "end") {
        out.engine.start_at = StartAt::end;
      } else {
        return usage_error(fmt::format("--from takes 'beginning' or 'end', not '{}'", value));
      }
      return {};
    case Id::state:
      out.engine.state_dir = std::filesystem::path(value);
      return {};
    case Id::once:
      out.once = true;
      return {};
    case Id::reset_state:
      out.reset_state = true;
      return {};
    case Id::checkpoint_interval: {
      // 0 is allowed: a save as soon as the previous one is done.
      auto interval = parse_duration(value);
      if (!interval.ok()) {
        return usage_error("--checkpoint-interval: " + interval.status().message());
      }
      out.engine.checkpoint_interval = *interval;
      return {};
    }
    case Id::observer:
      out.observers.emplace_back(value);
      return {};
    case Id::sink:
      out.sinks.emplace_back(value);
      return {};
    case Id::plugin:
      out.plugins.emplace_back(value);
      return {};
    case Id::poll_interval: {
      auto interval = parse_duration(value);
      if (!interval.ok()) return usage_error("--poll-interval: " + interval.status().message());
      out.engine.poll_interval = *interval;
      return {};
    }
    case Id::hold_deleted: {
      auto hold = parse_duration(value);
      if (!hold.ok()) return usage_error("--hold-deleted: " + hold.status().message());
      out.engine.max_hold_deleted = *hold;
      return {};
    }
    case Id::no_events:
      out.engine.file_events = false;
      return {};
    case Id::idle_close: {
      auto d = parse_duration(value);
      if (!d.ok()) return usage_error("--idle-close: " + d.status().message());
      out.engine.idle_close = *d;
      return {};
    }
    case Id::max_open_files: {
      auto n = parse_count(spec, value, 1);
      if (!n.ok()) return n.status();
      out.engine.max_open_files = *n;
      return {};
    }
    case Id::max_dir_watches: {
      auto n = parse_count(spec, value, 0);
      if (!n.ok()) return n.status();
      out.engine.max_dir_watches = *n;
      return {};
    }
    case Id::max_line: {
      auto size = parse_size(value);
      if (!size.ok()) return usage_error("--max-line: " + size.status().message());
      if (*size == 0 || *size > kMaxLineLimit) {
        return usage_error(
            fmt::format("--max-line takes a size from 1 byte to 1GiB, such as 64KiB, not '{}'",
                        value));
      }
      out.engine.max_line_bytes = static_cast<std::size_t>(*size);
      return {};
    }
    case Id::multiline:
      if (!out.multiline) out.multiline = MultilineOptions{};
      return {};
    case Id::multiline_start:
      if (value.empty())
        return usage_error("--multiline-start takes a regex that starts a record, such as "
                           "'^\\d{4}-'; give one");
      if (!out.multiline) out.multiline = MultilineOptions{};
      out.multiline->start_pattern = std::string(value);
      return {};
    case Id::stats: {
      auto d = parse_positive_duration(spec, value);
      if (!d.ok()) return d.status();
      out.stats_interval = *d;
      return {};
    }
    case Id::diagnostics:
      if (value == "text") {
        out.diagnostics = DiagnosticsFormat::text;
      } else if (value == "json") {
        out.diagnostics = DiagnosticsFormat::json;
      } else {
        return usage_error(fmt::format("--diagnostics takes 'text' or 'json', not '{}'", value));
      }
      return {};
  }
  return {StatusKind::internal, "unhandled option"};
}

// How many --sink specs name the sink `name` ("summary" or "summary=ARG").
std::size_t count_sinks(const Options& out, std::string_view name) {
  return static_cast<std::size_t>(
      std::count_if(out.sinks.begin(), out.sinks.end(),
                    [&](const std::string& spec) { return spec_name(spec) == name; }));
}

// Rules that involve more than one option, checked once all are read.
Status check_combination(const Options& out) {
  if (out.paths.empty()) {
    return usage_error("no PATH given; name at least one file or glob to watch");
  }
  if (out.reset_state && out.engine.state_dir.empty()) {
    return usage_error("--reset-state needs --state DIR; name the state directory to reset");
  }
  if (!out.summary.first_option.empty() && count_sinks(out, "summary") == 0) {
    return usage_error(fmt::format("{} configures the summary sink; add --sink summary",
                                   out.summary.first_option));
  }
  const std::size_t speakers = count_sinks(out, "speak");
  if (!out.speak.first_option.empty() && speakers == 0) {
    return usage_error(fmt::format("{} configures the speaker; add --sink speak",
                                   out.speak.first_option));
  }
  if (speakers > 1) {
    return usage_error("--sink speak is given twice; one speaker plays every summary");
  }
  if (out.speak.speech_url.empty() && !out.speak.speech_model.empty()) {
    return usage_error("--speech-model needs --speech-url, the OpenAI-compatible API's base URL");
  }
  if (out.summary.llm_url.empty() &&
      (!out.summary.llm_model.empty() || !out.summary.llm_prompt.empty())) {
    return usage_error(
        fmt::format("{} needs --llm-url, the OpenAI-compatible API's base URL",
                    out.summary.llm_model.empty() ? "--llm-prompt" : "--llm-model"));
  }
  if (!out.engine.file_events && out.engine.poll_interval.count() == 0) {
    return usage_error(
        "--no-events leaves only polling, but --poll-interval is 0; give --poll-interval a "
        "duration such as 1s");
  }
  return {};
}

Status add_path(std::string_view arg, Options& out) {
  if (arg.empty()) return usage_error("an empty PATH was given; name a file or glob to watch");
  if (arg == "-") {
    return usage_error("standard input cannot be followed; name a file or glob to watch");
  }
  out.paths.emplace_back(arg);
  return {};
}

// --help and --version win over everything else on the line, bad options included, so a
// user who is lost can always get the usage.
std::optional<Options> help_or_version(std::span<const std::string_view> args) {
  for (std::string_view arg : args) {
    if (arg == "--") break;
    Options out;
    if (arg == "-h" || arg == "--help") {
      out.help = true;
      return out;
    }
    if (arg == "--version") {
      out.version = true;
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Options> parse_options(std::span<const std::string_view> args) {
  if (auto early = help_or_version(args)) return std::move(*early);

  Options out;
  bool only_paths = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (only_paths || arg.size() < 2 || arg[0] != '-') {
      if (Status s = add_path(arg, out); !s.ok()) return s;
      continue;
    }
    if (arg == "--") {
      only_paths = true;
      continue;
    }
    const auto eq = arg.find('=');
    const std::string_view name = arg.substr(0, eq);
    const Spec* spec = arg.starts_with("--") ? find_spec(name) : nullptr;
    if (spec == nullptr) {
      return usage_error(
          fmt::format("unknown option '{}'; run 'logtail --help' for the options", name));
    }
    if (spec->value.empty()) {
      if (eq != std::string_view::npos) {
        return usage_error(fmt::format("{} takes no value; write just {}", name, name));
      }
      if (Status s = apply(*spec, {}, out); !s.ok()) return s;
      continue;
    }
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size() && !args[i + 1].starts_with("--")) {
      value = args[++i];
    }
    if (value.empty()) {
      return usage_error(fmt::format("{} needs a value; write {} {}", name, name, spec->value));
    }
    if (Status s = apply(*spec, value, out); !s.ok()) return s;
  }
  if (Status s = check_combination(out); !s.ok()) return s;
  if (out.observers.empty()) out.observers.emplace_back("lines");
  if (out.sinks.empty()) out.sinks.emplace_back("jsonl");
  return out;
}

std::string_view usage() {
  return R"(Usage: logtail [OPTIONS] PATH...

Follows each PATH (a file or a glob such as 'logs/*.log') like tail -F, through rotations
and restarts, and writes what the observers find to the sinks: by default every new line
as one JSON object on standard output.

Options:
  --from beginning|end     where to start a file that has no checkpoint (default: end)
  --state DIR              keep checkpoints in DIR: a restart resumes after the last line
                           every sink acknowledged
  --reset-state            move DIR's checkpoints aside first and start afresh (needs --state)
  --checkpoint-interval DURATION
                           write checkpoints at most this often; after a crash, up to about
                           this much of the lines before it come again (default: 250ms)
  --once                   deliver what exists now, rotated backlog included, then exit
  --observer NAME[=ARG]    add an observer (repeatable; default: lines)
  --sink NAME[=ARG]        add a sink (repeatable; default: jsonl on standard output);
                           jsonl=FILE appends to FILE
  --plugin LIB.so          load observers and sinks from a plugin library first, so that
                           --observer and --sink can name them (repeatable)
  --poll-interval DURATION stat every file this often as well, e.g. 500ms, 2s; 0 turns the
                           poll off (default: 1s)
  --hold-deleted DURATION  keep a rotated file that was deleted before it was read to its
                           end open this long while sinks lag, then close it and report
                           its unread bytes as lost (default: 5m)
  --no-events              do not use file events; poll only (NFS and the like)
  --idle-close DURATION    close a file read to its end after this long without new lines;
                           it is opened again when it changes; 0: never (default: 1m)
  --max-open-files N       hold at most N files open; the idle ones are closed first
                           (default: half the open-file limit, ulimit -n)
  --max-dir-watches N      watch at most N directories for file events; the files of the
                           others are polled every --poll-interval (default: no limit)
  --max-line SIZE          cut lines longer than SIZE, e.g. 64KiB (default: 1MiB)
  --multiline              join stack traces and tracebacks to the line that started them
  --multiline-start REGEX  with --multiline: a line matching REGEX starts a record
  --diagnostics text|json  how diagnostics are written to standard error (default: text)
  --stats DURATION         every DURATION, one line per file on standard error: offsets,
                           lag, watch mode, conditions (JSON with --diagnostics json)

Summaries (--sink summary prints one sentence per burst of events; summary=jsonl prints
JSON lines, summary=FILE appends them to FILE):
  --summary-window DURATION  close a window after this long (default: 5s)
  --summary-events N         or after N events, whichever comes first (default: 100)
  --summary-rate N           at most N summaries a minute; 0: no limit (default: 12)
  --llm-url URL              summarize with an OpenAI-compatible API at URL, such as
                             http://127.0.0.1:8080/v1; the key comes from LOGTAIL_LLM_API_KEY
                             or OPENAI_API_KEY; on any failure the template sentence is used
  --llm-model NAME           the model to ask (default: gpt-4o-mini)
  --llm-prompt FILE          replace the built-in system prompt with FILE's text
  --llm-timeout DURATION     give up on one request after this long (default: 15s)

Speech (--sink speak reads each summary aloud; with no --sink summary, the summaries are
only spoken. speak=OUTPUT: device (the default; SDL's dummy driver when there is no sound
device), dummy, disk[:FILE] (raw audio into FILE), wav:DIR (a WAV file per summary)):
  --voice NAME               the voice (default: en for espeak-ng, alloy for --speech-url);
                             'espeak-ng --voices' lists espeak-ng's
  --speech-rate WPM          espeak-ng's words per minute, 80 to 450 (default: 175)
  --speech-url URL           speak through an OpenAI-compatible /audio/speech API at URL;
                             on any failure espeak-ng speaks instead
  --speech-model NAME        the speech model to ask (default: tts-1)
  -h, --help               show this help and exit
  --version                show the version and exit

Every observer is routed to every sink. Exit status: 0 on success and after SIGINT or
SIGTERM, 1 when a file, the state or a sink fails, 2 for a bad command line.
)";
}

}  // namespace logtail::cli
