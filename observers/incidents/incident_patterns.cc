// The default patterns and the patterns file format. Pure but for load_incident_patterns,
// which reads one file.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "incidents/pattern_check.h"
#include "logtail/observers/incidents.h"

namespace logtail::observers {

std::vector<IncidentPattern> default_incident_patterns() {
  std::vector<IncidentPattern> patterns;
  for (const std::string_view word : {"error", "warning", "warn", "fatal", "critical"}) {
    IncidentPattern p;
    p.id = std::string(word);
    p.severity = *severity_of_word(word);
    p.regex = fmt::format("(?i)\\b{}\\b", word);
    patterns.push_back(std::move(p));
  }
  return patterns;
}

bool valid_pattern_id(std::string_view id) {
  if (id.empty()) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

namespace {

Status line_error(std::string_view origin, std::size_t line, std::string message) {
  return {StatusKind::invalid_argument, fmt::format("{}:{}: {}", origin, line, message)};
}

bool blank_or_comment(std::string_view line) {
  for (const char c : line) {
    if (c == ' ' || c == '\t') continue;
    return c == '#';
  }
  return true;
}

}  // namespace

Result<std::vector<IncidentPattern>> parse_incident_patterns(std::string_view text,
                                                            std::string_view origin) {
  std::vector<IncidentPattern> patterns;
  std::map<std::string, std::size_t, std::less<>> first_line;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (blank_or_comment(line)) continue;

    std::string_view fields[3];
    for (std::string_view& field : fields) {
      const std::size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        return line_error(origin, number,
                          "expected four tab-separated fields: id, severity, label, regex "
                          "(the label may be empty, the tabs may not be left out)");
      }
      field = line.substr(0, tab);
      line.remove_prefix(tab + 1);
    }
    IncidentPattern p;
    p.id = std::string(fields[0]);
    if (!valid_pattern_id(p.id)) {
      return line_error(origin, number,
                        fmt::format("pattern id '{}' is not valid; use letters, digits, '_', "
                                    "'-' and '.'", p.id));
    }
    if (auto it = first_line.find(p.id); it != first_line.end()) {
      return line_error(origin, number,
                        fmt::format("pattern id '{}' is already used on line {}; give each "
                                    "pattern its own id", p.id, it->second));
    }
    const auto severity = parse_severity(fields[1]);
    if (!severity) {
      return line_error(origin, number,
                        fmt::format("unknown severity '{}'; use debug, info, notice, warning, "
                                    "error or critical", fields[1]));
    }
    p.severity = *severity;
    p.label = std::string(fields[2]);
    p.regex = std::string(line);
    if (p.regex.empty()) {
      return line_error(origin, number,
                        fmt::format("pattern '{}' has an empty regex; write one after the "
                                    "third tab", p.id));
    }
    first_line.emplace(p.id, number);
    patterns.push_back(std::move(p));
  }
  if (patterns.empty()) {
    return Status{StatusKind::invalid_argument,
                  fmt::format("{}: no patterns; write one per line as "
                              "id<TAB>severity<TAB>label<TAB>regex", origin)};
  }
  return patterns;
}

Result<std::vector<IncidentPattern>> load_incident_patterns(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status{StatusKind::invalid_argument,
                  fmt::format("incident patterns file '{}' is a directory; give the file",
                              path.string())};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    const StatusKind kind = err == ENOENT   ? StatusKind::not_found
                            : err == EACCES ? StatusKind::permission_denied
                                            : StatusKind::io_error;
    return Status{kind, fmt::format("cannot open incident patterns file '{}': {}",
                                    path.string(), std::strerror(err))};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Status{StatusKind::io_error,
                  fmt::format("cannot read incident patterns file '{}'", path.string())};
  }
  return parse_incident_patterns(text.str(), path.string());
}

}  // namespace logtail::observers
