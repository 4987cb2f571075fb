// CommitTracker: decides how far a file's committed offset may move. Pure; one per file.
//
// Each batch of lines handed to observers is a record: the offset just past its last
// consumed byte and how many deliveries from it are still unsettled. The committed offset
// moves past a batch only when that batch and every earlier one are sealed (all events
// dispatched) and settled (every deferred ticket acknowledged or dropped). A failed delivery
// pins the offset: the batch and everything after it are delivered again after a restart.
#pragma once

#include <cstdint>
#include <deque>

namespace logtail {

class CommitTracker {
 public:
  // Starts with everything before `offset` committed.
  explicit CommitTracker(std::uint64_t offset = 0, bool skipping = false)
      : committed_(offset), committed_skipping_(skipping) {}

  // Opens a batch that, once settled, commits up to `end_offset`; `skipping` is the splitter's
  // state there. `bytes` counts toward inflight_bytes() until the batch commits.
  std::uint64_t open(std::uint64_t end_offset, bool skipping, std::uint64_t bytes);
  // One more deferred delivery from batch `seq`.
  void add_pending(std::uint64_t seq);
  // A deferred delivery settled. `failed`: it was never taken. Unknown or forgotten batches
  // (from before reset()) are ignored. Returns true when the committed offset moved.
  bool settle(std::uint64_t seq, bool failed);
  // A delivery that failed at once (the sink returned an error without deferring).
  void fail(std::uint64_t seq);
  // All of the batch's events are dispatched. Returns true when the committed offset moved.
  bool seal(std::uint64_t seq);

  // Forgets every open batch and starts over at `offset` (a truncated or rewritten file).
  void reset(std::uint64_t offset);

  std::uint64_t committed() const { return committed_; }
  bool committed_skipping() const { return committed_skipping_; }
  std::uint64_t inflight_bytes() const { return inflight_bytes_; }
  bool idle() const { return records_.empty(); }
  // A failed delivery is holding the committed offset back.
  bool stuck() const { return !records_.empty() && records_.front().failed; }

 private:
  struct Record {
    std::uint64_t end_offset;
    std::uint64_t bytes;
    std::uint32_t pending;
    bool skipping;
    bool sealed;
    bool failed;
  };
  Record* find(std::uint64_t seq);
  bool advance();

  std::deque<Record> records_;
  std::uint64_t first_seq_ = 0;  // seq of records_.front()
  std::uint64_t next_seq_ = 0;
  std::uint64_t committed_;
  bool committed_skipping_;
  std::uint64_t inflight_bytes_ = 0;
};

}  // namespace logtail
