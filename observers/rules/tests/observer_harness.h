// Driving an observer by hand: batches built from strings, an Emitter that keeps events, and
// a clock the test moves.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/event.h"
#include "logtail/line.h"
#include "logtail/observer.h"

namespace logtail::observers::harness {

// Lines as a file would hold them: one block, each line followed by '\n', offsets counted
// from `base`.
class Batch {
 public:
  explicit Batch(const std::vector<std::string>& lines, std::uint64_t base = 0) : base_(base) {
    std::vector<std::size_t> starts;
    for (const std::string& l : lines) {
      starts.push_back(bytes_.size());
      bytes_ += l;
      bytes_ += '\n';
    }
    for (std::size_t i = 0; i < lines.size(); ++i)
      lines_.emplace_back(std::string_view(bytes_).substr(starts[i], lines[i].size()),
                          base_ + starts[i]);
  }
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  LineBatch view(std::string_view source) const { return LineBatch(source, bytes_, base_, lines_); }
  // Offset just past the last line, for the next batch of the same file.
  std::uint64_t end() const { return base_ + bytes_.size(); }

 private:
  std::uint64_t base_;
  std::string bytes_;
  std::vector<Line> lines_;
};

class RecordingEmitter final : public Emitter {
 public:
  using Emitter::emit;
  void emit(const Event& event) override {
    Event e = event;
    if (e.source.empty()) e.source = source;
    events.emplace_back(e);
  }
  // The value of field `key` of event `i`, or "<none>".
  std::string field(std::size_t i, std::string_view key) const {
    for (const Field& f : events.at(i)->fields)
      if (f.key == key) return std::string(f.value);
    return "<none>";
  }

  std::string source;  // what current_source() reports, as during a batch
  std::vector<OwnedEvent> events;

 protected:
  std::string_view current_source() const override { return source; }
};

// A clock the test sets; observers read it through their options' clock function.
struct FakeClock {
  Clock::time_point now{std::chrono::hours(24 * 365 * 50)};
  void advance(Clock::duration d) { now += d; }
};

}  // namespace logtail::observers::harness
