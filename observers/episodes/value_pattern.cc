#include "episodes/value_pattern.h"

#include <charconv>
#include <cmath>
#include <vector>

#include <fmt/format.h>

namespace logtail::observers::episodes {
namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

Status pattern_error(std::string_view pattern, std::string_view what) {
  std::string shown(pattern.substr(0, 80));
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return Status(StatusKind::invalid_argument,
                fmt::format("episodes: value regex '{}{}': {}", shown,
                            pattern.size() > 80 ? "..." : "", what));
}

// Skips a bracket expression starting at pattern[i] == '[' and returns the index after its
// closing ']', or npos when it is not closed. ECMAScript: ']' always closes, '\' escapes.
std::size_t skip_class(std::string_view p, std::size_t i) {
  for (++i; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
      continue;
    }
    if (p[i] == ']') return i + 1;
  }
  return std::string_view::npos;
}

}  // namespace

Result<ValuePattern> translate_value_pattern(std::string_view p) {
  ValuePattern out;
  std::size_t captures = 0;
  std::vector<std::string> names;
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '\\') {
      out.ecmascript.append(p.substr(i, 2));
      i += 2;
      continue;
    }
    if (c == '[') {
      const std::size_t end = skip_class(p, i);
      if (end == std::string_view::npos)
        return pattern_error(p, "a '[' is not closed; close it with ']' or write \\[");
      out.ecmascript.append(p.substr(i, end - i));
      i = end;
      continue;
    }
    if (c != '(') {
      out.ecmascript += c;
      ++i;
      continue;
    }
    // A group. "(?<" and "(?P<" followed by a name are named captures; other "(?" forms
    // ("(?:", "(?=", "(?!", and lookbehinds std::regex rejects later) capture nothing.
    std::size_t name_at = std::string_view::npos;
    if (p.substr(i, 3) == "(?<" && i + 3 < p.size() && name_start(p[i + 3])) name_at = i + 3;
    if (p.substr(i, 4) == "(?P<") name_at = i + 4;
    if (name_at != std::string_view::npos) {
      std::size_t e = name_at;
      while (e < p.size() && name_char(p[e])) ++e;
      if (e == name_at || e >= p.size() || p[e] != '>' || !name_start(p[name_at]))
        return pattern_error(p, "a named group needs a name of letters, digits and '_' closed "
                                "by '>', e.g. (?<ms>\\d+)");
      ++captures;
      names.emplace_back(p.substr(name_at, e - name_at));
      if (names.size() == 1) {
        out.group = captures;
        out.name = names.back();
      }
      out.ecmascript += '(';
      i = e + 1;
      continue;
    }
    if (p.substr(i, 2) != "(?") ++captures;
    out.ecmascript += '(';
    ++i;
  }
  if (names.size() > 1)
    return pattern_error(p, fmt::format("has {} named groups ({}); name only the value's",
                                        names.size(), fmt::join(names, ", ")));
  if (names.empty()) {
    if (captures == 0)
      return pattern_error(p, "has no capture for the value; add one, e.g. "
                              "total_pre_upstream=(?<ms>\\d+)ms");
    out.group = 1;
  }
  return out;
}

std::string required_literal(std::string_view p) {
  std::string best;
  std::string run;
  bool last_literal = false;  // the previous token was a literal char now at the end of `run`
  int depth = 0;
  auto end_run = [&] {
    if (run.size() > best.size()) best = run;
    run.clear();
    last_literal = false;
  };
  for (std::size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '|') return {};  // an alternative may avoid any literal
    if (c == '\\') {
      const char e = i + 1 < p.size() ? p[i + 1] : '\\';
      const bool punct = !name_char(e) && static_cast<unsigned char>(e) >= 0x20;
      if (depth == 0 && punct) {
        run += e;
        last_literal = true;
      } else if (depth == 0) {
        end_run();
      }
      i += 2;
      continue;
    }
    if (c == '[') {
      const std::size_t end = skip_class(p, i);
      if (depth == 0) end_run();
      if (end == std::string_view::npos) break;
      i = end;
      continue;
    }
    if (c == '(' || c == ')') {
      if (depth == 0) end_run();
      depth += c == '(' ? 1 : -1;
      if (depth < 0) return {};
      ++i;
      continue;
    }
    if (depth > 0) {
      ++i;
      continue;
    }
    if (c == '?' || c == '*' || c == '{') {
      // The character before may be absent from a match: it leaves the run.
      if (last_literal) run.pop_back();
      end_run();
      if (c == '{') {
        const std::size_t close = p.find('}', i);
        i = close == std::string_view::npos ? p.size() : close + 1;
      } else {
        ++i;
      }
      continue;
    }
    if (c == '+') {
      // Present at least once, but what follows need not be next to it.
      end_run();
      ++i;
      continue;
    }
    if (c == '.' || c == '^' || c == '$') {
      end_run();
      ++i;
      continue;
    }
    run += c;
    last_literal = true;
    ++i;
  }
  end_run();
  return best.size() >= 2 ? best : std::string();
}

std::optional<double> read_value_ms(std::string_view text, double default_unit_ms) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  double n = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), n);
  if (res.ec != std::errc() || res.ptr == text.data() || !std::isfinite(n)) return std::nullopt;
  const std::string_view unit = trim(text.substr(static_cast<std::size_t>(res.ptr - text.data())));
  double factor = default_unit_ms;
  if (unit.empty()) factor = default_unit_ms;
  else if (unit == "ms") factor = 1.0;
  else if (unit == "s") factor = 1000.0;
  else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") factor = 0.001;
  else return std::nullopt;
  return n * factor;
}

}  // namespace logtail::observers::episodes
