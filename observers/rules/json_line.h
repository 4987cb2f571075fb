// Log lines as JSON documents (simdjson DOM), with dotted field paths and the envelope that
// container runtimes and some loggers wrap around a JSON payload. Shared by the rules and
// episodes observers. Thread: one LineParser per observer; no shared state.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

namespace logtail::observers::json_line {

// One line parsed as a JSON object. When the object carries its real payload as JSON text in
// a string field, `body` is that inner object and `envelope` the outer one: the field `log`
// (Docker's json-file and similar runtimes: {"log":"{\"status\":503}\n","stream":"stderr"})
// or, failing that, `message`. Only one level is unwrapped, and only when the string, less
// white space, is a JSON object.
struct Document {
  simdjson::dom::element body;
  simdjson::dom::element envelope;
  bool wrapped = false;
};

class LineParser {
 public:
  // The line's document, or nullptr when the line is not a JSON object (plain text, a bare
  // number or array, broken or truncated JSON). Valid until the next parse().
  const Document* parse(std::string_view line);

 private:
  // simdjson reads up to SIMDJSON_PADDING bytes past the end of its input, and a line's view
  // may end at the end of the engine's buffer, so each text is copied into a padded buffer
  // that is reused from line to line.
  static bool parse_object(simdjson::dom::parser& parser, std::string& buffer,
                           std::string_view text, simdjson::dom::element& out);
  bool unwrap(simdjson::dom::element outer, std::string_view key);

  simdjson::dom::parser outer_parser_;
  simdjson::dom::parser inner_parser_;
  std::string outer_buffer_;
  std::string inner_buffer_;
  Document doc_;
};

// The value at a dotted path below `root`. Each part names an object member or, on an array,
// an index ("items.0.id"). A member whose own name holds dots is found too: at each level the
// whole rest of the path is first tried as one key, so "http.status" finds
// {"http.status": 503} as well as {"http": {"status": 503}}.
bool find_path(simdjson::dom::element root, std::string_view path,
               simdjson::dom::element& out);

// The field in the body, or, when absent there, in the envelope.
bool find_field(const Document& doc, std::string_view path, simdjson::dom::element& out);

}  // namespace logtail::observers::json_line
