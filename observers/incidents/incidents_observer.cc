// IncidentsObserver: every pattern in one Hyperscan block-mode database, one hs_scan per
// batch, matches mapped back to lines by their end offset.
#include <hs/hs.h>

#include <algorithm>
#include <optional>
#include <climits>
#include <map>

#include <fmt/format.h>

#include "incidents/pattern_check.h"
#include "logtail/observers/incidents.h"
#include "status_text.h"

namespace logtail::observers {

// Owners of Hyperscan's handles. Named, not anonymous: IncidentsObserver::Impl holds them.
namespace hyperscan {
struct DatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
}  // namespace hyperscan
using Database = std::unique_ptr<hs_database_t, hyperscan::DatabaseDeleter>;
using Scratch = std::unique_ptr<hs_scratch_t, hyperscan::ScratchDeleter>;

namespace {

Status check_patterns(const std::vector<IncidentPattern>& patterns) {
  if (patterns.empty()) {
    return invalid("incidents: no patterns; give at least one, or use the defaults");
  }
  if (patterns.size() > UINT_MAX / 2) return invalid("incidents: too many patterns");
  std::map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const IncidentPattern& p = patterns[i];
    if (!valid_pattern_id(p.id)) {
      return invalid(fmt::format("incidents: pattern id '{}' is not valid; use letters, digits, "
                                 "'_', '-' and '.'", p.id));
    }
    if (!seen.emplace(p.id, i).second) {
      return invalid(fmt::format("incidents: pattern id '{}' is used twice; give each pattern "
                                 "its own id", p.id));
    }
    if (p.regex.empty()) {
      return invalid(fmt::format("incidents: pattern '{}' has an empty regex", p.id));
    }
    if (p.regex.find('\0') != std::string::npos) {
      return invalid(fmt::format("incidents: pattern '{}' holds a NUL byte; write \\x00 instead",
                                 p.id));
    }
  }
  return {};
}

Result<Database> compile(const std::vector<IncidentPattern>& patterns) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    expressions.push_back(patterns[i].regex.c_str());
    // One batch holds many lines, so ^ and $ must mean the start and end of a line.
    flags.push_back(HS_FLAG_MULTILINE);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  const hs_error_t rc =
      hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db, &error);
  if (rc == HS_SUCCESS) return Database(db);
  // Hyperscan's messages end in a full stop; ours goes on after it.
  std::string reason = error != nullptr && error->message != nullptr ? error->message
                                                                      : "unknown error";
  while (!reason.empty() && (reason.back() == '.' || reason.back() == ' ')) reason.pop_back();
  std::string message;
  if (error != nullptr && error->expression >= 0 &&
      static_cast<std::size_t>(error->expression) < patterns.size()) {
    const IncidentPattern& p = patterns[static_cast<std::size_t>(error->expression)];
    message = fmt::format("incidents: pattern '{}' ({}) is rejected by Hyperscan: {}; see "
                          "docs/observers/incidents.md for the syntax it supports",
                          p.id, p.regex, reason);
  } else {
    message = fmt::format("incidents: Hyperscan cannot compile the patterns: {}", reason);
  }
  hs_free_compile_error(error);
  return invalid(std::move(message));
}

// The index of the last line starting at or before file offset `target`, searching on from
// line `from`, which starts at or before it. Matches come in end order, so the next match
// is usually a few lines on: galloping touches only those lines, where a binary search over
// the whole batch would miss the cache at every step.
std::size_t line_from(std::span<const Line> lines, std::size_t from, std::uint64_t target) {
  std::size_t lo = from, hi = from + 1, step = 1;
  while (hi < lines.size() && lines[hi].offset() <= target) {
    lo = hi;
    hi = lo + step;
    step *= 2;
  }
  hi = std::min(hi, lines.size());
  const auto after = std::upper_bound(
      lines.begin() + static_cast<std::ptrdiff_t>(lo) + 1,
      lines.begin() + static_cast<std::ptrdiff_t>(hi), target,
      [](std::uint64_t t, const Line& line) { return t < line.offset(); });
  return static_cast<std::size_t>(after - lines.begin()) - 1;
}

}  // namespace

class IncidentsObserver::Impl {
 public:
  Impl(std::vector<IncidentPattern> patterns, Database db, Scratch scratch)
      : patterns_(std::move(patterns)), db_(std::move(db)), scratch_(std::move(scratch)) {}

  void scan(const LineBatch& batch, Emitter& out);
  void scan_line(const Line& line, Emitter& out);

  std::vector<IncidentPattern> patterns_;
  IncidentCounters counters_;

 private:
  // A pattern that matched a line; `line` indexes hit_lines_, in the order the lines come.
  struct Hit {
    std::uint32_t line;
    std::uint32_t pattern;
    bool operator<(const Hit& o) const {
      return line != o.line ? line < o.line : pattern < o.pattern;
    }
    bool operator==(const Hit& o) const = default;
  };
  // Lives on the stack of scan(); the callback's context. Matches come in end order, so the
  // line of the last match is where the next one is looked for first.
  struct ScanState {
    Impl* self;
    const LineBatch* batch;
    bool in_line = false;          // [line_begin, line_end) is the text of hit_lines_.back()
    std::size_t line_begin = 0;
    std::size_t line_end = 0;
    std::size_t index = SIZE_MAX;  // with the batch's lines found: the last line looked up
  };
  static std::optional<Line> line_of(ScanState& state, std::size_t pos);
  static int on_match(unsigned id, unsigned long long from, unsigned long long to,
                      unsigned flags, void* context);
  void emit_hits(Emitter& out);

  Database db_;
  Scratch scratch_;
  std::vector<Hit> hits_;         // reused across batches
  std::vector<Line> hit_lines_;   // the lines of hits_
  std::string ids_, labels_;
};

// The line holding bytes()[pos], if pos is in a line's text. When the engine has found the
// batch's lines, galloping from the last one looked up; otherwise the batch looks around pos,
// and the engine never has to find the lines of a batch without incidents.
std::optional<Line> IncidentsObserver::Impl::line_of(ScanState& state, std::size_t pos) {
  const LineBatch& batch = *state.batch;
  if (!batch.lines_found()) return batch.line_holding(pos);
  const std::span<const Line> lines = batch.lines();
  const std::size_t index = state.index != SIZE_MAX
                                ? line_from(lines, state.index, batch.bytes_offset() + pos)
                                : batch.line_at(pos);
  if (index >= lines.size()) return std::nullopt;  // before the first line
  state.index = index;
  const Line& line = lines[index];
  // A newline, or the skipped rest of a truncated line: bytes that belong to no line.
  if (batch.bytes_offset() + pos >= line.offset() + line.text().size()) return std::nullopt;
  return line;
}

int IncidentsObserver::Impl::on_match(unsigned id, unsigned long long /*from*/,
                                      unsigned long long to, unsigned /*flags*/,
                                      void* context) {
  auto& state = *static_cast<ScanState*>(context);
  Impl& self = *state.self;
  ++self.counters_.matches;
  // The match's last byte. Hyperscan reports no empty matches, so to >= 1.
  const std::size_t pos = static_cast<std::size_t>(to) - 1;
  if (!state.in_line || pos < state.line_begin || pos >= state.line_end) {
    state.in_line = false;
    const std::optional<Line> line = line_of(state, pos);
    if (!line) return 0;
    state.in_line = true;
    state.line_begin = static_cast<std::size_t>(line->offset() - state.batch->bytes_offset());
    state.line_end = state.line_begin + line->text().size();
    self.hit_lines_.push_back(*line);
  }
  self.hits_.push_back(
      {static_cast<std::uint32_t>(self.hit_lines_.size() - 1), static_cast<std::uint32_t>(id)});
  return 0;
}

void IncidentsObserver::Impl::scan(const LineBatch& batch, Emitter& out) {
  // Only the bytes are looked at here: asking for the lines would make the engine find them.
  const std::string_view bytes = batch.bytes();
  if (bytes.empty()) return;
  // hs_scan takes an unsigned length (and a batch has fewer lines than bytes, so hits count
  // lines in 32 bits); such a batch is far beyond any read chunk, but stays correct line by
  // line.
  if (bytes.size() > UINT_MAX) {
    for (const Line& line : batch.lines()) scan_line(line, out);
    return;
  }
  hits_.clear();
  hit_lines_.clear();
  ScanState state{this, &batch};
  ++counters_.batches;
  counters_.bytes += bytes.size();
  const hs_error_t rc = hs_scan(db_.get(), bytes.data(), static_cast<unsigned>(bytes.size()), 0,
                                scratch_.get(), &Impl::on_match, &state);
  if (rc != HS_SUCCESS) {
    // Only a misuse of Hyperscan gets here (the callback never stops the scan). Say so
    // rather than lose the batch silently.
    Event e;
    e.kind = "scan_error";
    e.severity = Severity::error;
    const std::string message = fmt::format(
        "incidents: hs_scan failed with code {} on {} bytes at offset {}; please report it",
        rc, bytes.size(), batch.bytes_offset());
    e.message = message;
    e.offset = batch.bytes_offset();
    out.emit(e);
    return;
  }
  emit_hits(out);
}

void IncidentsObserver::Impl::scan_line(const Line& line, Emitter& out) {
  const LineBatch one({}, line.text(), line.offset(), std::span<const Line>(&line, 1));
  scan(one, out);
}

void IncidentsObserver::Impl::emit_hits(Emitter& out) {
  // Matches arrive in end-offset order, so hits are grouped by line already and mostly
  // sorted; sorting puts a line's patterns in definition order for the dedup below.
  if (!std::is_sorted(hits_.begin(), hits_.end())) std::sort(hits_.begin(), hits_.end());
  hits_.erase(std::unique(hits_.begin(), hits_.end()), hits_.end());
  std::size_t i = 0;
  while (i < hits_.size()) {
    const std::uint32_t line_index = hits_[i].line;
    Severity severity = Severity::debug;
    ids_.clear();
    labels_.clear();
    for (; i < hits_.size() && hits_[i].line == line_index; ++i) {
      const IncidentPattern& p = patterns_[hits_[i].pattern];
      severity = std::max(severity, p.severity);
      if (!ids_.empty()) ids_ += ',';
      ids_ += p.id;
      if (!p.label.empty()) {
        if (!labels_.empty()) labels_ += ',';
        labels_ += p.label;
      }
    }
    const Line& line = hit_lines_[line_index];
    const Field fields[] = {{"patterns", ids_}, {"labels", labels_}};
    const std::size_t field_count = labels_.empty() ? 1 : 2;
    out.emit(severity, "incident", line, line.text(),
             std::span<const Field>(fields, field_count));
    ++counters_.incidents;
  }
}

Result<std::unique_ptr<IncidentsObserver>> IncidentsObserver::create(
    std::vector<IncidentPattern> patterns) {
  if (Status s = check_patterns(patterns); !s.ok()) return s;
  if (hs_valid_platform() != HS_SUCCESS) {
    return Status{StatusKind::failed_precondition,
                  "incidents: this CPU lacks the SSSE3 instructions Hyperscan needs; build "
                  "logtail with LOGTAIL_WITH_HYPERSCAN=OFF and use another observer"};
  }
  auto db = compile(patterns);
  if (!db.ok()) return db.status();
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(db->get(), &scratch) != HS_SUCCESS) {
    return Status{StatusKind::internal, "incidents: cannot allocate Hyperscan scratch space"};
  }
  auto impl = std::make_unique<Impl>(std::move(patterns), std::move(*db), Scratch(scratch));
  return std::unique_ptr<IncidentsObserver>(new IncidentsObserver(std::move(impl)));
}

IncidentsObserver::IncidentsObserver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IncidentsObserver::~IncidentsObserver() = default;

void IncidentsObserver::on_line(const Line& line, Emitter& out) { impl_->scan_line(line, out); }
void IncidentsObserver::on_batch(const LineBatch& batch, Emitter& out) { impl_->scan(batch, out); }

const std::vector<IncidentPattern>& IncidentsObserver::patterns() const {
  return impl_->patterns_;
}
IncidentCounters IncidentsObserver::counters() const { return impl_->counters_; }

Result<std::unique_ptr<LineObserver>> make_incidents_observer(std::string_view arg) {
  std::vector<IncidentPattern> patterns;
  if (arg.empty()) {
    patterns = default_incident_patterns();
  } else {
    auto loaded = load_incident_patterns(std::filesystem::path(arg));
    if (!loaded.ok()) {
      return Status{loaded.status().kind(), "incidents: " + loaded.status().message()};
    }
    patterns = std::move(*loaded);
  }
  auto observer = IncidentsObserver::create(std::move(patterns));
  if (!observer.ok()) return observer.status();
  return std::unique_ptr<LineObserver>(std::move(*observer));
}

}  // namespace logtail::observers
