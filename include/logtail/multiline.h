// Multiline records: stack traces and tracebacks joined to the line that started them before
// observers see them. A per-source option of Engine::watch().
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace logtail {

struct MultilineOptions {
  // A regex (ECMAScript) that a line starting a record matches; every other line continues
  // the record before it. Empty: the built-in rules: a line continues the record when it
  // starts with white space, "at ", "...", "Caused by:" or "Suppressed:", or is
  // "Traceback (most recent call last):" and its frames up to and including the exception
  // line that ends a Python traceback.
  std::string start_pattern;
  // A record whose next line has not come within this time is delivered as it is.
  std::chrono::milliseconds flush_timeout{1000};
  // A record growing past this many bytes is delivered cut (flagged truncated) and the lines
  // after the cut start a new record. Zero: the engine's max_line_bytes, which is also the
  // most a record can hold.
  std::size_t max_record_bytes = 0;
};

}  // namespace logtail
