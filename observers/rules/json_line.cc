#include "rules/json_line.h"

#include <cstring>

namespace logtail::observers::json_line {
namespace {

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r'))
    s.remove_prefix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool LineParser::parse_object(simdjson::dom::parser& parser, std::string& buffer,
                              std::string_view text, simdjson::dom::element& out) {
  // Cheap refusal of the common case, plain text, before any copy.
  if (trim_left(text).substr(0, 1) != "{") return false;
  if (buffer.size() < text.size() + simdjson::SIMDJSON_PADDING)
    buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(buffer.data(), text.data(), text.size());
  auto parsed = parser.parse(reinterpret_cast<const std::uint8_t*>(buffer.data()), text.size(),
                             false);
  if (parsed.error() != simdjson::SUCCESS) return false;
  out = parsed.value_unsafe();
  return out.type() == simdjson::dom::element_type::OBJECT;
}

bool LineParser::unwrap(simdjson::dom::element outer, std::string_view key) {
  std::string_view inner_text;
  if (outer[key].get(inner_text) != simdjson::SUCCESS) return false;
  simdjson::dom::element inner;
  if (!parse_object(inner_parser_, inner_buffer_, inner_text, inner)) return false;
  doc_.body = inner;
  doc_.envelope = outer;
  doc_.wrapped = true;
  return true;
}

const Document* LineParser::parse(std::string_view line) {
  simdjson::dom::element outer;
  if (!parse_object(outer_parser_, outer_buffer_, line, outer)) return nullptr;
  doc_ = Document{};
  if (!unwrap(outer, "log") && !unwrap(outer, "message")) doc_.body = outer;
  return &doc_;
}

bool find_path(simdjson::dom::element root, std::string_view path,
               simdjson::dom::element& out) {
  simdjson::dom::element cur = root;
  for (;;) {
    const auto dot = path.find('.');
    const std::string_view part = path.substr(0, dot);
    simdjson::dom::element next;
    if (cur.type() == simdjson::dom::element_type::OBJECT) {
      simdjson::dom::object obj = cur.get_object().value_unsafe();
      if (dot != std::string_view::npos && obj.at_key(path).get(next) == simdjson::SUCCESS) {
        out = next;
        return true;
      }
      if (obj.at_key(part).get(next) != simdjson::SUCCESS) return false;
    } else if (cur.type() == simdjson::dom::element_type::ARRAY && all_digits(part) &&
               part.size() < 10) {
      std::size_t index = 0;
      for (char c : part) index = index * 10 + static_cast<std::size_t>(c - '0');
      if (cur.get_array().value_unsafe().at(index).get(next) != simdjson::SUCCESS) return false;
    } else {
      return false;
    }
    if (dot == std::string_view::npos) {
      out = next;
      return true;
    }
    cur = next;
    path.remove_prefix(dot + 1);
  }
}

bool find_field(const Document& doc, std::string_view path, simdjson::dom::element& out) {
  if (find_path(doc.body, path, out)) return true;
  return doc.wrapped && find_path(doc.envelope, path, out);
}

}  // namespace logtail::observers::json_line
