// Reading the OpenAI backend's answer: a chat-completions response body, and the incident
// report the model wrote in it. Pure (simdjson), no I/O.
//
// The report is a JSON object with "title", "summary" (non-empty strings), "severity" (a name
// parse_severity accepts) and optionally "impacted_services" (a list of strings). Models
// wrap it in various ways; accepted are: the bare object, the object as the only value of a
// one-key object ({"incident_report": {...}}) or of a one-element list, and either of those
// inside a markdown code fence (```json ... ``` or ``` ... ```) with prose around it.
// Anything else fails with a one-line reason.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "logtail/summary.h"

namespace logtail {

// The Summary in a chat-completions body: choices[0].message.content parsed as a report.
// A body of the form {"error": {"message": ...}} fails with the API's message. Only text,
// title, severity and services are filled in.
Result<Summary> parse_chat_response(std::string_view body);

// The Summary in the model's answer text (the message content).
Result<Summary> parse_incident_report(std::string_view content);

// The API's own reason in an error body: {"error": {"message": "..."}} or {"error": "..."};
// nullopt when the body is not of that form.
std::optional<std::string> api_error_message(std::string_view body);

// At most `max_bytes` of `text` on one line, for messages: control bytes become spaces, a
// cut (on a UTF-8 boundary) ends with "...".
std::string one_line_preview(std::string_view text, std::size_t max_bytes = 80);

}  // namespace logtail
