#include "windows.h"

#include <algorithm>
#include <utility>

namespace logtail::summarizer {
namespace {

constexpr std::chrono::minutes kRatePeriod{1};
// The group that takes events of templates past max_groups.
constexpr std::uint64_t kOtherId = 0;
constexpr std::string_view kOtherText = "other lines";
// Source paths kept per window; a flood from more files is still summarized.
constexpr std::size_t kMaxSources = 1000;

// Most frequent first; ties: the earlier first.
void sort_groups(std::vector<SummaryGroup>& groups) {
  std::stable_sort(groups.begin(), groups.end(), [](const SummaryGroup& a, const SummaryGroup& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.first < b.first;
  });
}

}  // namespace

Windows::Windows(WindowOptions options) : options_(options) {
  if (options_.max_events == 0) options_.max_events = 1;
  if (options_.max_groups == 0) options_.max_groups = 1;
}

void Windows::add(const Event& event, Clock::time_point now) {
  if (events_ == 0) opened_ = now;
  ++events_;
  if (!event.source.empty() && sources_.size() < kMaxSources &&
      std::find(sources_.begin(), sources_.end(), event.source) == sources_.end()) {
    sources_.emplace_back(event.source);
  }

  const TemplateIndex::Match match = templates_.add(event.message);
  auto found = group_of_.find(match.id);
  if (found == group_of_.end()) {
    const bool full = groups_.size() + 1 >= options_.max_groups;
    const std::uint64_t id = full ? kOtherId : match.id;
    found = group_of_.find(id);
    if (found == group_of_.end()) {
      SummaryGroup group;
      group.template_id = id;
      group.text = full ? std::string(kOtherText) : match.text;
      group.example = std::string(event.message);
      group.severity = event.severity;
      group.first = now;
      groups_.push_back(std::move(group));
      found = group_of_.emplace(id, groups_.size() - 1).first;
    }
  }
  SummaryGroup& group = groups_[found->second];
  if (group.template_id != kOtherId) group.text = match.text;  // the template as grouped so far
  group.severity = std::max(group.severity, event.severity);
  group.last = now;
  ++group.count;
}

bool Windows::rate_allows(Clock::time_point now) const {
  if (options_.max_per_minute == 0) return true;
  const auto recent = std::count_if(taken_.begin(), taken_.end(), [&](Clock::time_point t) {
    return t > now - kRatePeriod;
  });
  return static_cast<std::size_t>(recent) < options_.max_per_minute;
}

bool Windows::due(Clock::time_point now) const {
  if (events_ == 0) return false;
  const bool closed = events_ >= options_.max_events || now - opened_ >= options_.window;
  return closed && rate_allows(now);
}

SummaryRequest Windows::take(Clock::time_point now) {
  SummaryRequest request;
  request.sources = std::move(sources_);
  request.window_start = opened_;
  request.window_end = std::max(now, opened_);
  request.event_count = events_;
  request.history = history_groups();
  sort_groups(groups_);
  for (SummaryGroup& group : groups_) {
    group.is_new = group.template_id != kOtherId && history_counts_.count(group.template_id) == 0;
  }
  for (const SummaryGroup& group : groups_) remember(group);
  request.groups = std::move(groups_);

  groups_.clear();
  group_of_.clear();
  sources_.clear();
  events_ = 0;

  taken_.push_back(now);
  while (!taken_.empty() && taken_.front() <= now - kRatePeriod) taken_.pop_front();
  return request;
}

void Windows::remember(const SummaryGroup& group) {
  if (options_.history_depth == 0) return;
  HistoryEntry entry{group};
  entry.group.count = std::min<std::uint64_t>(group.count, options_.history_depth);
  entry.group.is_new = false;
  history_counts_[group.template_id] += entry.group.count;
  history_events_ += entry.group.count;
  history_.push_back(std::move(entry));
  // Oldest events go first, one at a time, so the depth is exact.
  while (history_events_ > options_.history_depth) {
    HistoryEntry& oldest = history_.front();
    const std::uint64_t drop =
        std::min<std::uint64_t>(oldest.group.count, history_events_ - options_.history_depth);
    oldest.group.count -= drop;
    history_events_ -= drop;
    auto counted = history_counts_.find(oldest.group.template_id);
    counted->second -= drop;
    if (counted->second == 0) history_counts_.erase(counted);
    if (oldest.group.count == 0) history_.pop_front();
  }
}

std::vector<SummaryGroup> Windows::history_groups() const {
  // One group per template, the most recently seen first.
  std::vector<SummaryGroup> out;
  std::unordered_map<std::uint64_t, std::size_t> index;
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    const SummaryGroup& g = it->group;
    auto [found, inserted] = index.emplace(g.template_id, out.size());
    if (inserted) {
      out.push_back(g);
      continue;
    }
    SummaryGroup& merged = out[found->second];
    merged.count += g.count;
    merged.first = std::min(merged.first, g.first);
    merged.severity = std::max(merged.severity, g.severity);
  }
  return out;
}

}  // namespace logtail::summarizer
