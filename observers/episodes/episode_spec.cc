#include "episodes/episode_spec.h"

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace logtail::observers {
namespace episodes {
namespace {

constexpr std::string_view kExample =
    "e.g. episodes=regex:total_pre_upstream=(?<ms>\\d+)ms,threshold=500ms,gap=5s,max=60s";
constexpr std::string_view kOptionNames = "threshold, gap, max, unit, min";
// gap and max beyond this are surely a mistake (and keep time arithmetic far from overflow).
constexpr double kMaxDurationMs = 31.0 * 24 * 3600 * 1000;

Status error(std::string what) {
  for (char& c : what)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return Status(StatusKind::invalid_argument, "episodes: " + what);
}

bool is_option(std::string_view key) {
  return key == "threshold" || key == "gap" || key == "max" || key == "unit" || key == "min";
}

// "word=value" with nothing in it that a regex would need: a misspelt option.
bool looks_like_option(std::string_view item) {
  const auto eq = item.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  for (char c : item.substr(0, eq))
    if (!(c >= 'a' && c <= 'z') && c != '_') return false;
  for (char c : item.substr(eq + 1))
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || static_cast<unsigned char>(c) >= 0x80))
      return false;
  return true;
}

Result<std::chrono::milliseconds> positive_ms(double ms, std::string_view what,
                                              std::string_view example) {
  if (std::round(ms) < 1)
    return error(fmt::format("{} must be above zero (at least 1ms); a zero {} would end every "
                             "episode at once, e.g. {}={}",
                             what, what, what, example));
  if (ms > kMaxDurationMs)
    return error(fmt::format("{} must be at most 31 days", what));
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::round(ms)));
}

bool valid_path(std::string_view path) {
  return !path.empty() && path.front() != '.' && path.back() != '.' &&
         path.find("..") == std::string_view::npos;
}

}  // namespace

std::optional<ValueUnit> parse_unit(std::string_view text) {
  if (text == "us" || text == "\xC2\xB5s" || text == "\xCE\xBCs") return ValueUnit::us;
  if (text == "ms") return ValueUnit::ms;
  if (text == "s") return ValueUnit::s;
  return std::nullopt;
}

double unit_ms(ValueUnit unit) {
  switch (unit) {
    case ValueUnit::us: return 0.001;
    case ValueUnit::ms: return 1.0;
    case ValueUnit::s: return 1000.0;
  }
  return 1.0;
}

Result<double> parse_duration_ms(std::string_view text, std::string_view what) {
  if (!text.empty() && text.front() == '-')
    return error(fmt::format("{} '{}' is negative; give a positive duration like 500ms", what,
                             text));
  double n = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), n);
  if (res.ec != std::errc() || res.ptr == text.data() || !std::isfinite(n))
    return error(fmt::format("{} '{}' is not a duration; write a number and a unit (us, ms, s, "
                             "m, h), e.g. 500ms",
                             what, text));
  const std::string_view unit = text.substr(static_cast<std::size_t>(res.ptr - text.data()));
  double factor = 0;
  if (const auto u = parse_unit(unit)) factor = unit_ms(*u);
  else if (unit == "m") factor = 60'000.0;
  else if (unit == "h") factor = 3'600'000.0;
  if (factor == 0 && unit.empty())
    return error(fmt::format("{} '{}' needs a unit: us, ms, s, m or h, e.g. {}={}ms", what, text,
                             what, text));
  if (factor == 0)
    return error(fmt::format("{} '{}' has an unknown unit '{}'; use us, ms, s, m or h", what,
                             text, unit));
  return n * factor;
}

Status check_options(const EpisodeOptions& o) {
  if (o.regex.empty() == o.json_field.empty())
    return error("set exactly one value source: a regex or a JSON field");
  if (!o.json_field.empty() && !valid_path(o.json_field))
    return error(fmt::format("JSON field path '{}' is empty or has an empty part; write parts "
                             "separated by single dots, e.g. timings.total_ms",
                             o.json_field));
  if (!(o.threshold_ms > 0) || !std::isfinite(o.threshold_ms))
    return error(fmt::format("threshold must be above zero, e.g. threshold=500ms"));
  if (o.gap.count() <= 0)
    return error("gap must be above zero; a zero or negative quiet gap would end every "
                 "episode at once, e.g. gap=5s");
  if (o.max.count() <= 0) return error("max must be above zero, e.g. max=60s");
  if (o.min_lines < 1) return error("min must be at least 1 line");
  return {};
}

}  // namespace episodes

Result<EpisodeOptions> parse_episode_spec(std::string_view spec) {
  using episodes::error;
  EpisodeOptions o;
  if (spec.empty())
    return error(fmt::format("needs a spec naming where the value is and the threshold; {}",
                             episodes::kExample));
  std::string_view body;
  bool json = false;
  if (spec.substr(0, 6) == "regex:") {
    body = spec.substr(6);
  } else if (spec.substr(0, 5) == "json:") {
    body = spec.substr(5);
    json = true;
  } else {
    return error(fmt::format("spec '{}' must start with 'regex:' or 'json:'; {}", spec,
                             episodes::kExample));
  }
  // Options are taken from the end, so the pattern before them may hold commas.
  std::vector<std::pair<std::string_view, std::string_view>> options;
  for (;;) {
    const auto comma = body.rfind(',');
    if (comma == std::string_view::npos) break;
    const std::string_view item = body.substr(comma + 1);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || !episodes::is_option(item.substr(0, eq))) {
      if (episodes::looks_like_option(item))
        return error(fmt::format("unknown option '{}'; options are {} (a pattern that ends like "
                                 "an option can write its comma as [,])",
                                 item.substr(0, eq), episodes::kOptionNames));
      break;
    }
    options.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    body = body.substr(0, comma);
  }
  if (body.empty())
    return error(json ? "json: needs a field path, e.g. json:timings.total_ms"
                      : "regex: needs a pattern, e.g. regex:total=(?<ms>\\d+)ms");
  (json ? o.json_field : o.regex) = std::string(body);
  bool have_threshold = false;
  std::vector<std::string_view> seen;
  for (const auto& [key, value] : options) {
    for (std::string_view s : seen)
      if (s == key) return error(fmt::format("option '{}' is given twice; keep one", key));
    seen.push_back(key);
    if (key == "threshold") {
      auto ms = episodes::parse_duration_ms(value, "threshold");
      if (!ms.ok()) return ms.status();
      o.threshold_ms = *ms;
      have_threshold = true;
    } else if (key == "gap" || key == "max") {
      auto ms = episodes::parse_duration_ms(value, key);
      if (!ms.ok()) return ms.status();
      auto d = episodes::positive_ms(*ms, key, key == "gap" ? "5s" : "60s");
      if (!d.ok()) return d.status();
      (key == "gap" ? o.gap : o.max) = *d;
    } else if (key == "unit") {
      o.unit = episodes::parse_unit(value);
      if (!o.unit)
        return error(fmt::format("unit '{}' is not known; use us, ms or s", value));
    } else {  // min
      std::uint64_t n = 0;
      const auto res = std::from_chars(value.data(), value.data() + value.size(), n);
      if (res.ec != std::errc() || res.ptr != value.data() + value.size() || n < 1)
        return error(fmt::format("min '{}' must be a whole number of lines, at least 1", value));
      o.min_lines = n;
    }
  }
  if (!have_threshold)
    return error(fmt::format("threshold is required, e.g. threshold=500ms; {}",
                             episodes::kExample));
  if (Status st = episodes::check_options(o); !st.ok()) return st;
  return o;
}

}  // namespace logtail::observers
