// Reading what the jsonl sink wrote: one JSON object per line, parsed with simdjson.
//
// A file that is still being written may end in a line without its newline; that part is
// ignored (and read on a later call by JsonlFollower). Every complete line must be a valid
// JSON event object: one that is not is recorded in `errors`, never skipped silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace logtail::test {

// One event as the jsonl sink renders it; strings are JSON-unescaped.
struct JsonlRecord {
  std::string ts;
  std::string source;
  std::uint64_t offset = 0;
  std::string observer;
  std::string kind;
  std::string severity;
  std::string message;
  bool truncated = false;
  std::size_t line_number = 0;  // 1-based, in the file the record was read from
};

struct JsonlOutput {
  std::vector<JsonlRecord> records;
  // "line N: <why>: <the start of the line>" for each complete line that is not an event.
  std::vector<std::string> errors;
  // Bytes after the last newline, not parsed.
  std::size_t incomplete_bytes = 0;
};

// Parses `bytes` as jsonl; `first_line_number` numbers the first line.
JsonlOutput parse_jsonl(std::string_view bytes, std::size_t first_line_number = 1);
// The whole file; a missing file is an empty output.
JsonlOutput read_jsonl(const std::filesystem::path& path);

// Follows a jsonl file that another process is appending to, parsing only what is new.
class JsonlFollower {
 public:
  explicit JsonlFollower(std::filesystem::path path);
  ~JsonlFollower();
  JsonlFollower(const JsonlFollower&) = delete;
  JsonlFollower& operator=(const JsonlFollower&) = delete;

  // Reads the complete lines appended since the last call; returns how many records they
  // held.
  std::size_t poll();
  const std::vector<JsonlRecord>& records() const { return out_.records; }
  const std::vector<std::string>& errors() const { return out_.errors; }

 private:
  std::filesystem::path path_;
  std::uint64_t consumed_ = 0;  // bytes of complete lines already parsed
  std::size_t lines_ = 0;
  JsonlOutput out_;
};

// What a line's bytes become after the jsonl sink escapes them and a JSON parser unescapes
// them, as documented: valid UTF-8 is kept as is, and each byte of invalid UTF-8 becomes the
// code point U+00XX of its value (so 0xFF comes back as the two bytes C3 BF). NUL and other
// control bytes are valid UTF-8 and come back unchanged.
std::string json_round_trip(std::string_view raw);

}  // namespace logtail::test
