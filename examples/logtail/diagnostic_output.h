// How the `logtail` command writes the engine's diagnostics and its own errors to standard
// error: one line each, as text or as JSON.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "logtail/diagnostic.h"
#include "options.h"

namespace logtail::cli {

// "logtail: <kind>: <path>: <message>" (no path part when the path is empty).
std::string format_diagnostic_text(const Diagnostic& d);
// {"kind":"...","severity":"...","path":"...","message":"..."}
std::string format_diagnostic_json(const Diagnostic& d);

// "logtail: <message>" and a newline, written to standard error in one write(2).
void write_error_line(std::string_view message);

// Called from the engine's loop thread and the summarizer's worker: one line at a time.
class DiagnosticWriter {
 public:
  explicit DiagnosticWriter(DiagnosticsFormat format) : format_(format) {}

  void write(const Diagnostic& d);
  // Any other line for standard error (--stats), without its newline.
  void write_line(std::string line);
  // True when the last error-or-worse diagnostic carried exactly `message`, so a failure the
  // engine both reported and returned is shown once.
  bool already_written(std::string_view message) const;

 private:
  DiagnosticsFormat format_;
  mutable std::mutex mu_;
  std::string last_error_;
};

}  // namespace logtail::cli
