#include "support/jsonl.h"

#include <simdjson.h>

#include <fstream>
#include <utility>

namespace logtail::test {
namespace {

std::string preview(std::string_view line) {
  constexpr std::size_t kMax = 160;
  return std::string(line.substr(0, kMax)) + (line.size() > kMax ? "..." : "");
}

// Parses one complete line into `out`; false with `*why` set when it is not an event.
bool parse_record(simdjson::dom::parser& parser, std::string_view line, JsonlRecord& out,
                  std::string* why) {
  simdjson::dom::element doc;
  // No copy: `line` lies in a padded buffer (see parse_into), so the SIMDJSON_PADDING bytes
  // after it are readable.
  if (auto err = parser.parse(line.data(), line.size(), false).get(doc); err) {
    *why = simdjson::error_message(err);
    return false;
  }
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) {
    *why = "not a JSON object";
    return false;
  }
  struct StringField {
    const char* key;
    std::string* into;
  };
  const StringField strings[] = {
      {"ts", &out.ts},     {"source", &out.source},     {"observer", &out.observer},
      {"kind", &out.kind}, {"severity", &out.severity}, {"message", &out.message}};
  for (const StringField& f : strings) {
    std::string_view v;
    if (obj[f.key].get_string().get(v)) {
      *why = std::string("no string field \"") + f.key + "\"";
      return false;
    }
    f.into->assign(v.data(), v.size());
  }
  if (obj["offset"].get_uint64().get(out.offset)) {
    *why = "no unsigned integer field \"offset\"";
    return false;
  }
  simdjson::dom::element truncated;
  if (obj["truncated"].get(truncated) == simdjson::SUCCESS) {
    if (truncated.get_bool().get(out.truncated)) {
      *why = "\"truncated\" is not a boolean";
      return false;
    }
  }
  return true;
}

void parse_into(std::string_view input, std::size_t first_line_number, JsonlOutput& out,
                simdjson::dom::parser& parser) {
  // One padded copy of the whole input, so each line can be parsed in place.
  const simdjson::padded_string padded(input);
  std::string_view bytes(padded.data(), padded.size());
  std::size_t number = first_line_number;
  while (!bytes.empty()) {
    const std::size_t nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      out.incomplete_bytes = bytes.size();
      return;
    }
    const std::string_view line = bytes.substr(0, nl);
    bytes.remove_prefix(nl + 1);
    JsonlRecord record;
    record.line_number = number;
    std::string why;
    if (parse_record(parser, line, record, &why)) {
      out.records.push_back(std::move(record));
    } else {
      out.errors.push_back("line " + std::to_string(number) + ": " + why + ": " + preview(line));
    }
    ++number;
  }
  out.incomplete_bytes = 0;
}

// Length of the valid UTF-8 sequence at the start of `s`, or 0 when its first byte does not
// begin one (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
std::size_t valid_sequence(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  const auto in = [&](std::size_t i, unsigned lo, unsigned hi) {
    return i < s.size() && b(i) >= lo && b(i) <= hi;
  };
  const unsigned c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return in(1, 0xA0, 0xBF) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return in(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return in(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return in(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// The file's bytes from `offset` to its end; "" when it does not exist.
std::string read_from(const std::filesystem::path& path, std::uint64_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(0, std::ios::end);
  const std::streamoff end = in.tellg();
  if (end <= static_cast<std::streamoff>(offset)) return {};
  std::string bytes(static_cast<std::size_t>(end - static_cast<std::streamoff>(offset)), '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  // A writer may have truncated the file meanwhile: keep what was really read.
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

}  // namespace

JsonlOutput parse_jsonl(std::string_view bytes, std::size_t first_line_number) {
  JsonlOutput out;
  simdjson::dom::parser parser;
  parse_into(bytes, first_line_number, out, parser);
  return out;
}

JsonlOutput read_jsonl(const std::filesystem::path& path) {
  return parse_jsonl(read_from(path, 0));
}

JsonlFollower::JsonlFollower(std::filesystem::path path) : path_(std::move(path)) {}
JsonlFollower::~JsonlFollower() = default;

std::size_t JsonlFollower::poll() {
  const std::string bytes = read_from(path_, consumed_);
  const std::size_t end = bytes.rfind('\n');
  if (end == std::string::npos) return 0;
  const std::string_view complete(bytes.data(), end + 1);
  const std::size_t before = out_.records.size();
  simdjson::dom::parser parser;
  parse_into(complete, lines_ + 1, out_, parser);
  for (char c : complete) lines_ += c == '\n';
  consumed_ += complete.size();
  out_.incomplete_bytes = bytes.size() - complete.size();
  return out_.records.size() - before;
}

std::string json_round_trip(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  while (!raw.empty()) {
    const std::size_t n = valid_sequence(raw);
    if (n > 0) {
      out.append(raw.substr(0, n));
      raw.remove_prefix(n);
      continue;
    }
    // U+0080..U+00FF in UTF-8: two bytes, 110000xx 10xxxxxx.
    const auto byte = static_cast<unsigned char>(raw[0]);
    out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
    out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
    raw.remove_prefix(1);
  }
  return out;
}

}  // namespace logtail::test
