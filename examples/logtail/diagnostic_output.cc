#include "diagnostic_output.h"

#include <unistd.h>

#include <cerrno>

#include <fmt/format.h>

#include "json_escape.h"

namespace logtail::cli {
namespace {

// One write(2) per line, so lines from the loop thread and the main thread never interleave.
// A failing standard error has nowhere to be reported; the line is given up.
void write_stderr(std::string_view line) {
  while (!line.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    line.remove_prefix(static_cast<std::size_t>(n));
  }
}

void append_json_member(std::string& out, std::string_view key, std::string_view value) {
  out.push_back('"');
  out.append(key);
  out.append("\":\"");
  append_json_escaped(out, value);
  out.push_back('"');
}

}  // namespace

std::string format_diagnostic_text(const Diagnostic& d) {
  if (d.path.empty()) return fmt::format("logtail: {}: {}", to_string(d.kind), d.message);
  return fmt::format("logtail: {}: {}: {}", to_string(d.kind), d.path, d.message);
}

std::string format_diagnostic_json(const Diagnostic& d) {
  std::string out = "{";
  append_json_member(out, "kind", to_string(d.kind));
  out.push_back(',');
  append_json_member(out, "severity", to_string(d.severity));
  out.push_back(',');
  append_json_member(out, "path", d.path);
  out.push_back(',');
  append_json_member(out, "message", d.message);
  out.push_back('}');
  return out;
}

void write_error_line(std::string_view message) {
  write_stderr(fmt::format("logtail: {}\n", message));
}

void DiagnosticWriter::write(const Diagnostic& d) {
  std::string line = format_ == DiagnosticsFormat::json ? format_diagnostic_json(d)
                                                        : format_diagnostic_text(d);
  line.push_back('\n');
  std::lock_guard lock(mu_);
  if (d.severity >= Severity::error) last_error_ = d.message;
  write_stderr(line);
}

void DiagnosticWriter::write_line(std::string line) {
  line.push_back('\n');
  std::lock_guard lock(mu_);
  write_stderr(line);
}

bool DiagnosticWriter::already_written(std::string_view message) const {
  std::lock_guard lock(mu_);
  return last_error_ == message;
}

}  // namespace logtail::cli
