// The checkpoint file, version 1:
//
//   logtail-checkpoints 1
//   <generation>\t<skipping 0|1>\t<device>\t<inode>\t<fingerprint size>\t
//       <fingerprint, 16 hex>\t<offset>\t<path>          (one line in the file)
//   ...
//   end <entry count> <CRC-32 of every byte before this line, 8 hex>
//
// Numbers are decimal without leading zeros, hex digits are lowercase, every line ends in
// '\n'. The path is escaped so any byte survives: \\ \t \n \r, and \xHH for the other control
// bytes; all other bytes (UTF-8 or not) are written as they are. Decoding is strict, so that
// any single changed byte, in the payload (the CRC) or in the trailer (its exact syntax), and
// any truncation are caught.
#include "checkpoint_codec.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

namespace logtail {

namespace {

constexpr std::string_view kMagic = "logtail-checkpoints";
constexpr std::string_view kTrailerWord = "end";
constexpr std::size_t kFieldCount = 8;
constexpr char kHexDigits[] = "0123456789abcdef";
// How much of a bad field an error message quotes.
constexpr std::size_t kQuoteMax = 40;

std::uint32_t crc32_of(std::string_view bytes) {
  // zlib's crc32 takes a uInt length; feeding it in chunks keeps any size correct.
  uLong crc = crc32(0L, Z_NULL, 0);
  while (!bytes.empty()) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), std::size_t{1} << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(n));
    bytes.remove_prefix(n);
  }
  return static_cast<std::uint32_t>(crc);
}

bool is_control(unsigned char b) { return b < 0x20 || b == 0x7f; }

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default:
        if (is_control(b)) {
          out += "\\x";
          out += kHexDigits[b >> 4];
          out += kHexDigits[b & 0xf];
        } else {
          out += c;
        }
    }
  }
}

// A bad field as it appears in an error message: escaped, so the message stays one line,
// and shortened.
std::string quote(std::string_view text) {
  std::string out = "'";
  append_escaped(out, text.substr(0, kQuoteMax));
  if (text.size() > kQuoteMax) out += "...";
  out += "'";
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is not canonical, so it is rejected too
}

// Decimal, no sign, no leading zeros (so a changed byte cannot give the same value).
std::optional<std::uint64_t> parse_u64(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Exactly `digits` lowercase hex digits.
std::optional<std::uint64_t> parse_hex(std::string_view text, std::size_t digits) {
  if (text.size() != digits) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    const int v = hex_value(c);
    if (v < 0) return std::nullopt;
    value = (value << 4) | static_cast<std::uint64_t>(v);
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

class Decoder {
 public:
  Decoder(std::string_view bytes, std::string_view where) : bytes_(bytes), where_(where) {}

  Result<std::vector<CheckpointEntry>> decode();

 private:
  struct RawLine {
    std::string_view text;
    std::size_t number;  // 1-based, for messages
  };

  Status corrupt(std::string_view detail) const {
    return Status(StatusKind::corrupt,
                  fmt::format("checkpoint file {} is corrupt: {}; move it aside with "
                              "--reset-state (reset_checkpoint_state()) to start afresh",
                              where_, detail));
  }
  Status check_header(std::string_view header) const;
  Status check_trailer(const RawLine& trailer, std::size_t trailer_start,
                       std::size_t entry_count) const;
  Result<CheckpointEntry> parse_entry(const RawLine& line) const;
  Result<std::string> unescape(std::string_view text, std::size_t line_number) const;

  std::string_view bytes_;
  std::string_view where_;
};

Status Decoder::check_header(std::string_view header) const {
  if (!header.starts_with(kMagic) || header.substr(kMagic.size(), 1) != " ") {
    return corrupt(fmt::format("it does not start with the '{} {}' header", kMagic,
                               kCheckpointVersion));
  }
  const std::string_view version_text = header.substr(kMagic.size() + 1);
  const auto version = parse_u64(version_text);
  if (!version) {
    return corrupt(fmt::format("its header has a malformed version {}", quote(version_text)));
  }
  if (*version != static_cast<std::uint64_t>(kCheckpointVersion)) {
    return Status(StatusKind::corrupt,
                  fmt::format("checkpoint file {} has format version {}, but this logtail "
                              "reads only version {}; run the logtail that wrote it, or move "
                              "it aside with --reset-state (reset_checkpoint_state()) to "
                              "start afresh",
                              where_, *version, kCheckpointVersion));
  }
  return {};
}

Status Decoder::check_trailer(const RawLine& trailer, std::size_t trailer_start,
                              std::size_t entry_count) const {
  const auto parts = split(trailer.text, ' ');
  if (parts.size() != 3 || parts[0] != kTrailerWord) {
    return corrupt(fmt::format("line {}: malformed trailer {} (expected 'end <count> <crc32>')",
                               trailer.number, quote(trailer.text)));
  }
  const auto count = parse_u64(parts[1]);
  if (!count) {
    return corrupt(fmt::format("line {}: the trailer's entry count {} is not a number",
                               trailer.number, quote(parts[1])));
  }
  const auto crc = parse_hex(parts[2], 8);
  if (!crc) {
    return corrupt(fmt::format("line {}: the trailer's checksum {} is not 8 lowercase hex digits",
                               trailer.number, quote(parts[2])));
  }
  const std::uint32_t actual = crc32_of(bytes_.substr(0, trailer_start));
  if (*crc != actual) {
    return corrupt(fmt::format("checksum mismatch (stored {:08x}, computed {:08x}): the file "
                               "was changed or damaged after it was written",
                               *crc, actual));
  }
  if (*count != entry_count) {
    return corrupt(fmt::format("the trailer counts {} entries but the file holds {}", *count,
                               entry_count));
  }
  return {};
}

Result<std::string> Decoder::unescape(std::string_view text, std::size_t line_number) const {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_control(static_cast<unsigned char>(c))) {
      return corrupt(fmt::format("line {}: the path holds an unescaped control byte 0x{:02x}",
                                 line_number, static_cast<unsigned char>(c)));
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    const std::string_view escape = text.substr(i, 4);
    const char kind = i + 1 < text.size() ? text[i + 1] : '\0';
    ++i;
    switch (kind) {
      case '\\': out += '\\'; continue;
      case 't': out += '\t'; continue;
      case 'n': out += '\n'; continue;
      case 'r': out += '\r'; continue;
      case 'x': {
        const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
        if (high >= 0 && low >= 0) {
          out += static_cast<char>((high << 4) | low);
          i += 2;
          continue;
        }
        break;
      }
      default:
        break;
    }
    return corrupt(fmt::format("line {}: the path holds a bad escape {} (known: \\\\ \\t \\n "
                               "\\r \\xHH)",
                               line_number, quote(escape)));
  }
  return out;
}

Result<CheckpointEntry> Decoder::parse_entry(const RawLine& line) const {
  const auto fields = split(line.text, '\t');
  if (fields.size() != kFieldCount) {
    return corrupt(fmt::format("line {}: {} tab-separated fields, expected {}", line.number,
                               fields.size(), kFieldCount));
  }
  static constexpr std::string_view kNames[] = {"generation", "skipping", "device", "inode",
                                                "fingerprint size"};
  std::uint64_t numbers[5];
  for (std::size_t i = 0; i < 5; ++i) {
    const auto value = parse_u64(fields[i]);
    if (!value) {
      return corrupt(fmt::format("line {}: the {} {} is not a decimal number in range",
                                 line.number, kNames[i], quote(fields[i])));
    }
    numbers[i] = *value;
  }
  if (numbers[1] > 1) {
    return corrupt(fmt::format("line {}: the skipping flag {} is not 0 or 1", line.number,
                               quote(fields[1])));
  }
  if (numbers[4] > UINT32_MAX) {
    return corrupt(fmt::format("line {}: the fingerprint size {} is out of range", line.number,
                               quote(fields[4])));
  }
  const auto fingerprint = parse_hex(fields[5], 16);
  if (!fingerprint) {
    return corrupt(fmt::format("line {}: the fingerprint {} is not 16 lowercase hex digits",
                               line.number, quote(fields[5])));
  }
  const auto offset = parse_u64(fields[6]);
  if (!offset) {
    return corrupt(fmt::format("line {}: the offset {} is not a decimal number in range",
                               line.number, quote(fields[6])));
  }
  auto path = unescape(fields[7], line.number);
  if (!path.ok()) return path.status();

  CheckpointEntry entry;
  entry.generation = numbers[0];
  entry.skipping = numbers[1] == 1;
  entry.identity.device = numbers[2];
  entry.identity.inode = numbers[3];
  entry.identity.fingerprint_size = static_cast<std::uint32_t>(numbers[4]);
  entry.identity.fingerprint = *fingerprint;
  entry.offset = *offset;
  entry.path = std::move(path).value();
  return entry;
}

Result<std::vector<CheckpointEntry>> Decoder::decode() {
  if (bytes_.empty()) return corrupt("it is empty");

  // The header comes first so that a file of another version is reported as such, whatever
  // the rest of it looks like.
  const std::size_t header_end = bytes_.find('\n');
  if (Status s = check_header(bytes_.substr(0, header_end)); !s.ok()) return s;
  if (header_end == std::string_view::npos) {
    return corrupt("it ends after its header line, without a newline: the file was torn");
  }

  std::vector<RawLine> entry_lines;
  std::optional<RawLine> trailer;
  std::size_t trailer_start = 0;
  std::size_t pos = header_end + 1;
  std::size_t number = 1;
  while (pos < bytes_.size()) {
    ++number;
    const std::size_t end = bytes_.find('\n', pos);
    if (end == std::string_view::npos) {
      return corrupt(fmt::format("line {} has no newline: the file was torn while being "
                                 "written",
                                 number));
    }
    const RawLine line{bytes_.substr(pos, end - pos), number};
    pos = end + 1;
    // Entry lines start with a digit, so the trailer cannot be mistaken for one.
    if (line.text.starts_with(kTrailerWord)) {
      trailer = line;
      trailer_start = static_cast<std::size_t>(line.text.data() - bytes_.data());
      break;
    }
    entry_lines.push_back(line);
  }
  if (!trailer) {
    return corrupt("it has no trailer line ('end <count> <crc32>'): the file was torn while "
                   "being written");
  }
  if (pos != bytes_.size()) {
    return corrupt(fmt::format("{} bytes follow the trailer on line {}", bytes_.size() - pos,
                               trailer->number));
  }
  if (Status s = check_trailer(*trailer, trailer_start, entry_lines.size()); !s.ok()) return s;

  std::vector<CheckpointEntry> entries;
  entries.reserve(entry_lines.size());
  std::set<std::pair<std::string, std::uint64_t>> seen;
  for (const RawLine& line : entry_lines) {
    auto entry = parse_entry(line);
    if (!entry.ok()) return entry.status();
    if (!seen.emplace(entry->path, entry->generation).second) {
      return corrupt(fmt::format("line {}: a second entry for path {} generation {}",
                                 line.number, quote(entry->path), entry->generation));
    }
    entries.push_back(std::move(entry).value());
  }
  return entries;
}

}  // namespace

std::string encode_checkpoints(const std::vector<CheckpointEntry>& entries) {
  std::string out;
  auto sink = std::back_inserter(out);
  fmt::format_to(sink, "{} {}\n", kMagic, kCheckpointVersion);
  for (const CheckpointEntry& e : entries) {
    fmt::format_to(sink, "{}\t{}\t{}\t{}\t{}\t{:016x}\t{}\t", e.generation, e.skipping ? 1 : 0,
                   e.identity.device, e.identity.inode, e.identity.fingerprint_size,
                   e.identity.fingerprint, e.offset);
    append_escaped(out, e.path);
    out += '\n';
  }
  const std::uint32_t crc = crc32_of(out);
  fmt::format_to(sink, "{} {} {:08x}\n", kTrailerWord, entries.size(), crc);
  return out;
}

Result<std::vector<CheckpointEntry>> decode_checkpoints(std::string_view bytes,
                                                        std::string_view where) {
  return Decoder(bytes, where).decode();
}

}  // namespace logtail
