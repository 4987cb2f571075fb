#include "stats_output.h"

#include <fmt/format.h>

#include "json_escape.h"
#include "utc_time.h"

namespace logtail::cli {
namespace {

std::string ago(Clock::time_point then, Clock::time_point now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - then).count();
  return seconds <= 0 ? std::string("just now") : fmt::format("{}s ago", seconds);
}

void member(std::string& out, std::string_view key, std::string_view value) {
  out += fmt::format(",\"{}\":\"", key);
  append_json_escaped(out, value);
  out.push_back('"');
}

}  // namespace

std::string format_stats_text(const FileHealth& f, Clock::time_point now) {
  std::string line = fmt::format("logtail: stats: {}: {}", f.path, f.role);
  if (!f.file.empty()) {
    if (f.file != f.path) line += " " + f.file;
    line += fmt::format(", read {} of {} bytes, committed {}, lag {} bytes", f.read_offset,
                        f.size, f.committed_offset, f.lag_bytes);
  }
  line += fmt::format(", {}", to_string(f.watch));
  if (f.last_data) line += ", last data " + ago(*f.last_data, now);
  if (f.paused) line += ", paused for acknowledgements";
  if (!f.condition.empty()) line += ", condition: " + f.condition;
  return line;
}

std::string format_stats_json(const FileHealth& f, Clock::time_point taken) {
  std::string out = "{\"kind\":\"stats\"";
  member(out, "time", utc_timestamp(taken));
  member(out, "path", f.path);
  member(out, "file", f.file);
  member(out, "role", f.role);
  out += fmt::format(
      ",\"device\":{},\"inode\":{},\"size\":{},\"read_offset\":{},\"committed_offset\":{},"
      "\"lag_bytes\":{}",
      f.identity.device, f.identity.inode, f.size, f.read_offset, f.committed_offset,
      f.lag_bytes);
  member(out, "last_data", f.last_data ? utc_timestamp(*f.last_data) : std::string());
  member(out, "watch", to_string(f.watch));
  out += fmt::format(",\"paused\":{}", f.paused);
  member(out, "condition", f.condition);
  out.push_back('}');
  return out;
}

StatsPrinter::StatsPrinter(const Engine& engine, std::chrono::milliseconds interval,
                           DiagnosticsFormat format, DiagnosticWriter& writer)
    : engine_(engine), interval_(interval), format_(format), writer_(writer) {
  thread_ = std::thread([this] { loop(); });
}

StatsPrinter::~StatsPrinter() { stop(); }

void StatsPrinter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatsPrinter::loop() {
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    const EngineHealth health = engine_.health();
    if (health.taken == Clock::time_point{}) continue;  // not started yet
    const auto now = Clock::now();
    for (const FileHealth& f : health.files) {
      writer_.write_line(format_ == DiagnosticsFormat::json ? format_stats_json(f, health.taken)
                                                            : format_stats_text(f, now));
    }
  }
}

}  // namespace logtail::cli
