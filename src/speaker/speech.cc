#include "logtail/speech.h"

#include <fmt/format.h>

#include <utility>

namespace logtail {

std::string_view to_string(AudioFormat format) {
  switch (format) {
    case AudioFormat::wav: return "wav";
    case AudioFormat::mp3: return "mp3";
  }
  return "unknown";
}

Result<AudioFormat> sniff_audio_format(std::string_view bytes) {
  if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WAVE")
    return AudioFormat::wav;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "ID3") return AudioFormat::mp3;
  // An MPEG audio frame header: 11 set sync bits, a version that is not "reserved" (01) and
  // a layer that is not "reserved" (00).
  if (bytes.size() >= 2) {
    const auto b0 = static_cast<unsigned char>(bytes[0]);
    const auto b1 = static_cast<unsigned char>(bytes[1]);
    if (b0 == 0xFF && (b1 & 0xE0) == 0xE0 && (b1 & 0x18) != 0x08 && (b1 & 0x06) != 0)
      return AudioFormat::mp3;
  }
  std::string start;
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 8); ++i)
    start += fmt::format("{:02x}", static_cast<unsigned char>(bytes[i]));
  return Status(StatusKind::corrupt,
                bytes.empty() ? std::string("the audio is empty: expected a WAV or MP3 file")
                              : fmt::format("the audio is neither WAV nor MP3 (it starts with "
                                            "bytes {}, {} bytes in all)",
                                            start, bytes.size()));
}

namespace {

class FallbackSynth final : public SpeechSynth {
 public:
  FallbackSynth(std::unique_ptr<SpeechSynth> primary, std::unique_ptr<SpeechSynth> fallback,
                DiagnosticHandler on_diagnostic)
      : primary_(std::move(primary)),
        fallback_(std::move(fallback)),
        on_diagnostic_(std::move(on_diagnostic)) {}

  std::string_view name() const override { return primary_->name(); }

  Result<SpeechAudio> synthesize(std::string_view text) override {
    Result<SpeechAudio> first = primary_->synthesize(text);
    if (first.ok()) return first;
    Result<SpeechAudio> second = fallback_->synthesize(text);
    if (!second.ok()) {
      return Status(second.status().kind(),
                    fmt::format("speech synth '{}' failed: {}; its fallback '{}' failed too: {}",
                                primary_->name(), first.status().message(), fallback_->name(),
                                second.status().message()));
    }
    if (on_diagnostic_) {
      on_diagnostic_(Diagnostic{
          DiagnosticKind::speech_fallback, Severity::warning, {},
          fmt::format("speech synth '{}' failed, '{}' spoke instead: {}", primary_->name(),
                      fallback_->name(), first.status().message())});
    }
    return second;
  }

 private:
  std::unique_ptr<SpeechSynth> primary_;
  std::unique_ptr<SpeechSynth> fallback_;
  DiagnosticHandler on_diagnostic_;
};

}  // namespace

std::unique_ptr<SpeechSynth> make_fallback_synth(std::unique_ptr<SpeechSynth> primary,
                                                 std::unique_ptr<SpeechSynth> fallback,
                                                 DiagnosticHandler on_diagnostic) {
  return std::make_unique<FallbackSynth>(std::move(primary), std::move(fallback),
                                         std::move(on_diagnostic));
}

}  // namespace logtail
