#include "summary_output.h"

#include <string>
#include <utility>

#include "logtail/openai_backend.h"
#include "logtail/summarizer.h"

namespace logtail::cli {
namespace {

Result<std::unique_ptr<SummaryBackend>> make_backend(const SummaryOptions& options) {
  if (options.llm_url.empty()) return make_template_backend();
  OpenAiOptions openai;
  openai.base_url = options.llm_url;
  if (!options.llm_model.empty()) openai.model = options.llm_model;
  openai.timeout = options.llm_timeout;
  if (!options.llm_prompt.empty()) {
    auto prompt = load_system_prompt(options.llm_prompt.string());
    if (!prompt.ok()) return prompt.status();
    openai.system_prompt = std::move(*prompt);
  }
  return make_openai_backend(std::move(openai));
}

}  // namespace

Result<std::shared_ptr<Sink>> make_summary_sink(std::optional<std::string_view> arg,
                                                const SummaryOptions& options,
                                                DiagnosticHandler diagnostics,
                                                std::vector<std::shared_ptr<SummarySink>> more) {
  std::vector<std::shared_ptr<SummarySink>> outputs;
  if (arg && (arg->empty() || *arg == "text")) {
    outputs.push_back(summary_text());
  } else if (arg) {
    auto jsonl = summary_jsonl(*arg == "jsonl" ? "-" : std::string(*arg));
    if (!jsonl.ok()) return jsonl.status();
    outputs.push_back(std::move(*jsonl));
  }
  for (auto& sink : more) outputs.push_back(std::move(sink));
  auto backend = make_backend(options);
  if (!backend.ok()) return backend.status();

  SummarizerOptions summarizer;
  summarizer.window = options.window;
  summarizer.max_events = options.max_events;
  summarizer.max_per_minute = options.max_per_minute;
  summarizer.on_diagnostic = std::move(diagnostics);
  auto created = Summarizer::create(std::move(summarizer), std::move(*backend), std::move(outputs));
  if (!created.ok()) return created.status();
  return std::shared_ptr<Sink>(std::move(*created));
}

}  // namespace logtail::cli
