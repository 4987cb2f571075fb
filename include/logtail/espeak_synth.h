// The espeak-ng synth: speech made on this machine by libespeak-ng, no network.
//
// libespeak-ng keeps its state in process globals and is not thread-safe. Every espeak synth
// of the process shares one engine behind one process-wide lock, initialised on first use
// and never terminated (other code in the host may use espeak too; terminating it under
// them would break them). Synthesis is serialised: two speakers take turns.
//
// The clip is a 16-bit mono PCM WAV at espeak's sample rate (22050 Hz).
#pragma once

#include <memory>
#include <string>

#include "logtail/speech.h"

namespace logtail {

struct EspeakOptions {
  // An espeak-ng voice or language name: "en", "en-us", "de", "fr+f3". `espeak-ng --voices`
  // lists them.
  std::string voice = "en";
  int rate = 175;    // words per minute, 80 to 450
  int volume = 100;  // 0 to 200; 100 is espeak's normal
  int pitch = 50;    // 0 to 100; 50 is espeak's normal
  // The directory holding espeak-ng-data; empty: the system's (the package's) location.
  std::string data_path{};
};

// Checks the options, initialises espeak-ng if this is the first synth, and checks that the
// voice exists. Errors name the option and the fix (an unknown voice names
// `espeak-ng --voices`).
Result<std::unique_ptr<SpeechSynth>> make_espeak_synth(EspeakOptions options = {});

}  // namespace logtail
