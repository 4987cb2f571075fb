// The `incidents` observer: a fast pattern filter. Every pattern is compiled once into one
// Hyperscan database, each batch of lines is scanned with one call, and each line that
// matches yields one event (kind "incident") naming the patterns it matched.
//
// By default the patterns are the level words error, warning, warn, fatal and critical,
// case-insensitive and on word boundaries ("errorless" and "rewarning" do not match).
//
// Owner: the engine once added. Threads: LineObserver calls on the engine's loop thread.
// IncidentsObserver needs logtail built with LOGTAIL_WITH_HYPERSCAN (the default); the
// pattern parsing and the severity words below do not. See docs/observers/incidents.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/event.h"
#include "logtail/observer.h"
#include "logtail/status.h"

namespace logtail::observers {

// The severity a level word stands for, case-insensitive: fatal and critical -> critical,
// error -> error, warning and warn -> warning; nullopt for any other word.
std::optional<Severity> severity_of_word(std::string_view word);

// The highest severity among the level words of severity_of_word in `text`, each taken on
// word boundaries (a word is a run of ASCII letters, digits and '_', as \b sees it); nullopt
// when there is none. "[ERROR] retry after warning" -> error; "errorless" -> nullopt.
std::optional<Severity> line_severity(std::string_view text);

struct IncidentPattern {
  // Names the pattern in events and errors: letters, digits, '_', '-', '.'; unique.
  std::string id;
  // The event's severity when this is the highest-severity pattern a line matched.
  Severity severity = Severity::error;
  // Free text carried in events (field `labels`); may be empty.
  std::string label;
  // Hyperscan syntax (PCRE-like; no back-references or look-around). Case-sensitive unless
  // it starts with (?i). ^ and $ match at the start and end of each line. A match belongs to
  // the line it ends on, so a pattern should not match across a newline (write [ \t] rather
  // than \s between words).
  std::string regex;
};

// The five level words above, one pattern each: id the word, no label.
std::vector<IncidentPattern> default_incident_patterns();

// Parses a patterns file: one pattern per line, four fields separated by tabs,
//   id <TAB> severity <TAB> label <TAB> regex
// (the regex is the rest of the line, tabs included); blank lines and lines starting with
// '#' are skipped. Severity is one of debug, info, notice, warning (warn), error (err),
// critical (crit, fatal). An error names `origin`, the line number and the fix:
//   "patterns.tsv:4: unknown severity 'bad'; use debug, info, notice, warning, error or ..."
Result<std::vector<IncidentPattern>> parse_incident_patterns(std::string_view text,
                                                            std::string_view origin);
// Reads and parses a patterns file; errors name the file.
Result<std::vector<IncidentPattern>> load_incident_patterns(const std::filesystem::path& path);

struct IncidentCounters {
  std::uint64_t batches = 0;    // hs_scan calls
  std::uint64_t bytes = 0;      // bytes scanned
  std::uint64_t incidents = 0;  // events emitted (matching lines)
  std::uint64_t matches = 0;    // raw matches reported by Hyperscan
};

class IncidentsObserver final : public LineObserver {
 public:
  // Checks the patterns (ids unique and valid, at least one) and compiles them into one
  // database with its scratch space. A pattern Hyperscan rejects is an error naming its id,
  // its regex and Hyperscan's reason.
  static Result<std::unique_ptr<IncidentsObserver>> create(
      std::vector<IncidentPattern> patterns = default_incident_patterns());
  ~IncidentsObserver() override;
  IncidentsObserver(const IncidentsObserver&) = delete;
  IncidentsObserver& operator=(const IncidentsObserver&) = delete;

  std::string_view name() const override { return "incidents"; }
  // One hs_scan over the line.
  void on_line(const Line& line, Emitter& out) override;
  // One hs_scan over batch.bytes(); matches are mapped back to lines.
  void on_batch(const LineBatch& batch, Emitter& out) override;

  const std::vector<IncidentPattern>& patterns() const;
  // Loop thread (or after the engine stopped).
  IncidentCounters counters() const;

 private:
  class Impl;
  explicit IncidentsObserver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The registry's factory for `--observer incidents[=PATH]`: the default patterns when ARG is
// empty, else the patterns file at PATH.
Result<std::unique_ptr<LineObserver>> make_incidents_observer(std::string_view arg);

}  // namespace logtail::observers
