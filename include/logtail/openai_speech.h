// The OpenAI-compatible speech synth: POST {base_url}/audio/speech with
// {"model", "input", "voice", "response_format"}; the answer's body is the audio file.
// Works with OpenAI itself and with local servers that serve the same endpoint.
//
// The answer must be a WAV or MP3 file (checked by its first bytes) of the asked format;
// anything else is a failed call. Key, timeout and retry rules are the summarizer's OpenAI
// backend's (openai_backend.h): the key from the options, else LOGTAIL_LLM_API_KEY, else
// OPENAI_API_KEY, never reported; transport failures, 429 and 5xx retried with a doubling
// backoff.
//
// Thread: synthesize() blocks its caller for at most (retries + 1) * timeout plus the
// backoff between attempts. Wrap it with make_fallback_synth (speech.h) and espeak so a
// summary is still spoken when the service is down.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "logtail/speech.h"

namespace logtail {

struct OpenAiSpeechOptions {
  // Up to and including the version: "https://api.openai.com/v1", "http://127.0.0.1:8080/v1".
  std::string base_url{};
  std::string model = "tts-1";  // or "tts-1-hd", "gpt-4o-mini-tts"
  std::string voice = "alloy";
  AudioFormat format = AudioFormat::wav;  // sent as response_format "wav" or "mp3"
  std::string api_key{};                  // empty: from the environment, as above
  std::chrono::milliseconds timeout{30000};  // per attempt, connection included
  int retries = 1;                           // after the first attempt
  std::chrono::milliseconds backoff{500};    // before the first retry; doubles each time
  std::size_t max_audio_bytes = std::size_t{32} << 20;  // a longer answer is a failed call
};

// Checks the options (an http:// or https:// base URL, a model and voice without spaces, a
// positive timeout, retries 0 to 10) and returns the synth.
Result<std::unique_ptr<SpeechSynth>> make_openai_speech_synth(OpenAiSpeechOptions options);

}  // namespace logtail
