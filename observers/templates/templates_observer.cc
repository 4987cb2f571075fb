#include "logtail/observers/templates.h"

#include <fmt/format.h>

#include "logtail/observers/incidents.h"

namespace logtail::observers {

TemplatesObserver::TemplatesObserver(TemplatesOptions options)
    : options_(options), index_(options.index) {}

void TemplatesObserver::on_line(const Line& line, Emitter& out) {
  const Severity severity = line_severity(line.text()).value_or(Severity::info);
  if (severity < options_.min_severity) return;
  const TemplateIndex::Match match = index_.add(line.text());
  if (!match.first) return;
  ++new_templates_;
  const std::string id = fmt::format("{:016x}", match.id);
  out.emit(severity, "new_template", line, line.text(),
           {{"template_id", id}, {"template", match.text}});
}

Result<std::unique_ptr<LineObserver>> make_templates_observer(std::string_view arg) {
  TemplatesOptions options;
  if (!arg.empty()) {
    const auto severity = parse_severity(arg);
    if (!severity) {
      return Status{StatusKind::invalid_argument,
                    fmt::format("templates: unknown minimum severity '{}'; use debug, info, "
                                "notice, warning, error or critical (e.g. templates=error)",
                                arg)};
    }
    options.min_severity = *severity;
  }
  return std::unique_ptr<LineObserver>(std::make_unique<TemplatesObserver>(options));
}

}  // namespace logtail::observers
