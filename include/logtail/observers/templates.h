// The `templates` observer: novelty. It reduces lines to templates (see
// logtail/templates.h) and emits one event the first time a never-seen template appears at
// or above a minimum severity (warning by default): a new kind of error, not the
// thousandth repeat of a known one.
//
// A line's severity comes from its level words (line_severity in
// logtail/observers/incidents.h: error, warning, warn, fatal, critical); a line without one
// is info. Lines below the minimum are not indexed at all: they could never yield an event.
//
// Owner: the engine once added. Threads: every call on the engine's loop thread. Needs no
// optional dependency. See docs/observers/templates.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "logtail/event.h"
#include "logtail/observer.h"
#include "logtail/status.h"
#include "logtail/templates.h"

namespace logtail::observers {

struct TemplatesOptions {
  // New templates of lines below this severity emit nothing.
  Severity min_severity = Severity::warning;
  // Grouping and the bound on remembered templates.
  TemplateIndex::Options index;
};

class TemplatesObserver final : public LineObserver {
 public:
  explicit TemplatesObserver(TemplatesOptions options = {});

  std::string_view name() const override { return "templates"; }
  // Emits kind "new_template", the line's severity, message the line, and fields
  // template_id (16 hex digits) and template (the masked line).
  void on_line(const Line& line, Emitter& out) override;

  // Loop thread (or after the engine stopped). Templates remembered now.
  std::size_t templates() const { return index_.size(); }
  // Events emitted so far.
  std::uint64_t new_templates() const { return new_templates_; }

 private:
  TemplatesOptions options_;
  TemplateIndex index_;
  std::uint64_t new_templates_ = 0;
};

// The registry's factory for `--observer templates[=SEVERITY]`: ARG is the minimum severity
// (debug, info, notice, warning, error, critical; default warning).
Result<std::unique_ptr<LineObserver>> make_templates_observer(std::string_view arg);

}  // namespace logtail::observers
