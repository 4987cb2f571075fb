// incident_speaker: hear your incidents. Follows log files, finds the incident lines, sums
// each burst up in one sentence and reads it aloud: the whole pipeline composed in code.
//
//   incident_speaker [--llm-url URL] [--llm-model NAME] [--audio OUTPUT] [--voice NAME]
//                    [--from beginning|end] FILE...
//
// OUTPUT is what logtail::SpeakerSpec::audio_output takes: device (the default), dummy,
// disk[:FILE], wav:DIR, or auto:DIR (the device, or WAV files in DIR when there is none).
// Ctrl-C stops it cleanly: the open window is summarized and spoken before it exits.
#include <csignal>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "logtail/observers/incidents.h"
#include "logtail/logtail.h"
#include "logtail/openai_backend.h"
#include "logtail/speaker.h"
#include "logtail/summarizer.h"
#include "logtail/summary_backend.h"

namespace {

struct Args {
  std::vector<std::string> files;
  std::string llm_url, llm_model, audio = "device", voice;
  logtail::StartAt from = logtail::StartAt::end;
};

logtail::Engine* g_engine = nullptr;

extern "C" void on_interrupt(int) {
  if (g_engine != nullptr) g_engine->request_stop();  // async-signal-safe
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "incident_speaker: %s\n", message.c_str());
  std::fprintf(stderr, "usage: incident_speaker [--llm-url URL] [--llm-model NAME] "
                       "[--audio OUTPUT] [--voice NAME] [--from beginning|end] FILE...\n");
  return 2;
}

bool parse(int argc, char** argv, Args& args, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!arg.starts_with("--")) {
      args.files.emplace_back(arg);
      continue;
    }
    if (i + 1 == argc) {
      error = std::string(arg) + " needs a value";
      return false;
    }
    const std::string value = argv[++i];
    if (arg == "--llm-url") args.llm_url = value;
    else if (arg == "--llm-model") args.llm_model = value;
    else if (arg == "--audio") args.audio = value;
    else if (arg == "--voice") args.voice = value;
    else if (arg == "--from" && (value == "beginning" || value == "end"))
      args.from = value == "end" ? logtail::StartAt::end : logtail::StartAt::beginning;
    else {
      error = "unknown option or value: " + std::string(arg) + " " + value;
      return false;
    }
  }
  if (args.files.empty()) error = "name at least one log file to follow";
  return error.empty();
}

void print_diagnostic(const logtail::Diagnostic& d) {
  if (d.severity >= logtail::Severity::warning)
    std::fprintf(stderr, "incident_speaker: %s\n", d.message.c_str());
}

// The summarizer's backend: the template sentence, or an OpenAI-compatible API.
logtail::Result<std::unique_ptr<logtail::SummaryBackend>> backend(const Args& args) {
  if (args.llm_url.empty()) return logtail::make_template_backend();
  logtail::OpenAiOptions openai;
  openai.base_url = args.llm_url;
  if (!args.llm_model.empty()) openai.model = args.llm_model;
  return logtail::make_openai_backend(std::move(openai));
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  std::string error;
  if (!parse(argc, argv, args, error)) return usage_error(error);

  // The speaker: espeak-ng's voice into the chosen audio output.
  logtail::SpeakerSpec speech;
  speech.audio_output = args.audio;
  speech.voice = args.voice;
  speech.options.on_diagnostic = print_diagnostic;
  auto speaker = logtail::make_speaker(speech);
  if (!speaker.ok()) return usage_error(speaker.status().message());

  // The summarizer hands each sentence to the speaker, then to a printer.
  auto sentences = backend(args);
  if (!sentences.ok()) return usage_error(sentences.status().message());
  auto printer = logtail::summary_callback([](const logtail::Summary& s) {
    std::printf("%s\n", logtail::format_summary_line(s).c_str());
    std::fflush(stdout);
    return logtail::Status{};
  });
  logtail::SummarizerOptions windows;
  windows.window = std::chrono::seconds(3);
  windows.on_diagnostic = print_diagnostic;
  auto summarizer = logtail::Summarizer::create(windows, std::move(*sentences),
                                                {*speaker, printer});
  if (!summarizer.ok()) return usage_error(summarizer.status().message());

  // The engine: every file, the incidents observer, routed to the summarizer.
  logtail::EngineOptions options;
  options.start_at = args.from;
  logtail::Engine engine(options);
  engine.on_diagnostic(print_diagnostic);
  auto incidents = logtail::observers::IncidentsObserver::create();
  if (!incidents.ok()) return usage_error(incidents.status().message());
  engine.route(engine.add(std::move(*incidents)), *summarizer);
  for (const std::string& file : args.files) {
    if (auto s = engine.watch(file); !s.ok()) return usage_error(s.message());
  }

  g_engine = &engine;
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  const logtail::Status stopped = engine.run();  // until Ctrl-C
  g_engine = nullptr;
  (*speaker)->close();  // what is still queued is spoken first
  if (!stopped.ok()) {
    std::fprintf(stderr, "incident_speaker: %s\n", stopped.message().c_str());
    return 1;
  }
  return 0;
}
