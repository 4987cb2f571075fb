// The OpenAI speech synth: the request is built here, posted and retried by the same code as
// the summarizer's backend (openai_http.h).
#include "logtail/openai_speech.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "json_escape.h"
#include "openai_http.h"
#include "status_text.h"

namespace logtail {
namespace {

constexpr std::string_view kWho = "the OpenAI speech synth";

Status check_options(const OpenAiSpeechOptions& o) {
  if (Status s = check_openai_base_url(o.base_url, kWho); !s.ok()) return s;
  if (o.model.empty() || has_space_or_control(o.model)) {
    return invalid(
        "the OpenAI speech synth's model name is empty or has spaces: give a speech model the "
        "server serves, such as tts-1");
  }
  if (o.voice.empty() || has_space_or_control(o.voice)) {
    return invalid(
        "the OpenAI speech synth's voice is empty or has spaces: give a voice the server "
        "knows, such as alloy");
  }
  if (o.timeout.count() <= 0) {
    return invalid(fmt::format("the OpenAI speech synth's timeout {} ms: use a positive time "
                               "per attempt (30s by default)",
                               o.timeout.count()));
  }
  if (o.retries < 0 || o.retries > kMaxOpenAiRetries) {
    return invalid(fmt::format("the OpenAI speech synth's retries {}: use 0 to {} (1 by "
                               "default)",
                               o.retries, kMaxOpenAiRetries));
  }
  if (o.backoff.count() < 0) {
    return invalid(fmt::format("the OpenAI speech synth's backoff {} ms: use 0 or more (500ms "
                               "by default)",
                               o.backoff.count()));
  }
  if (o.max_audio_bytes < 1024) {
    return invalid(fmt::format("the OpenAI speech synth's max_audio_bytes {}: use 1024 or more "
                               "(32 MiB by default)",
                               o.max_audio_bytes));
  }
  return check_openai_api_key(o.api_key, kWho);
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  append_json_escaped(out, text);
  out += '"';
  return out;
}

class OpenAiSpeechSynth final : public SpeechSynth {
 public:
  explicit OpenAiSpeechSynth(OpenAiSpeechOptions options) : options_(std::move(options)) {
    endpoint_ = openai_endpoint(options_.base_url, "/audio/speech");
    headers_.emplace_back("Content-Type: application/json");
    headers_.emplace_back(options_.format == AudioFormat::wav ? "Accept: audio/wav"
                                                              : "Accept: audio/mpeg");
    if (!options_.api_key.empty()) headers_.push_back("Authorization: Bearer " + options_.api_key);
  }

  std::string_view name() const override { return "openai"; }

  Result<SpeechAudio> synthesize(std::string_view text) override {
    if (text.empty()) return invalid("the OpenAI speech synth was given no text to say");
    const std::string body = fmt::format(
        R"({{"model":{},"input":{},"voice":{},"response_format":"{}"}})",
        json_string(options_.model), json_string(text), json_string(options_.voice),
        to_string(options_.format));
    HttpPost post{.url = endpoint_,
                  .body = body,
                  .headers = headers_,
                  .timeout = options_.timeout,
                  .connect_timeout = std::min(options_.timeout, kMaxOpenAiConnectTimeout),
                  .max_response_bytes = options_.max_audio_bytes};
    const AudioFormat wanted = options_.format;
    Result<SpeechAudio> audio = post_with_retries<SpeechAudio>(
        post, options_.retries, options_.backoff,
        [wanted](const HttpResponse& response) -> Result<SpeechAudio> {
          Result<AudioFormat> format = sniff_audio_format(response.body);
          if (!format.ok()) return format.status();
          if (*format != wanted) {
            return Status(StatusKind::corrupt,
                          fmt::format("the audio is {}, but {} was asked for",
                                      to_string(*format), to_string(wanted)));
          }
          return SpeechAudio{*format, response.body};
        });
    if (!audio.ok()) {
      return Status(StatusKind::unavailable,
                    fmt::format("the OpenAI speech synth made no audio: {}",
                                redact_secret(audio.status().message(), options_.api_key)));
    }
    return audio;
  }

 private:
  OpenAiSpeechOptions options_;
  std::string endpoint_;
  std::vector<std::string> headers_;
};

}  // namespace

Result<std::unique_ptr<SpeechSynth>> make_openai_speech_synth(OpenAiSpeechOptions options) {
  if (Status s = check_options(options); !s.ok()) return s;
  if (options.api_key.empty()) {
    options.api_key = openai_key_from_environment();
    if (Status s = check_options(options); !s.ok()) return s;
  }
  return std::unique_ptr<SpeechSynth>(std::make_unique<OpenAiSpeechSynth>(std::move(options)));
}

}  // namespace logtail
