#include "logtail/openai_speech.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "audio_checks.h"
#include "logtail/espeak_synth.h"
#include "logtail/wav.h"
#include "support/fake_openai_server.h"
#include "support/scoped_env.h"

namespace logtail {
namespace {

using namespace std::chrono_literals;
using test::FakeOpenAiServer;
using test::FakeReply;

constexpr std::string_view kSecret = "sk-speech-0123456789abcdef";

std::string tone_wav() { return encode_wav(test::sine(440, 0.4, 24000)); }

OpenAiSpeechOptions options_at(const FakeOpenAiServer& server) {
  OpenAiSpeechOptions o;
  o.base_url = server.base_url();
  o.api_key = std::string(kSecret);
  o.backoff = 1ms;
  o.timeout = 10s;
  return o;
}

FakeReply api_error(int status, std::string_view message) {
  return FakeReply::answer(status,
                           R"({"error":{"message":")" + std::string(message) + R"("}})");
}

class OpenAiSpeechTest : public ::testing::Test {};

TEST_F(OpenAiSpeechTest, PostsTheRequestAndReturnsTheWav) {
  FakeOpenAiServer server({FakeReply::audio(tone_wav())});
  OpenAiSpeechOptions o = options_at(server);
  o.voice = "nova";
  Result<std::unique_ptr<SpeechSynth>> synth = make_openai_speech_synth(o);
  ASSERT_TRUE(synth.ok()) << synth.status().message();
  EXPECT_EQ((*synth)->name(), "openai");
  Result<SpeechAudio> audio = (*synth)->synthesize("Disk \"full\" on db-1.");
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  EXPECT_EQ(audio->format, AudioFormat::wav);
  EXPECT_EQ(audio->bytes, tone_wav());
  Result<PcmAudio> pcm = decode_wav(audio->bytes);
  ASSERT_TRUE(pcm.ok());
  EXPECT_GT(test::rms(pcm->samples), 1000.0);

  ASSERT_EQ(server.request_count(), 1u);
  const test::RecordedRequest request = server.requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/v1/audio/speech");
  EXPECT_EQ(request.header("Authorization"), "Bearer " + std::string(kSecret));
  EXPECT_EQ(request.header("Content-Type"), "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  ASSERT_EQ(parser.parse(request.body).get(body), simdjson::SUCCESS) << request.body;
  EXPECT_EQ(std::string_view(body["model"]), "tts-1");
  EXPECT_EQ(std::string_view(body["input"]), "Disk \"full\" on db-1.");
  EXPECT_EQ(std::string_view(body["voice"]), "nova");
  EXPECT_EQ(std::string_view(body["response_format"]), "wav");
}

TEST_F(OpenAiSpeechTest, AsksForMp3AndChecksTheAnswerIsMp3) {
  // An MPEG frame header and some bytes: enough for the magic check, which is all the synth
  // does with it.
  const std::string mp3 = std::string("\xff\xfb\x90\x64", 4) + std::string(400, '\0');
  FakeOpenAiServer server({FakeReply::audio(mp3, "audio/mpeg"),
                           FakeReply::audio(tone_wav()), FakeReply::audio(tone_wav())});
  OpenAiSpeechOptions o = options_at(server);
  o.format = AudioFormat::mp3;
  o.retries = 1;
  Result<std::unique_ptr<SpeechSynth>> synth = make_openai_speech_synth(o);
  ASSERT_TRUE(synth.ok());
  Result<SpeechAudio> audio = (*synth)->synthesize("ok");
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  EXPECT_EQ(audio->format, AudioFormat::mp3);
  EXPECT_NE(server.requests()[0].body.find(R"("response_format":"mp3")"), std::string::npos);
  // A WAV when MP3 was asked for is a failed call.
  Result<SpeechAudio> wrong = (*synth)->synthesize("ok");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("the audio is wav, but mp3 was asked for"),
            std::string::npos)
      << wrong.status().message();
}

TEST_F(OpenAiSpeechTest, NotAudioIsAFailedCallAndRetried) {
  FakeOpenAiServer server(
      {FakeReply::garbage(), FakeReply::answer(200, "{}"), FakeReply::audio(tone_wav())});
  OpenAiSpeechOptions o = options_at(server);
  o.retries = 2;
  Result<std::unique_ptr<SpeechSynth>> synth = make_openai_speech_synth(o);
  ASSERT_TRUE(synth.ok());
  Result<SpeechAudio> audio = (*synth)->synthesize("third time lucky");
  ASSERT_TRUE(audio.ok()) << audio.status().message();
  EXPECT_EQ(server.request_count(), 3u);

  FakeOpenAiServer bad({FakeReply::garbage(), FakeReply::garbage()});
  o = options_at(bad);
  o.retries = 1;
  synth = make_openai_speech_synth(o);
  ASSERT_TRUE(synth.ok());
  Result<SpeechAudio> failed = (*synth)->synthesize("never");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().kind(), StatusKind::unavailable);
  EXPECT_NE(failed.status().message().find("neither WAV nor MP3"), std::string::npos)
      << failed.status().message();
  EXPECT_NE(failed.status().message().find("(after 2 attempts)"), std::string::npos);
}

TEST_F(OpenAiSpeechTest, ClientErrorsAreNotRetriedAndTheKeyIsNeverShown) {
  FakeOpenAiServer server(
      {api_error(401, "Incorrect API key provided: " + std::string(kSecret))});
  OpenAiSpeechOptions o = options_at(server);
  o.retries = 3;
  Result<std::unique_ptr<SpeechSynth>> synth = make_openai_speech_synth(o);
  ASSERT_TRUE(synth.ok());
  Result<SpeechAudio> audio = (*synth)->synthesize("hello");
  ASSERT_FALSE(audio.ok());
  EXPECT_EQ(server.request_count(), 1u);
  const std::string& m = audio.status().message();
  EXPECT_NE(m.find("HTTP 401"), std::string::npos) << m;
  EXPECT_NE(m.find("(not retried)"), std::string::npos) << m;
  EXPECT_EQ(m.find(kSecret), std::string::npos) << m;
  EXPECT_NE(m.find("[api key]"), std::string::npos) << m;
}

TEST_F(OpenAiSpeechTest, ServerErrorsAreRetried) {
  FakeOpenAiServer server({api_error(503, "overloaded"), FakeReply::audio(tone_wav())});
  OpenAiSpeechOptions o = options_at(server);
  o.retries = 1;
  Result<std::unique_ptr<SpeechSynth>> synth = make_openai_speech_synth(o);
  ASSERT_TRUE(synth.ok());
  EXPECT_TRUE((*synth)->synthesize("again").ok());
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(OpenAiSpeechTest, TimesOut) {
  FakeOpenAiServer server({FakeReply::never_answer()});
  OpenAiSpeechOptions o = options_at(server);
  o.retries = 0;
  o.timeout = 300ms;
  Result<std::unique_ptr<SpeechSynth>> synth = make_openai_speech_synth(o);
  ASSERT_TRUE(synth.ok());
  Result<SpeechAudio> audio = (*synth)->synthesize("slow");
  ASSERT_FALSE(audio.ok());
  EXPECT_NE(audio.status().message().find("within 300 ms"), std::string::npos)
      << audio.status().message();
}

TEST_F(OpenAiSpeechTest, KeyFromTheEnvironment) {
  FakeOpenAiServer server({FakeReply::audio(tone_wav())});
  OpenAiSpeechOptions o = options_at(server);
  o.api_key = "";
  Result<std::unique_ptr<SpeechSynth>> synth = [&] {
    const test::ScopedEnv key("LOGTAIL_LLM_API_KEY", "sk-from-env");
    return make_openai_speech_synth(o);
  }();
  ASSERT_TRUE(synth.ok());
  ASSERT_TRUE((*synth)->synthesize("env").ok());
  EXPECT_EQ(server.requests()[0].header("Authorization"), "Bearer sk-from-env");
}

TEST_F(OpenAiSpeechTest, BadOptions) {
  OpenAiSpeechOptions o;
  EXPECT_NE(make_openai_speech_synth(o).status().message().find("needs a base URL"),
            std::string::npos);
  o.base_url = "ftp://x";
  EXPECT_NE(make_openai_speech_synth(o).status().message().find("http:// or https://"),
            std::string::npos);
  o.base_url = "http://127.0.0.1:1/v1";
  o.voice = "two words";
  EXPECT_EQ(make_openai_speech_synth(o).status().kind(), StatusKind::invalid_argument);
  o.voice = "alloy";
  o.retries = 11;
  EXPECT_EQ(make_openai_speech_synth(o).status().kind(), StatusKind::invalid_argument);
  o.retries = 0;
  o.api_key = "sk\nInjected: yes";
  EXPECT_NE(make_openai_speech_synth(o).status().message().find("line break"),
            std::string::npos);
}

TEST_F(OpenAiSpeechTest, FallsBackToEspeakWithADiagnostic) {
  FakeOpenAiServer server({api_error(500, "tts down"), FakeReply::audio(tone_wav())});
  OpenAiSpeechOptions o = options_at(server);
  o.retries = 0;
  Result<std::unique_ptr<SpeechSynth>> primary = make_openai_speech_synth(o);
  Result<std::unique_ptr<SpeechSynth>> espeak = make_espeak_synth();
  ASSERT_TRUE(primary.ok() && espeak.ok());
  std::vector<Diagnostic> seen;
  std::unique_ptr<SpeechSynth> synth =
      make_fallback_synth(std::move(*primary), std::move(*espeak),
                          [&](const Diagnostic& d) { seen.push_back(d); });
  Result<SpeechAudio> spoken = synth->synthesize("The search index is stale.");
  ASSERT_TRUE(spoken.ok()) << spoken.status().message();
  Result<PcmAudio> pcm = decode_wav(spoken->bytes);
  ASSERT_TRUE(pcm.ok());
  EXPECT_GT(pcm->duration(), 500ms);  // espeak's speech, not the 0.4 s tone
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, DiagnosticKind::speech_fallback);
  EXPECT_NE(seen[0].message.find("'openai' failed, 'espeak' spoke instead"), std::string::npos)
      << seen[0].message;
  EXPECT_NE(seen[0].message.find("tts down"), std::string::npos) << seen[0].message;
  // When the primary works again, it is used and nothing is reported.
  Result<SpeechAudio> again = synth->synthesize("Back to normal.");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->bytes, tone_wav());
  EXPECT_EQ(seen.size(), 1u);
}

}  // namespace
}  // namespace logtail
