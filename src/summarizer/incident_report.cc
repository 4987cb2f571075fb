#include "incident_report.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <cctype>

#include "openai_request.h"
#include "status_text.h"

namespace logtail {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// How many wrappers (a one-key object, a one-element list) are taken off the report; more
// than this is not an answer in any of the accepted shapes.
constexpr int kMaxUnwraps = 2;

Status bad_answer(std::string message) {
  return Status(StatusKind::unavailable, std::move(message));
}

// The inside of the first markdown code fence in `text`, without the fence's language tag
// ("```json"); nullopt when there is no complete fence.
std::optional<std::string_view> fenced_block(std::string_view text) {
  constexpr std::string_view kFence = "```";
  const std::size_t open = text.find(kFence);
  if (open == std::string_view::npos) return std::nullopt;
  std::size_t start = open + kFence.size();
  // A tag is a word right after the fence, up to the end of the line ("json", "JSON").
  std::size_t tag_end = start;
  while (tag_end < text.size() && (std::isalnum(static_cast<unsigned char>(text[tag_end])) ||
                                   text[tag_end] == '_' || text[tag_end] == '-')) {
    ++tag_end;
  }
  if (tag_end > start && tag_end < text.size() && (text[tag_end] == '\n' || text[tag_end] == '\r'))
    start = tag_end;
  const std::size_t close = text.find(kFence, start);
  if (close == std::string_view::npos) return std::nullopt;
  return text.substr(start, close - start);
}

bool has_report_key(object obj) {
  for (const std::string_view key : {"title", "summary", "severity"}) {
    if (obj.at_key(key).error() == simdjson::SUCCESS) return true;
  }
  return false;
}

Status required_string(object obj, std::string_view key, std::string& out) {
  std::string_view value;
  if (obj.at_key(key).get_string().get(value) != simdjson::SUCCESS)
    return bad_answer(fmt::format("the answer has no \"{}\" string", key));
  value = trim_space(value);
  if (value.empty()) return bad_answer(fmt::format("the answer's \"{}\" is empty", key));
  out.assign(value);
  return {};
}

Result<Summary> report_fields(object obj) {
  Summary summary;
  if (Status s = required_string(obj, "title", summary.title); !s.ok()) return s;
  if (Status s = required_string(obj, "summary", summary.text); !s.ok()) return s;
  std::string severity;
  if (Status s = required_string(obj, "severity", severity); !s.ok()) return s;
  const std::optional<Severity> parsed = parse_severity(severity);
  if (!parsed) {
    return bad_answer(fmt::format(
        "the answer's \"severity\" \"{}\" is not one of debug, info, notice, warning, error, "
        "critical",
        one_line_preview(severity, 40)));
  }
  summary.severity = *parsed;

  element services;
  if (obj.at_key("impacted_services").get(services) == simdjson::SUCCESS &&
      !services.is_null()) {
    simdjson::dom::array list;
    if (services.get_array().get(list) != simdjson::SUCCESS)
      return bad_answer("the answer's \"impacted_services\" is not a list of strings");
    for (const element item : list) {
      std::string_view name;
      if (item.get_string().get(name) != simdjson::SUCCESS)
        return bad_answer("the answer's \"impacted_services\" is not a list of strings");
      name = trim_space(name);
      if (!name.empty()) summary.services.emplace_back(name);
    }
  }
  return summary;
}

// The report in `value`, taking off at most `unwraps` wrappers.
Result<Summary> report_from(element value, int unwraps) {
  simdjson::dom::array list;
  if (value.get_array().get(list) == simdjson::SUCCESS) {
    if (list.size() != 1 || unwraps == 0) {
      return bad_answer(fmt::format("the answer is a list of {} elements, not one report",
                                    list.size()));
    }
    return report_from(list.at(0).value_unsafe(), unwraps - 1);
  }
  object obj;
  if (value.get_object().get(obj) != simdjson::SUCCESS)
    return bad_answer("the answer is not a JSON object");
  if (obj.size() == 1 && !has_report_key(obj) && unwraps > 0) {
    const element inner = (*obj.begin()).value;
    if (inner.is_object() || inner.is_array()) return report_from(inner, unwraps - 1);
  }
  return report_fields(obj);
}

// Parses `text` as JSON with `parser` (which copies it into a padded buffer of its own); the
// element is valid until the parser's next parse.
simdjson::error_code parse_json(simdjson::dom::parser& parser, std::string_view text,
                                element& out) {
  // An empty view may have a null data(), which simdjson would hand to memcpy: undefined
  // behaviour even for zero bytes (found by the incident_report fuzz target).
  if (text.empty()) return simdjson::EMPTY;
  return parser.parse(text.data(), text.size()).get(out);
}

}  // namespace

std::string one_line_preview(std::string_view text, std::size_t max_bytes) {
  const std::string_view kept = cut_utf8(text, max_bytes);
  std::string out(kept);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = ' ';
  }
  if (kept.size() < text.size()) out.append("...");
  return out;
}

Result<Summary> parse_incident_report(std::string_view content) {
  const std::string_view text = trim_space(content);
  if (text.empty()) return bad_answer("the answer is empty");
  simdjson::dom::parser parser;
  element doc;
  if (parse_json(parser, text, doc) == simdjson::SUCCESS) return report_from(doc, kMaxUnwraps);
  const std::optional<std::string_view> block = fenced_block(text);
  if (!block) {
    return bad_answer(
        fmt::format("the answer is not a JSON object: \"{}\"", one_line_preview(text)));
  }
  if (parse_json(parser, trim_space(*block), doc) != simdjson::SUCCESS) {
    return bad_answer(fmt::format("the code block in the answer is not JSON: \"{}\"",
                                  one_line_preview(trim_space(*block))));
  }
  return report_from(doc, kMaxUnwraps);
}

std::optional<std::string> api_error_message(std::string_view body) {
  simdjson::dom::parser parser;
  element doc;
  if (parse_json(parser, body, doc) != simdjson::SUCCESS) return std::nullopt;
  element error;
  if (doc.at_key("error").get(error) != simdjson::SUCCESS) return std::nullopt;
  std::string_view message;
  if (error.get_string().get(message) == simdjson::SUCCESS ||
      error.at_key("message").get_string().get(message) == simdjson::SUCCESS) {
    return one_line_preview(trim_space(message), 200);
  }
  return std::nullopt;
}

Result<Summary> parse_chat_response(std::string_view body) {
  if (std::optional<std::string> error = api_error_message(body))
    return bad_answer(fmt::format("the API answered with an error: {}", *error));
  simdjson::dom::parser parser;
  element doc;
  if (parse_json(parser, body, doc) != simdjson::SUCCESS) {
    return bad_answer(
        fmt::format("the server's answer is not JSON: \"{}\"", one_line_preview(trim_space(body))));
  }
  std::string_view content_view;
  if (doc.at_pointer("/choices/0/message/content").get_string().get(content_view) !=
      simdjson::SUCCESS) {
    return bad_answer("the server's answer has no choices[0].message.content string");
  }
  std::string_view finish_reason;
  const bool cut = doc.at_pointer("/choices/0/finish_reason").get_string().get(finish_reason) ==
                       simdjson::SUCCESS &&
                   finish_reason == "length";
  // The content is parsed with a parser of its own, so the body's elements stay valid.
  Result<Summary> report = parse_incident_report(content_view);
  if (!report.ok() && cut) {
    return bad_answer(fmt::format("{} (the answer was cut at max_tokens; raise it)",
                                  report.status().message()));
  }
  return report;
}

}  // namespace logtail
