// The OpenAI-compatible summary backend: a chat completion from a local llama.cpp server,
// Ollama, vLLM, or OpenAI itself, asked for a JSON incident report.
//
// Log lines are untrusted: the request sends them as JSON strings inside fenced data
// blocks, labelled NEW and HISTORY, and the system prompt tells the model that instructions
// inside them are data. The answer must be a JSON object with "title", "severity" and
// "summary" (strings) and optionally "impacted_services" (strings); accepted bare, wrapped
// in a one-key object or a one-element list, or inside a markdown code fence. Anything else
// is a failed call; the summarizer then falls back to the template backend.
//
// Thread: summarize() blocks the summarizer's worker thread for at most
// (retries + 1) * timeout plus the backoff between attempts; never the engine's loop.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "logtail/summary_backend.h"

namespace logtail {

struct OpenAiOptions {
  // The API's base URL, up to and including the version: "http://127.0.0.1:8080/v1",
  // "https://api.openai.com/v1". The request goes to base_url + "/chat/completions".
  std::string base_url{};
  std::string model = "gpt-4o-mini";
  // Sent as "Authorization: Bearer KEY" when not empty; never logged or reported. Empty:
  // taken from LOGTAIL_LLM_API_KEY, then OPENAI_API_KEY; none is fine for local servers.
  std::string api_key{};
  double temperature = 0.3;
  int max_tokens = 300;
  // Replaces the built-in system prompt when not empty.
  std::string system_prompt{};
  std::chrono::milliseconds timeout{15000};  // per attempt, connection included
  int retries = 2;                           // after the first attempt
  std::chrono::milliseconds backoff{500};    // before the first retry; doubles each time
};

// Checks the options (a base URL with http:// or https://, a model, a positive timeout,
// temperature in [0, 2]) and returns the backend.
Result<std::unique_ptr<SummaryBackend>> make_openai_backend(OpenAiOptions options);

// Reads a system prompt from `path` (for OpenAiOptions::system_prompt): an error names the
// file when it cannot be read or is empty.
Result<std::string> load_system_prompt(const std::string& path);

// The built-in system prompt.
std::string_view default_system_prompt();

}  // namespace logtail
