#include "logtail/diagnostic.h"

namespace logtail {

std::string_view to_string(DiagnosticKind kind) {
  switch (kind) {
    case DiagnosticKind::file_opened: return "file_opened";
    case DiagnosticKind::rotation: return "rotation";
    case DiagnosticKind::truncation: return "truncation";
    case DiagnosticKind::missed_rotation: return "missed_rotation";
    case DiagnosticKind::rotated_drained: return "rotated_drained";
    case DiagnosticKind::truncated_line: return "truncated_line";
    case DiagnosticKind::permission_denied: return "permission_denied";
    case DiagnosticKind::watch_fallback: return "watch_fallback";
    case DiagnosticKind::io_error: return "io_error";
    case DiagnosticKind::corrupt_state: return "corrupt_state";
    case DiagnosticKind::checkpoint_error: return "checkpoint_error";
    case DiagnosticKind::sink_error: return "sink_error";
    case DiagnosticKind::event_dropped: return "event_dropped";
    case DiagnosticKind::grace_expired: return "grace_expired";
    case DiagnosticKind::summary_fallback: return "summary_fallback";
    case DiagnosticKind::speech_fallback: return "speech_fallback";
    case DiagnosticKind::speech_dropped: return "speech_dropped";
    case DiagnosticKind::audio_fallback: return "audio_fallback";
    case DiagnosticKind::hold_expired: return "hold_expired";
  }
  // Only reachable through a value cast from outside the enumeration.
  return "unknown";
}

}  // namespace logtail
