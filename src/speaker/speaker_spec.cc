// make_speaker: a Speaker from the plain strings of a command line or a configuration file.
#include <fmt/format.h>

#include "logtail/audio_outputs.h"
#include "logtail/espeak_synth.h"
#include "logtail/openai_speech.h"
#include "logtail/speaker.h"

namespace logtail {
namespace {

Result<std::unique_ptr<SpeechSynth>> make_synth(const SpeakerSpec& spec) {
  EspeakOptions espeak;
  espeak.rate = spec.rate;
  espeak.volume = spec.volume;
  if (spec.speech == "espeak") {
    if (!spec.voice.empty()) espeak.voice = spec.voice;
    return make_espeak_synth(espeak);
  }
  if (spec.speech == "openai") {
    OpenAiSpeechOptions openai;
    openai.base_url = spec.openai_base_url;
    openai.model = spec.openai_model;
    if (!spec.voice.empty()) openai.voice = spec.voice;
    Result<std::unique_ptr<SpeechSynth>> primary = make_openai_speech_synth(std::move(openai));
    if (!primary.ok()) return primary.status();
    Result<std::unique_ptr<SpeechSynth>> fallback = make_espeak_synth(espeak);
    if (!fallback.ok()) return fallback.status();
    return make_fallback_synth(std::move(*primary), std::move(*fallback),
                               spec.options.on_diagnostic);
  }
  return Status(StatusKind::invalid_argument,
                fmt::format("unknown speech synth '{}': use 'espeak' or 'openai'", spec.speech));
}

// "auto:DIR": the sound device when there is one, else WAV files in DIR that can still be
// played later, which beats SDL's dummy driver, where the speech is lost.
Result<std::unique_ptr<AudioOutput>> device_or_wav(const SpeakerSpec& spec,
                                                   std::string_view dir) {
  SdlOutputOptions sdl;
  sdl.fallback_driver.clear();
  Result<std::unique_ptr<AudioOutput>> device = make_sdl_output(std::move(sdl));
  if (device.ok() || device.status().kind() != StatusKind::unavailable) return device;
  Result<std::unique_ptr<AudioOutput>> wav = make_wav_output(dir);
  if (!wav.ok()) return wav;
  if (spec.options.on_diagnostic) {
    spec.options.on_diagnostic(Diagnostic{
        DiagnosticKind::audio_fallback, Severity::warning, {},
        fmt::format("no sound device: {}; each summary's speech is written as a WAV file "
                    "into {} instead",
                    device.status().message(), dir)});
  }
  return wav;
}

Result<std::unique_ptr<AudioOutput>> make_output(const SpeakerSpec& spec) {
  const std::string_view what = spec.audio_output;
  SdlOutputOptions sdl;
  sdl.on_diagnostic = spec.options.on_diagnostic;
  if (what == "device") return make_sdl_output(std::move(sdl));
  if (what == "dummy" || what == "disk" || what.starts_with("disk:")) {
    sdl.driver = what == "dummy" ? "dummy" : "disk";
    if (what.starts_with("disk:")) sdl.disk_file = std::string(what.substr(5));
    return make_sdl_output(std::move(sdl));
  }
  if (what.starts_with("wav:") && what.size() > 4) return make_wav_output(what.substr(4));
  if (what.starts_with("auto:") && what.size() > 5) return device_or_wav(spec, what.substr(5));
  return Status(StatusKind::invalid_argument,
                fmt::format("unknown audio output '{}': use 'device', 'dummy', 'disk', "
                            "'disk:FILE', 'wav:DIR' or 'auto:DIR'",
                            what));
}

}  // namespace

Result<std::shared_ptr<Speaker>> make_speaker(SpeakerSpec spec) {
  Result<std::unique_ptr<SpeechSynth>> synth = make_synth(spec);
  if (!synth.ok()) return synth.status();
  Result<std::unique_ptr<AudioOutput>> output = make_output(spec);
  if (!output.ok()) return output.status();
  return Speaker::create(std::move(spec.options), std::move(*synth), std::move(*output));
}

}  // namespace logtail
