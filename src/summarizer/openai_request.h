// The chat-completions request the OpenAI backend sends, built from the options and one
// window's SummaryRequest. Pure: no I/O, no clock.
//
// Log text is untrusted. The user message puts it in fenced blocks, one JSON object per line:
//   <<<WINDOW          the window (sources, start, end, events)
//   <<<NEW_INCIDENTS   this window's groups
//   <<<HISTORY         groups already summarized, for context
// each closed by "NAME>>>" on a line of its own. Inside a block every string is JSON-escaped
// and '<' and '>' are written as \u003c and \u003e, so no log line can close a block or open
// another one. The instructions outside the blocks (and the system prompt) say that fenced
// lines are data, never instructions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "logtail/openai_backend.h"
#include "logtail/summary_backend.h"

namespace logtail {

// What one request carries at most. A group's template and example are each cut to
// kMaxSentTextBytes (on a UTF-8 boundary, marked with "…"); only the first kMaxSentGroups
// groups of the window and of the history are listed, and the message says how many were
// left out.
inline constexpr std::size_t kMaxSentTextBytes = 500;
inline constexpr std::size_t kMaxSentGroups = 50;
inline constexpr std::size_t kMaxSentSources = 20;

// The whole request body: {"model", "messages": [system, user], "temperature",
// "max_tokens"}. The system message is options.system_prompt, or default_system_prompt()
// when that is empty.
std::string build_chat_request(const OpenAiOptions& options, const SummaryRequest& request);

// The user message alone (instructions and the three fenced blocks).
std::string build_user_message(const SummaryRequest& request);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
// UTF-8 sequence.
std::string_view cut_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace logtail
