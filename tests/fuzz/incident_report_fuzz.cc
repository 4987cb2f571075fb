// Fuzz target: the summarizer's reading of a model's answer. Each input is tried as a
// chat-completions body, as the model's content itself, and as an error body. Checked: no
// crash; a failure is one line; a parsed report has a non-empty, trimmed title and text and
// no empty service names; the preview helper keeps to its byte limit (plus "...") and its
// output is free of control bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "incident_report.h"

namespace {

bool trimmed_non_empty(const std::string& s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  return !s.empty() && kSpace.find(s.front()) == std::string_view::npos &&
         kSpace.find(s.back()) == std::string_view::npos;
}

void check(const logtail::Result<logtail::Summary>& result) {
  if (!result.ok()) {
    FUZZ_CHECK(result.status().message().find('\n') == std::string::npos);
    return;
  }
  FUZZ_CHECK(trimmed_non_empty(result->title));
  FUZZ_CHECK(trimmed_non_empty(result->text));
  for (const std::string& service : result->services) FUZZ_CHECK(!service.empty());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An exact-size copy, so that reading past the end is caught.
  const std::vector<char> bytes(data, data + size);
  const std::string_view text(bytes.data(), bytes.size());
  check(logtail::parse_chat_response(text));
  check(logtail::parse_incident_report(text));
  if (auto message = logtail::api_error_message(text))
    FUZZ_CHECK(message->find('\n') == std::string::npos);
  for (const std::size_t max : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{80}}) {
    const std::string preview = logtail::one_line_preview(text, max);
    FUZZ_CHECK(preview.size() <= max + 3);
    for (char c : preview) {
      const auto b = static_cast<unsigned char>(c);
      FUZZ_CHECK(b >= 0x20 && b != 0x7f);
    }
  }
  return 0;
}
