// logtail: follows log files through rotations and restarts and writes what the observers find
// to the sinks. See docs/command.md.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostic_output.h"
#include "logtail/builtin_observers.h"
#include "logtail/logtail.h"
#include "logtail/plugin.h"
#include "options.h"
#include "speak_output.h"
#include "stats_output.h"
#include "summary_output.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// The engine the signal handlers stop, and how many stop signals came. Lock-free atomics, so
// safe to touch in a handler.
std::atomic<logtail::Engine*> g_engine{nullptr};
std::atomic<int> g_stop_signals{0};

// The first SIGINT/SIGTERM asks for a clean stop (flush, acknowledge, checkpoint); a second
// one ends the process at once, for a stop that does not finish.
extern "C" void on_stop_signal(int sig) {
  if (g_stop_signals.fetch_add(1) > 0) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  if (logtail::Engine* engine = g_engine.load()) engine->request_stop();
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// True when standard output is a pipe whose reader has gone (`logtail ... | head`).
bool stdout_closed() {
  pollfd p{STDOUT_FILENO, 0, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

bool writes_to_stdout(const std::vector<std::string>& sink_specs) {
  for (std::string_view spec : sink_specs) {
    if (spec == "jsonl" || spec == "jsonl=" || spec == "jsonl=-") return true;
  }
  return false;
}

int fail(const logtail::Status& status, int code) {
  logtail::cli::write_error_line(status.message());
  return code;
}

// Something the user wrote wrong (an unknown name, a bad ARG, a bad glob) is a usage error;
// anything else (an output file that cannot be opened) is a runtime failure.
int code_for(const logtail::Status& status) {
  return status.kind() == logtail::StatusKind::invalid_argument ? kExitUsage : kExitFailure;
}

bool names_known(std::string_view spec, const std::vector<std::string>& names) {
  const std::string_view name = logtail::cli::spec_name(spec);
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The registry reports an unknown name as not_found, which is the user's mistake here, unlike
// a not_found from a factory (an output directory that does not exist).
int code_for_spec(const logtail::Status& status, std::string_view spec,
                  const std::vector<std::string>& names) {
  return names_known(spec, names) ? code_for(status) : kExitUsage;
}

struct Parts {
  std::vector<std::unique_ptr<logtail::LineObserver>> observers;
  std::vector<std::shared_ptr<logtail::Sink>> sinks;
  std::unique_ptr<logtail::cli::SpeakOutput> speaker;  // below the first summary sink
};

// The summary sinks and the speaker. The speaker hangs below the first summary sink; with
// --sink speak alone, below a summary sink of its own that prints nothing.
std::optional<int> build_summaries(const logtail::cli::Options& options, Parts& parts,
                                   logtail::cli::DiagnosticWriter& writer) {
  using logtail::cli::spec_name;
  const auto diagnostics = [&writer](const logtail::Diagnostic& d) { writer.write(d); };
  const auto speak = std::find_if(options.sinks.begin(), options.sinks.end(),
                                  [](const std::string& s) { return spec_name(s) == "speak"; });
  if (speak != options.sinks.end()) {
    auto made = logtail::cli::make_speak_output(logtail::cli::spec_arg(*speak), options.speak, diagnostics);
    if (!made.ok()) return fail(made.status(), code_for(made.status()));
    parts.speaker = std::move(*made);
  }
  bool speaker_placed = parts.speaker == nullptr;
  for (const std::string& spec : options.sinks) {
    if (spec_name(spec) != "summary") continue;
    std::vector<std::shared_ptr<logtail::SummarySink>> more;
    if (!speaker_placed) more.push_back(parts.speaker->sink());
    speaker_placed = true;
    auto sink = logtail::cli::make_summary_sink(logtail::cli::spec_arg(spec), options.summary, diagnostics,
                                                std::move(more));
    if (!sink.ok()) return fail(sink.status(), code_for(sink.status()));
    parts.sinks.push_back(std::move(*sink));
  }
  if (!speaker_placed) {
    auto sink = logtail::cli::make_summary_sink(std::nullopt, options.summary, diagnostics,
                                                {parts.speaker->sink()});
    if (!sink.ok()) return fail(sink.status(), code_for(sink.status()));
    parts.sinks.push_back(std::move(*sink));
  }
  return std::nullopt;
}

// Builds the observers and sinks the specs name. Observers first: they have no side effects,
// while a jsonl sink creates its file. Returns an exit status on failure.
std::optional<int> build_parts(const logtail::cli::Options& options, Parts& parts,
                               logtail::cli::DiagnosticWriter& writer) {
  logtail::Registry registry;
  if (auto s = logtail::add_core_builtins(registry); !s.ok()) return fail(s, kExitFailure);
  if (auto s = logtail::add_builtin_observers(registry); !s.ok()) return fail(s, kExitFailure);
  // Plugins before any spec is looked up, so --observer and --sink can name what they add.
  for (const std::filesystem::path& plugin : options.plugins) {
    auto loaded = logtail::load_plugin(plugin, registry);
    if (!loaded.ok()) return fail(loaded.status(), code_for(loaded.status()));
  }
  for (const std::string& spec : options.observers) {
    auto observer = registry.make_observer(spec);
    if (!observer.ok()) {
      return fail(observer.status(),
                  code_for_spec(observer.status(), spec, registry.observer_names()));
    }
    parts.observers.push_back(std::move(*observer));
  }
  if (auto code = build_summaries(options, parts, writer)) return code;
  for (const std::string& spec : options.sinks) {
    const std::string_view name = logtail::cli::spec_name(spec);
    if (name == "summary" || name == "speak") continue;
    auto sink = registry.make_sink(spec);
    if (!sink.ok()) {
      return fail(sink.status(), code_for_spec(sink.status(), spec, registry.sink_names()));
    }
    parts.sinks.push_back(std::move(*sink));
  }
  return std::nullopt;
}

int run(const logtail::cli::Options& options) {
  logtail::cli::DiagnosticWriter writer(options.diagnostics);
  Parts parts;
  if (auto code = build_parts(options, parts, writer)) return *code;

  logtail::Engine engine(options.engine);
  const bool stdout_sink = writes_to_stdout(options.sinks);
  std::atomic<bool> stdout_gone{false};
  engine.on_diagnostic([&](const logtail::Diagnostic& d) {
    if (d.kind == logtail::DiagnosticKind::sink_error && stdout_sink) {
      // A reader that went away is the normal end of `logtail ... | head`, not a failure.
      if (stdout_gone.load() || stdout_closed()) {
        if (!stdout_gone.exchange(true)) engine.request_stop();
        return;
      }
    }
    writer.write(d);
  });

  // Every observer is routed to every sink.
  for (auto& observer : parts.observers) {
    logtail::LineObserver& added = engine.add(std::move(observer));
    for (const auto& sink : parts.sinks) engine.route(added, sink);
  }
  for (const std::string& path : options.paths) {
    logtail::SourceOptions source;
    source.multiline = options.multiline;
    if (auto s = engine.watch(path, source); !s.ok()) return fail(s, code_for(s));
  }

  // Last, once the whole command line has proved good: a typo must not cost the state. The
  // engine reads the checkpoints only when it starts.
  if (options.reset_state) {
    if (auto s = logtail::reset_checkpoint_state(options.engine.state_dir); !s.ok()) {
      return fail(s, kExitFailure);
    }
  }

  g_engine.store(&engine);
  // A stop signal that came while the command line was being built still counts.
  if (g_stop_signals.load() > 0) engine.request_stop();
  std::optional<logtail::cli::StatsPrinter> stats;
  if (options.stats_interval.count() > 0)
    stats.emplace(engine, options.stats_interval, options.diagnostics, writer);
  const logtail::Status status = options.once ? engine.drain() : engine.run();
  if (stats) stats->stop();
  g_engine.store(nullptr);
  // The engine's stop closed the summary sinks, which summarized their open windows; what
  // the speaker has queued is spoken before the command exits.
  if (parts.speaker) parts.speaker->close();

  if (stdout_sink && (stdout_gone.load() || stdout_closed())) return kExitOk;
  if (!status.ok()) {
    // The engine may have reported the same failure as a diagnostic already.
    if (!writer.already_written(status.message())) {
      logtail::cli::write_error_line(status.message());
    }
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed standard output must become a write error the sink reports, not a silent death.
  std::signal(SIGPIPE, SIG_IGN);
  // Installed first, so a SIGTERM during start-up is a clean stop (exit 0), not a kill.
  install_signal_handlers();

  std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  auto options = logtail::cli::parse_options(args);
  if (!options.ok()) return fail(options.status(), kExitUsage);
  if (options->help) {
    const std::string_view text = logtail::cli::usage();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return kExitOk;
  }
  if (options->version) {
    std::puts("logtail " LOGTAIL_VERSION_STRING);
    return kExitOk;
  }
  return run(*options);
}
