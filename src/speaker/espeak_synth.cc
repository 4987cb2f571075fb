// espeak-ng through its library API, in synchronous mode: espeak_Synth calls our callback
// with the samples on the calling thread and returns when the text is spoken, so the clip is
// collected in memory with no audio device involved.
#include "logtail/espeak_synth.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <fmt/format.h>

#include <cstdint>
#include <mutex>
#include <vector>

#include "logtail/wav.h"
#include "status_text.h"

namespace logtail {
namespace {

// More than this is a runaway: clean_speech_text keeps a summary to a few hundred characters.
constexpr int kMaxClipSeconds = 600;

std::string status_message(espeak_ng_STATUS status) {
  char buffer[512] = {};
  espeak_ng_GetStatusCodeMessage(status, buffer, sizeof buffer);
  return buffer[0] != '\0' ? std::string(buffer) : fmt::format("status {:#x}", +status);
}

// The process's one espeak engine. Everything in it, and every espeak call, is under `mu`.
struct Engine {
  std::mutex mu;
  bool initialised = false;
  std::string data_path;
  int sample_rate = 0;
  // Where the callback puts samples during one synthesize(); null otherwise.
  std::vector<std::int16_t>* samples = nullptr;
  bool too_long = false;
};

Engine& engine() {
  static Engine e;
  return e;
}

// Synchronous mode: called on the thread inside espeak_Synth, which holds engine().mu.
int on_samples(short* wav, int count, espeak_EVENT* /*events*/) {
  Engine& e = engine();
  if (wav == nullptr || count <= 0 || e.samples == nullptr) return 0;
  if (e.samples->size() + static_cast<std::size_t>(count) >
      static_cast<std::size_t>(e.sample_rate) * kMaxClipSeconds) {
    e.too_long = true;
    return 1;  // stops the synthesis
  }
  e.samples->insert(e.samples->end(), wav, wav + count);
  return 0;
}

// Under engine().mu.
Status initialise(Engine& e, const std::string& data_path) {
  if (e.initialised) {
    if (data_path != e.data_path) {
      return invalid(fmt::format(
          "espeak-ng is already running with data from '{}' in this process; it cannot also "
          "use '{}': give every espeak synth the same data_path",
          e.data_path.empty() ? "the system's location" : e.data_path, data_path));
    }
    return {};
  }
  espeak_ng_InitializePath(data_path.empty() ? nullptr : data_path.c_str());
  espeak_ng_ERROR_CONTEXT context = nullptr;
  espeak_ng_STATUS status = espeak_ng_Initialize(&context);
  espeak_ng_ClearErrorContext(&context);
  if (status != ENS_OK) {
    return Status(StatusKind::unavailable,
                  fmt::format("espeak-ng could not start with data from {}: {}; install "
                              "espeak-ng-data or set data_path to the directory holding "
                              "espeak-ng-data",
                              data_path.empty() ? "the system's location" : data_path,
                              status_message(status)));
  }
  status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
  if (status != ENS_OK) {
    return Status(StatusKind::internal, fmt::format("espeak-ng refused synchronous output: {}",
                                                    status_message(status)));
  }
  espeak_SetSynthCallback(on_samples);
  e.sample_rate = espeak_ng_GetSampleRate();
  e.data_path = data_path;
  e.initialised = true;
  return {};
}

// Under engine().mu: the engine's settings are global, so each synth sets its own before
// each use.
Status select(const EspeakOptions& o) {
  if (espeak_SetVoiceByName(o.voice.c_str()) != EE_OK) {
    return Status(StatusKind::not_found,
                  fmt::format("espeak-ng has no voice '{}': `espeak-ng --voices` lists the "
                              "voices (a language code such as 'en' or 'de' also works)",
                              o.voice));
  }
  if (espeak_SetParameter(espeakRATE, o.rate, 0) != EE_OK ||
      espeak_SetParameter(espeakVOLUME, o.volume, 0) != EE_OK ||
      espeak_SetParameter(espeakPITCH, o.pitch, 0) != EE_OK) {
    return Status(StatusKind::internal, "espeak-ng refused the rate, volume or pitch");
  }
  return {};
}

Status check_options(const EspeakOptions& o) {
  if (o.voice.empty()) {
    return invalid("the espeak voice is empty: give a voice such as 'en' (`espeak-ng --voices` "
                   "lists them)");
  }
  if (o.rate < espeakRATE_MINIMUM || o.rate > espeakRATE_MAXIMUM) {
    return invalid(fmt::format("the espeak rate {}: use {} to {} words per minute ({} by "
                               "default)",
                               o.rate, espeakRATE_MINIMUM, espeakRATE_MAXIMUM,
                               espeakRATE_NORMAL));
  }
  if (o.volume < 0 || o.volume > 200) {
    return invalid(fmt::format("the espeak volume {}: use 0 to 200 (100 by default)", o.volume));
  }
  if (o.pitch < 0 || o.pitch > 100) {
    return invalid(fmt::format("the espeak pitch {}: use 0 to 100 (50 by default)", o.pitch));
  }
  return {};
}

class EspeakSynth final : public SpeechSynth {
 public:
  explicit EspeakSynth(EspeakOptions options) : options_(std::move(options)) {}

  std::string_view name() const override { return "espeak"; }

  Result<SpeechAudio> synthesize(std::string_view text) override {
    if (text.empty()) return invalid("the espeak synth was given no text to say");
    Engine& e = engine();
    std::lock_guard lock(e.mu);
    if (Status s = select(options_); !s.ok()) return s;
    PcmAudio audio;
    audio.sample_rate = e.sample_rate;
    audio.channels = 1;
    e.samples = &audio.samples;
    e.too_long = false;
    // espeak wants the size including the terminating NUL.
    const std::string copy(text);
    const espeak_ERROR synth = espeak_Synth(copy.c_str(), copy.size() + 1, 0, POS_CHARACTER, 0,
                                            espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, nullptr);
    const espeak_ERROR done = espeak_Synchronize();
    e.samples = nullptr;
    if (e.too_long) {
      return Status(StatusKind::invalid_argument,
                    fmt::format("espeak-ng stopped a text of {} bytes after {} minutes of "
                                "speech: cut it shorter (clean_speech_text)",
                                text.size(), kMaxClipSeconds / 60));
    }
    if (synth != EE_OK || done != EE_OK) {
      return Status(StatusKind::internal,
                    fmt::format("espeak-ng failed to synthesize a text of {} bytes (error {})",
                                text.size(), synth != EE_OK ? +synth : +done));
    }
    if (audio.samples.empty()) {
      return Status(StatusKind::invalid_argument,
                    "espeak-ng made no sound of the text: it holds nothing to say");
    }
    return SpeechAudio{AudioFormat::wav, encode_wav(audio)};
  }

 private:
  EspeakOptions options_;
};

}  // namespace

Result<std::unique_ptr<SpeechSynth>> make_espeak_synth(EspeakOptions options) {
  if (Status s = check_options(options); !s.ok()) return s;
  Engine& e = engine();
  {
    std::lock_guard lock(e.mu);
    if (Status s = initialise(e, options.data_path); !s.ok()) return s;
    if (Status s = select(options); !s.ok()) return s;
  }
  return std::unique_ptr<SpeechSynth>(std::make_unique<EspeakSynth>(std::move(options)));
}

}  // namespace logtail
