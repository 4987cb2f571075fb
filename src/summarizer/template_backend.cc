// The template backend: one deterministic sentence per window. The rules are spelled out in
// docs/summarizer.md; tests pin exact sentences, so wording changes are deliberate.
#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "logtail/summary_backend.h"
#include "logtail/templates.h"

namespace logtail {
namespace {

// Quoted text is cut to this many bytes, at a space where there is one.
constexpr std::size_t kQuoteMax = 60;
// New groups named after "new:".
constexpr std::size_t kNewListed = 2;

// What a count of events is called: critical, errors, warnings, everything else.
enum class Kind { critical, error, warning, other };

Kind kind_of(Severity s) {
  switch (s) {
    case Severity::critical: return Kind::critical;
    case Severity::error: return Kind::error;
    case Severity::warning: return Kind::warning;
    default: return Kind::other;
  }
}

std::string counted(std::uint64_t n, Kind kind) {
  static constexpr std::array<std::array<std::string_view, 2>, 4> kNouns{{
      {"critical incident", "critical incidents"},
      {"error", "errors"},
      {"warning", "warnings"},
      {"event", "events"},
  }};
  return fmt::format("{} {}", n, kNouns[static_cast<int>(kind)][n == 1 ? 0 : 1]);
}

std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string where(const std::vector<std::string>& sources) {
  if (sources.empty()) return "logtail";
  if (sources.size() == 1) return std::string(basename(sources[0]));
  if (sources.size() == 2) {
    return fmt::format("{} and {}", basename(sources[0]), basename(sources[1]));
  }
  return fmt::format("{} and {} other files", basename(sources[0]), sources.size() - 1);
}

struct Tally {
  std::array<std::uint64_t, 4> by_kind{};
  std::uint64_t total = 0;

  explicit Tally(const SummaryRequest& request) {
    for (const SummaryGroup& g : request.groups) {
      by_kind[static_cast<int>(kind_of(g.severity))] += g.count;
      total += g.count;
    }
  }
  int kinds() const {
    return static_cast<int>(std::count_if(by_kind.begin(), by_kind.end(),
                                          [](std::uint64_t n) { return n != 0; }));
  }
  // The kind most events have; ties go to the more severe.
  Kind usual() const {
    int best = 0;
    for (int k = 1; k < 4; ++k) {
      if (by_kind[k] > by_kind[best]) best = k;
    }
    return static_cast<Kind>(best);
  }
  // "42 errors", or "42 incidents (1 critical, 41 errors)" when kinds are mixed.
  std::string phrase() const {
    if (kinds() <= 1) return counted(total, usual());
    static constexpr std::array<std::string_view, 4> kShort{"critical", "errors", "warnings",
                                                            "other"};
    static constexpr std::array<std::string_view, 4> kOne{"critical", "error", "warning",
                                                          "other"};
    std::string parts;
    for (int k = 0; k < 4; ++k) {
      if (by_kind[k] == 0) continue;
      if (!parts.empty()) parts += ", ";
      parts += fmt::format("{} {}", by_kind[k], by_kind[k] == 1 ? kOne[k] : kShort[k]);
    }
    return fmt::format("{} incidents ({})", total, parts);
  }
};

std::string span(const SummaryRequest& request) {
  using namespace std::chrono;
  const auto elapsed = duration_cast<milliseconds>(request.window_end - request.window_start);
  const auto secs = std::max<std::int64_t>(1, (elapsed.count() + 999) / 1000);
  if (secs == 1) return "in the last second";
  if (secs < 120) return fmt::format("in the last {} seconds", secs);
  return fmt::format("in the last {} minutes", (secs + 30) / 60);
}

bool is_level_word(std::string_view word, Kind usual) {
  std::string lower;
  for (char c : word) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (std::string_view("[]():|").find(c) == std::string_view::npos) {
      return false;
    }
  }
  const auto severity = parse_severity(lower);
  return severity && kind_of(*severity) == usual;
}

// A token that carries no words: a timestamp, a number, an address, punctuation.
bool is_noise(std::string_view token) {
  const std::string masked = mask_line(token);
  bool in_mask = false;
  for (char c : masked) {
    if (c == '<') in_mask = true;
    else if (c == '>') in_mask = false;
    else if (!in_mask && std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The text as spoken: leading timestamps, numbers and a level word that repeats the usual
// severity dropped, cut to kQuoteMax bytes.
std::string shown(std::string_view text, Kind usual) {
  std::string_view rest = text;
  for (;;) {
    const auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const auto end = std::min(rest.find(' '), rest.size());
    const std::string_view token = rest.substr(0, end);
    if (!is_noise(token) && !is_level_word(token, usual)) break;
    rest.remove_prefix(end);
  }
  if (rest.find_first_not_of(' ') == std::string_view::npos) rest = text;  // nothing left
  std::string out(rest);
  if (out.size() > kQuoteMax) {
    std::size_t cut = out.rfind(' ', kQuoteMax);
    if (cut == std::string::npos || cut < kQuoteMax / 2) {
      cut = kQuoteMax;
      while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    }
    out.resize(cut);
    out += "...";
  }
  return out;
}

// A group as quoted: the line itself when there is one, the template when there are more.
std::string quoted(const SummaryGroup& g, Kind usual) {
  return fmt::format("'{}'", shown(g.count == 1 ? g.example : g.text, usual));
}

// Up to `limit` groups, the most severe first, then the earliest; "'a', 'b' and 3 more".
std::string listing(std::vector<const SummaryGroup*> groups, std::size_t limit, Kind usual) {
  std::stable_sort(groups.begin(), groups.end(), [](const SummaryGroup* a, const SummaryGroup* b) {
    if (a->severity != b->severity) return a->severity > b->severity;
    return a->first < b->first;
  });
  std::string out;
  const std::size_t shown_count = std::min(limit, groups.size());
  for (std::size_t i = 0; i < shown_count; ++i) {
    if (i > 0) out += ", ";
    out += quoted(*groups[i], usual);
  }
  if (groups.size() > shown_count) out += fmt::format(" and {} more", groups.size() - shown_count);
  return out;
}

std::string detail(const SummaryRequest& request, Kind usual) {
  const auto& groups = request.groups;
  if (groups.empty()) return "";
  const SummaryGroup& top = groups.front();
  if (groups.size() == 1) {
    return top.count == 1 ? ": " + quoted(top, usual) : ", all " + quoted(top, usual);
  }
  if (top.count == 1) {
    std::vector<const SummaryGroup*> all;
    for (const SummaryGroup& g : groups) all.push_back(&g);
    return ": " + listing(all, kNewListed, usual);
  }
  std::string out = fmt::format(", mostly {} ({})", quoted(top, usual), top.count);
  std::vector<const SummaryGroup*> fresh;
  for (std::size_t i = 1; i < groups.size(); ++i) {
    if (groups[i].is_new) fresh.push_back(&groups[i]);
  }
  if (!fresh.empty()) out += "; new: " + listing(fresh, kNewListed, usual);
  return out;
}

class TemplateBackend final : public SummaryBackend {
 public:
  std::string_view name() const override { return "template"; }

  Result<Summary> summarize(const SummaryRequest& request) override {
    Summary summary;
    summary.text = template_sentence(request);
    summary.title = template_title(request);
    if (!request.groups.empty()) summary.severity = Severity::debug;
    for (const SummaryGroup& g : request.groups) {
      summary.severity = std::max(summary.severity, g.severity);
    }
    summary.backend = "template";
    return summary;
  }
};

}  // namespace

std::string template_sentence(const SummaryRequest& request) {
  const Tally tally(request);
  return fmt::format("{}: {} {}{}.", where(request.sources), tally.phrase(), span(request),
                     detail(request, tally.usual()));
}

std::string template_title(const SummaryRequest& request) {
  const Tally tally(request);
  if (tally.kinds() <= 1) {
    return fmt::format("{}: {}", where(request.sources), counted(tally.total, tally.usual()));
  }
  return fmt::format("{}: {} incidents", where(request.sources), tally.total);
}

std::unique_ptr<SummaryBackend> make_template_backend() {
  return std::make_unique<TemplateBackend>();
}

}  // namespace logtail
