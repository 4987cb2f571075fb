// Diagnostic: everything the engine wants a human to know, delivered to the host's callback.
// The library never writes to stdout or stderr.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "logtail/event.h"

namespace logtail {

enum class DiagnosticKind : std::uint8_t {
  file_opened,         // started tailing a file (notice)
  rotation,            // a rename or delete-and-recreate rotation was followed
  truncation,          // copytruncate or a rewritten file: reading starts over at 0
  missed_rotation,     // lines that could not be found any more; they are lost to logtail
  rotated_drained,     // a rotated file was read to its end and closed
  truncated_line,      // a line over the cap was cut
  permission_denied,   // a file or directory that cannot be read
  watch_fallback,      // file events unavailable (watch limit); polling instead
  io_error,            // a read, stat or open that failed
  corrupt_state,       // a checkpoint that does not decode
  checkpoint_error,    // a checkpoint that could not be written
  sink_error,          // a sink refused an event or failed to flush
  event_dropped,       // a sink dropped an event under its overflow policy
  grace_expired,       // a deleted or rotated file closed before its writer was done with it
  summary_fallback,    // a summary backend failed; the template sentence was used instead
  speech_fallback,     // a speech synth failed; the fallback synth (espeak) spoke instead
  speech_dropped,      // unplayed speech clips skipped because newer ones came (keep-newest)
  audio_fallback,      // the audio device could not be opened; a stand-in driver is used
  hold_expired,        // a deleted file closed before it was read to its end; the rest is lost
};

// "missed_rotation", ...
std::string_view to_string(DiagnosticKind kind);

struct Diagnostic {
  DiagnosticKind kind;
  Severity severity;
  std::string path;     // the file concerned, or empty
  std::string message;  // one line, naming the thing and, where there is one, the fix
};

// Called on the engine's loop thread; must not block. Copy what you keep.
using DiagnosticHandler = std::function<void(const Diagnostic&)>;

}  // namespace logtail
