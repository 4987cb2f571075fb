// Helpers shared by the failure-mode tests (issue 6): file identities, diagnostics on the
// command's standard error, and records of one source. Header only: the target compiles
// *_test.cc files alone.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "integration/command_fixture.h"

namespace logtail::test {

// The inode of the file at `path` (following symlinks), or nullopt when there is none.
inline std::optional<std::uint64_t> inode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_ino);
}

// How many diagnostics of `kind` ("rotation", "rotated_drained", ...) the text diagnostics on
// standard error hold: lines "logtail: <kind>: ...".
inline std::size_t count_diagnostics(std::string_view stderr_text, std::string_view kind) {
  const std::string needle = "logtail: " + std::string(kind) + ": ";
  std::size_t n = 0;
  for (std::size_t at = stderr_text.find(needle); at != std::string_view::npos;
       at = stderr_text.find(needle, at + needle.size())) {
    if (at == 0 || stderr_text[at - 1] == '\n') ++n;
  }
  return n;
}

// The records read from `source`, in order.
inline std::vector<JsonlRecord> records_from(const std::vector<JsonlRecord>& records,
                                             const std::string& source) {
  std::vector<JsonlRecord> out;
  for (const JsonlRecord& r : records) {
    if (r.source == source) out.push_back(r);
  }
  return out;
}

// A slice [from, from + count) of `records` (clamped to their end).
inline std::vector<JsonlRecord> slice(const std::vector<JsonlRecord>& records, std::size_t from,
                                      std::size_t count = SIZE_MAX) {
  if (from >= records.size()) return {};
  const std::size_t to = count > records.size() - from ? records.size() : from + count;
  return {records.begin() + static_cast<std::ptrdiff_t>(from),
          records.begin() + static_cast<std::ptrdiff_t>(to)};
}

inline std::vector<JsonlRecord> concat_records(std::vector<JsonlRecord> a,
                                               const std::vector<JsonlRecord>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace logtail::test
