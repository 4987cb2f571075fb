#include "options.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <cmath>
#include <fmt/format.h>

namespace loggen {

const char kUsage[] =
    R"(usage: logtail-loggen [OPTIONS]
Writes a realistic application log.

  --out FILE            append to FILE ('-': standard output, the default)
  --rate N              lines per second; 0 (the default) writes as fast as possible
  --seconds N           stop after N seconds (also 1.5, 500ms, 2m)
  --lines N             stop after N lines
  --bytes SIZE          stop before the output would exceed SIZE (512, 64KiB, 4MiB, 1GiB)
  --rotate-after N      rename FILE to FILE.1 after N lines (FILE.1 to FILE.2, ...) and
                        start a new FILE
  --keep N              with --rotate-after: rotated files kept, FILE.1 .. FILE.N (default 3)
  --seed N              seed of the pseudo-random content (default 1)
  --sequence            end each line with " seq=N", N counting lines from 0
  --timestamp-us        add " t_us=N": the time the line was written, in microseconds since
                        the epoch
  --incident-bursts     add bursts of ERROR, FATAL and CRITICAL lines and stack traces
  --burst-every N       average lines between two bursts (default: about 10 s of log, so
                        10 x the rate, or 10000 lines with no rate)
  --clock sim|wall      timestamps from a simulated clock starting 2026-11-26T10:00:00Z (the
                        default, so a seed always gives the same bytes) or the real clock
  --help                show this text
With no stop condition, runs until interrupted.
)";

namespace {

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<double> parse_number(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
      !std::isfinite(v) || v < 0) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::chrono::microseconds> parse_seconds(std::string_view text) {
  double scale = 1e6;
  if (text.ends_with("ms")) {
    scale = 1e3;
    text.remove_suffix(2);
  } else if (text.ends_with("s")) {
    text.remove_suffix(1);
  } else if (text.ends_with("m")) {
    scale = 60e6;
    text.remove_suffix(1);
  }
  auto v = parse_number(text);
  if (!v || *v * scale > 1e15) return std::nullopt;
  return std::chrono::microseconds(static_cast<std::int64_t>(std::llround(*v * scale)));
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  auto base = parse_uint(text.substr(0, digits));
  if (!base) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  unsigned shift = 0;
  if (unit.empty() || unit == "B") {
    shift = 0;
  } else if (unit == "k" || unit == "K" || unit == "KiB") {
    shift = 10;
  } else if (unit == "M" || unit == "MiB") {
    shift = 20;
  } else if (unit == "G" || unit == "GiB") {
    shift = 30;
  } else if (unit == "T" || unit == "TiB") {
    shift = 40;
  } else {
    return std::nullopt;
  }
  if (shift > 0 && *base > (UINT64_MAX >> shift)) return std::nullopt;
  return *base << shift;
}

namespace {

// Applies one option that takes a value. Returns an error message, or "" when it is fine.
std::string apply_value(Options& o, std::string_view name, std::string_view value) {
  if (name == "--out") {
    if (value.empty()) return "--out needs a file name, or '-' for standard output";
    o.out = std::string(value);
  } else if (name == "--rate") {
    auto v = parse_number(value);
    if (!v || *v > 1e9) {
      return fmt::format("--rate '{}' is not a rate; give lines per second, e.g. --rate 1000 "
                         "(0: as fast as possible)", value);
    }
    o.generator.rate = *v;
  } else if (name == "--seconds") {
    auto v = parse_seconds(value);
    if (!v) {
      return fmt::format("--seconds '{}' is not a duration; give e.g. --seconds 10, 1.5, "
                         "500ms or 2m", value);
    }
    o.duration = *v;
  } else if (name == "--bytes") {
    auto v = parse_size(value);
    if (!v) {
      return fmt::format("--bytes '{}' is not a size; give e.g. 512, 64KiB, 4MiB or 1GiB",
                         value);
    }
    o.max_bytes = *v;
  } else if (name == "--clock") {
    if (value != "sim" && value != "wall") {
      return fmt::format("--clock '{}' is not a clock; give sim or wall", value);
    }
    o.generator.wall_clock = value == "wall";
  } else {
    // --lines, --seed, --rotate-after, --keep, --burst-every: whole numbers.
    auto v = parse_uint(value);
    if (!v) {
      return fmt::format("{} '{}' is not a whole number; give e.g. {} 1000", name, value,
                         name);
    }
    if ((name == "--rotate-after" || name == "--burst-every") && *v == 0) {
      return fmt::format("{} must be at least 1", name);
    }
    if (name == "--lines") o.max_lines = *v;
    if (name == "--seed") o.generator.seed = *v;
    if (name == "--rotate-after") o.rotate_after = *v;
    if (name == "--keep") {
      if (*v < 1 || *v > 1000) return "--keep must be from 1 to 1000";
      o.keep = static_cast<int>(*v);
    }
    if (name == "--burst-every") o.generator.burst_every = *v;
  }
  return {};
}

void set_flag(Options& o, std::string_view name) {
  if (name == "--help" || name == "-h") o.help = true;
  if (name == "--sequence") o.generator.sequence = true;
  if (name == "--timestamp-us") o.generator.timestamp_us = true;
  if (name == "--incident-bursts") o.generator.incident_bursts = true;
}

template <std::size_t N>
bool one_of(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

constexpr std::string_view kFlags[] = {"--help", "-h", "--sequence", "--timestamp-us",
                                       "--incident-bursts"};
constexpr std::string_view kValued[] = {"--out",  "--rate",         "--seconds",
                                        "--lines", "--bytes",       "--seed",
                                        "--clock", "--rotate-after", "--burst-every",
                                        "--keep"};

}  // namespace

std::optional<Options> parse_options(const std::vector<std::string_view>& args,
                                     std::string& error) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view name = args[i];
    std::optional<std::string_view> inline_value;  // from --name=value
    if (auto eq = name.find('='); name.starts_with("--") && eq != std::string_view::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (one_of(kFlags, name)) {
      if (inline_value) {
        error = fmt::format("{} takes no value; write just {}", name, name);
        return std::nullopt;
      }
      set_flag(o, name);
      continue;
    }
    if (!one_of(kValued, name)) {
      error = fmt::format("unknown option '{}'; see logtail-loggen --help", name);
      return std::nullopt;
    }
    if (!inline_value && i + 1 >= args.size()) {
      error = fmt::format("{} needs a value; see logtail-loggen --help", name);
      return std::nullopt;
    }
    error = apply_value(o, name, inline_value ? *inline_value : args[++i]);
    if (!error.empty()) return std::nullopt;
  }
  if (o.rotate_after > 0 && o.out == "-") {
    error = "--rotate-after needs --out FILE; standard output cannot be rotated";
    return std::nullopt;
  }
  return o;
}

}  // namespace loggen
