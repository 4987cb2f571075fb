// The `logtail` command's summary sink: `--sink summary[=ARG]` with the --summary-* and
// --llm-* options.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "logtail/diagnostic.h"
#include "logtail/sink.h"
#include "logtail/summary.h"
#include "options.h"

namespace logtail::cli {

// ARG empty or "text": one line per summary on standard output, for people; "jsonl": one
// JSON object per summary on standard output; anything else: a file to append them to as
// JSON lines; nullopt: no such output (the summaries go only to `more`). Each summary also
// goes to the sinks in `more` (the speaker). The summarizer's diagnostics (fallbacks,
// failed outputs) go to `diagnostics`, from its worker thread.
Result<std::shared_ptr<Sink>> make_summary_sink(std::optional<std::string_view> arg,
                                                const SummaryOptions& options,
                                                DiagnosticHandler diagnostics,
                                                std::vector<std::shared_ptr<SummarySink>> more);

}  // namespace logtail::cli
