#include "commit_tracker.h"

namespace logtail {

std::uint64_t CommitTracker::open(std::uint64_t end_offset, bool skipping, std::uint64_t bytes) {
  if (records_.empty()) first_seq_ = next_seq_;
  records_.push_back({end_offset, bytes, 0, skipping, false, false});
  inflight_bytes_ += bytes;
  return next_seq_++;
}

CommitTracker::Record* CommitTracker::find(std::uint64_t seq) {
  if (records_.empty() || seq < first_seq_ || seq - first_seq_ >= records_.size()) return nullptr;
  return &records_[seq - first_seq_];
}

void CommitTracker::add_pending(std::uint64_t seq) {
  if (Record* r = find(seq)) ++r->pending;
}

bool CommitTracker::settle(std::uint64_t seq, bool failed) {
  Record* r = find(seq);
  if (r == nullptr || r->pending == 0) return false;
  --r->pending;
  if (failed) r->failed = true;
  return advance();
}

void CommitTracker::fail(std::uint64_t seq) {
  if (Record* r = find(seq)) r->failed = true;
}

bool CommitTracker::seal(std::uint64_t seq) {
  Record* r = find(seq);
  if (r == nullptr) return false;
  r->sealed = true;
  return advance();
}

void CommitTracker::reset(std::uint64_t offset) {
  records_.clear();
  committed_ = offset;
  committed_skipping_ = false;
  inflight_bytes_ = 0;
}

bool CommitTracker::advance() {
  bool moved = false;
  while (!records_.empty()) {
    const Record& r = records_.front();
    if (!r.sealed || r.pending != 0 || r.failed) break;
    committed_ = r.end_offset;
    committed_skipping_ = r.skipping;
    inflight_bytes_ -= r.bytes;
    records_.pop_front();
    ++first_seq_;
    moved = true;
  }
  return moved;
}

}  // namespace logtail
