#include "openai_http.h"

#include <cctype>
#include <cstdlib>

#include "status_text.h"

namespace logtail {
namespace {

bool has_prefix_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

bool has_space_or_control(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7F) return true;
  }
  return false;
}

Status check_openai_base_url(std::string_view url, std::string_view who) {
  if (url.empty()) {
    return invalid(fmt::format(
        "{} needs a base URL: give the API's address up to its version, such as "
        "http://127.0.0.1:8080/v1",
        who));
  }
  std::string_view rest;
  if (has_prefix_nocase(url, "http://")) {
    rest = url.substr(7);
  } else if (has_prefix_nocase(url, "https://")) {
    rest = url.substr(8);
  }
  const bool has_host = !rest.empty() && rest.front() != '/' && rest.front() != '?';
  if (!has_host || has_space_or_control(url)) {
    return invalid(fmt::format(
        "{}'s base URL '{}': use an http:// or https:// base URL such as "
        "http://127.0.0.1:8080/v1",
        who, one_line_preview(redact_url(url), 120)));
  }
  return {};
}

Status check_openai_api_key(std::string_view key, std::string_view who) {
  // The key itself is never quoted.
  for (const char c : key) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return invalid(fmt::format(
          "{}'s API key contains a line break: give the key alone, on one line", who));
    }
  }
  return {};
}

std::string openai_key_from_environment() {
  for (const char* name : {"LOGTAIL_LLM_API_KEY", "OPENAI_API_KEY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && value[0] != '\0') return value;
  }
  return {};
}

std::string openai_endpoint(std::string_view base_url, std::string_view path) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return fmt::format("{}{}", base_url, path);
}

std::string redact_secret(std::string text, std::string_view secret) {
  constexpr std::string_view kMask = "[api key]";
  if (secret.empty()) return text;
  // The search goes on after the mask, which may itself contain a (short) secret.
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kMask.size())) {
    text.replace(at, secret.size(), kMask);
  }
  return text;
}

std::string http_failure_reason(const HttpResponse& response, std::string_view url) {
  const std::optional<std::string> api_reason = api_error_message(response.body);
  std::string why = api_reason ? *api_reason : one_line_preview(response.body);
  if (why.empty()) why = "empty body";
  return fmt::format("HTTP {} from {}: {}", response.status, url, why);
}

}  // namespace logtail
