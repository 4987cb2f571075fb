// Emitter's convenience overload: an event about one line, built from the line itself.
#include "logtail/observer.h"

namespace logtail {

// `time` and `observer` stay empty here; the engine's emit(const Event&) fills them in.
void Emitter::emit_line(Severity severity, std::string_view kind, const Line& line,
                        std::string_view message, std::span<const Field> fields) {
  Event event;
  event.source = current_source();
  event.offset = line.offset();
  event.kind = kind;
  event.severity = severity;
  event.message = message;
  event.truncated = line.truncated();
  event.fields = fields;
  emit(event);
}

}  // namespace logtail
