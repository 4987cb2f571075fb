// `logtail --stats DURATION`: every DURATION, one line per followed file on standard error,
// from Engine::health(), as text for people or as JSON (with --diagnostics json).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "diagnostic_output.h"
#include "logtail/engine.h"

namespace logtail::cli {

// "logtail: stats: PATH: live FILE, read R of S bytes, committed C, lag L bytes, events,
// last data 2s ago" (", paused" and ", condition: ..." when they apply).
std::string format_stats_text(const FileHealth& f, Clock::time_point now);
// {"kind":"stats","time":...,"path":...,"file":...,"role":...,"device":...,"inode":...,
//  "size":...,"read_offset":...,"committed_offset":...,"lag_bytes":...,"last_data":...,
//  "watch":...,"paused":...,"condition":...}
std::string format_stats_json(const FileHealth& f, Clock::time_point taken);

// Prints the engine's health every `interval` on a thread of its own until stop() (or
// destruction).
class StatsPrinter {
 public:
  StatsPrinter(const Engine& engine, std::chrono::milliseconds interval,
               DiagnosticsFormat format, DiagnosticWriter& writer);
  ~StatsPrinter();
  StatsPrinter(const StatsPrinter&) = delete;
  StatsPrinter& operator=(const StatsPrinter&) = delete;
  void stop();

 private:
  void loop();
  const Engine& engine_;
  std::chrono::milliseconds interval_;
  DiagnosticsFormat format_;
  DiagnosticWriter& writer_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace logtail::cli
