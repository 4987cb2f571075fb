// A small JSON reader for configuration text (rules files) that remembers where every value
// starts, so an error can point at the line and column a person has to fix. Log lines are
// parsed with simdjson instead; its errors carry no position, which is fine for a log line but
// not for a file someone edits by hand. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace logtail::observers::json {

struct Value {
  enum class Type : std::uint8_t { null, boolean, number, string, array, object };
  Type type = Type::null;
  std::size_t offset = 0;  // byte offset of the value's first character in the text
  bool boolean = false;
  double number = 0;
  std::string text;  // a string's decoded bytes; a number as written
  std::vector<Value> items;
  // Members in document order. The key's own offset is kept to point at a bad key.
  struct Member;
  std::vector<Member> members;

  // The member named `key`, or nullptr.
  const Value* find(std::string_view key) const;
};

struct Value::Member {
  std::string key;
  std::size_t key_offset = 0;
  Value value;
};

struct Error {
  std::size_t offset = 0;
  std::string reason;
};

struct ReadResult {
  bool ok = false;
  Value value;  // when ok
  Error error;  // when not ok
};

// Reads one JSON value filling the whole text (white space around it allowed). Rejects
// duplicate keys, control characters in strings, invalid escapes and nesting deeper than
// kMaxDepth.
inline constexpr int kMaxDepth = 64;
ReadResult read(std::string_view text);

// 1-based line and column (in bytes) of `offset` in `text`.
struct Position {
  std::size_t line = 1;
  std::size_t column = 1;
};
Position position_of(std::string_view text, std::size_t offset);

// "null", "boolean", "number", "string", "array", "object".
std::string_view type_name(Value::Type type);

}  // namespace logtail::observers::json
