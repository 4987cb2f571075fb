#include "resume_plan.h"

#include <algorithm>

namespace logtail {
namespace {

bool fingerprint_matches(const CheckpointEntry& e, const ResumeCandidate& c) {
  if (e.identity.fingerprint_size == 0) return true;  // an empty file has no prefix to compare
  auto hash = c.prefix_hash(e.identity.fingerprint_size);
  return hash && *hash == e.identity.fingerprint;
}

bool long_enough(const CheckpointEntry& e, const ResumeCandidate& c) {
  return !c.size || *c.size >= e.offset;
}

// The first unclaimed candidate after `after` holding the entry's file: by inode first, then
// by content alone.
std::optional<std::size_t> find_match(const CheckpointEntry& e,
                                      std::span<const ResumeCandidate> candidates,
                                      const std::vector<bool>& claimed, std::size_t after) {
  for (std::size_t i = after; i < candidates.size(); ++i) {
    const ResumeCandidate& c = candidates[i];
    if (claimed[i] || c.compressed) continue;
    if (c.device == e.identity.device && c.inode == e.identity.inode && long_enough(e, c) &&
        fingerprint_matches(e, c))
      return i;
  }
  if (e.identity.fingerprint_size == 0) return std::nullopt;  // nothing to recognise it by
  for (std::size_t i = after; i < candidates.size(); ++i) {
    const ResumeCandidate& c = candidates[i];
    if (!claimed[i] && long_enough(e, c) && fingerprint_matches(e, c)) return i;
  }
  return std::nullopt;
}

}  // namespace

ResumePlan plan_resume(std::span<const CheckpointEntry> entries,
                       std::span<const ResumeCandidate> candidates,
                       std::optional<std::size_t> live_index) {
  ResumePlan plan;
  plan.known = !entries.empty();
  std::vector<CheckpointEntry> ordered(entries.begin(), entries.end());
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.generation < b.generation; });

  std::vector<bool> claimed(candidates.size(), false);
  std::optional<std::size_t> first_match;
  std::size_t cursor = 0;  // later entries are newer files: look only past the last match
  for (const CheckpointEntry& e : ordered) {
    auto match = find_match(e, candidates, claimed, cursor);
    if (!match) {
      plan.missed.push_back(e);
      continue;
    }
    claimed[*match] = true;
    plan.reads.push_back({*match, e.offset, e.skipping});
    if (!first_match) first_match = *match;
    cursor = *match + 1;
  }

  // Files rotated in after the oldest one found are newer than anything read: from 0. With
  // no match at all only the live file is known to be new.
  std::size_t from = first_match ? *first_match + 1 : candidates.size();
  for (std::size_t i = from; i < candidates.size(); ++i)
    if (!claimed[i]) plan.reads.push_back({i, 0, false});
  if (!first_match && plan.known && live_index) plan.reads.push_back({*live_index, 0, false});

  std::sort(plan.reads.begin(), plan.reads.end(),
            [](const auto& a, const auto& b) { return a.candidate < b.candidate; });
  return plan;
}

}  // namespace logtail
