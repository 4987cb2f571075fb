// The level words shared by `incidents` (its default patterns) and `templates` (the
// severity of a new template). Pure.
#include <cstddef>

#include "logtail/observers/incidents.h"

namespace logtail::observers {
namespace {

bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lower(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (lower(text[i]) != lower_word[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<Severity> severity_of_word(std::string_view word) {
  struct Level {
    std::string_view word;
    Severity severity;
  };
  static constexpr Level kLevels[] = {{"error", Severity::error},
                                      {"warning", Severity::warning},
                                      {"warn", Severity::warning},
                                      {"fatal", Severity::critical},
                                      {"critical", Severity::critical}};
  for (const Level& level : kLevels) {
    if (equals_lower(word, level.word)) return level.severity;
  }
  return std::nullopt;
}

std::optional<Severity> line_severity(std::string_view text) {
  std::optional<Severity> highest;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_word(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word(text[end])) ++end;
    // Level words are 4 to 8 letters; skipping other lengths keeps long lines cheap.
    if (end - i >= 4 && end - i <= 8) {
      if (auto s = severity_of_word(text.substr(i, end - i)); s && (!highest || *s > *highest)) {
        highest = s;
        if (*highest == Severity::critical) break;
      }
    }
    i = end;
  }
  return highest;
}

}  // namespace logtail::observers
