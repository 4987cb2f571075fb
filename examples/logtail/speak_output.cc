#include "speak_output.h"

#include <string>
#include <utility>

#include "logtail/speaker.h"

namespace logtail::cli {
namespace {

class Speaking final : public SpeakOutput {
 public:
  explicit Speaking(std::shared_ptr<Speaker> speaker) : speaker_(std::move(speaker)) {}
  std::shared_ptr<SummarySink> sink() override { return speaker_; }
  void close() override { speaker_->close(); }

 private:
  std::shared_ptr<Speaker> speaker_;
};

}  // namespace

Result<std::unique_ptr<SpeakOutput>> make_speak_output(std::string_view output,
                                                       const SpeakOptions& options,
                                                       DiagnosticHandler diagnostics) {
  SpeakerSpec spec;
  spec.speech = options.speech_url.empty() ? "espeak" : "openai";
  spec.voice = options.voice;
  spec.rate = options.rate;
  spec.audio_output = output.empty() ? "device" : std::string(output);
  spec.openai_base_url = options.speech_url;
  if (!options.speech_model.empty()) spec.openai_model = options.speech_model;
  spec.options.on_diagnostic = std::move(diagnostics);
  auto speaker = make_speaker(std::move(spec));
  if (!speaker.ok()) return speaker.status();
  return std::unique_ptr<SpeakOutput>(std::make_unique<Speaking>(std::move(*speaker)));
}

}  // namespace logtail::cli
