// Test helpers for observers driven by hand: an Emitter that keeps what it is given, and a
// LineBatch built the way the engine builds one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/event.h"
#include "logtail/line.h"
#include "logtail/observer.h"

namespace logtail::test {

struct Emitted {
  std::string source;
  std::uint64_t offset = 0;
  std::string kind;
  Severity severity = Severity::info;
  std::string message;
  bool truncated = false;
  std::vector<std::pair<std::string, std::string>> fields;

  std::string field(std::string_view key) const {
    for (const auto& [k, v] : fields) {
      if (k == key) return v;
    }
    return "<absent>";
  }
};

class RecordingEmitter final : public Emitter {
 public:
  using Emitter::emit;
  void emit(const Event& e) override {
    Emitted copy{std::string(e.source), e.offset,       std::string(e.kind), e.severity,
                 std::string(e.message), e.truncated, {}};
    for (const Field& f : e.fields) copy.fields.emplace_back(f.key, f.value);
    events.push_back(std::move(copy));
  }
  std::vector<Emitted> events;

 protected:
  std::string_view current_source() const override { return "test.log"; }
};

// `text`'s lines ("\n"-terminated; a last line without one is left out, as the engine
// leaves a partial line) as one batch starting at file offset `base`. Lines longer than
// `cap` are cut at it and flagged truncated, their rest staying in bytes().
class BuiltBatch {
 public:
  explicit BuiltBatch(std::string text, std::uint64_t base = 0, std::size_t cap = SIZE_MAX)
      : bytes_(std::move(text)) {
    std::size_t start = 0;
    while (start < bytes_.size()) {
      const std::size_t nl = bytes_.find('\n', start);
      if (nl == std::string::npos) break;
      std::size_t end = nl;
      if (end > start && bytes_[end - 1] == '\r') --end;
      const std::size_t length = end - start;
      const bool cut = length > cap;
      lines_.emplace_back(std::string_view(bytes_).substr(start, cut ? cap : length),
                          base + start, cut);
      start = nl + 1;
    }
    base_ = base;
  }
  BuiltBatch(const BuiltBatch&) = delete;  // the lines point into bytes_
  BuiltBatch& operator=(const BuiltBatch&) = delete;
  LineBatch batch() const { return LineBatch("test.log", bytes_, base_, lines_); }
  const std::vector<Line>& lines() const { return lines_; }

 private:
  std::string bytes_;
  std::uint64_t base_ = 0;
  std::vector<Line> lines_;
};

}  // namespace logtail::test
