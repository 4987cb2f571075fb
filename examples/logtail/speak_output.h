// The `logtail` command's speaker: `--sink speak[=OUTPUT]` with the --voice and --speech-*
// options. The speaker is not an engine sink of its own: it takes the summarizer's
// summaries, so the command hangs it below the summary sink.
#pragma once

#include <memory>
#include <string_view>

#include "logtail/diagnostic.h"
#include "logtail/summary.h"
#include "options.h"

namespace logtail::cli {

// A speaker that can be closed before the command exits, so what is queued is spoken.
class SpeakOutput {
 public:
  virtual ~SpeakOutput() = default;
  virtual std::shared_ptr<SummarySink> sink() = 0;
  // Speaks (or writes) what is queued, bounded by the speaker's close timeout, which is
  // reported through the diagnostics when hit.
  virtual void close() = 0;
};

// OUTPUT as speak=OUTPUT gives it (empty: "device"). The speaker's diagnostics (fallbacks,
// skipped clips) go to `diagnostics`, from its threads.
Result<std::unique_ptr<SpeakOutput>> make_speak_output(std::string_view output,
                                                       const SpeakOptions& options,
                                                       DiagnosticHandler diagnostics);

}  // namespace logtail::cli
