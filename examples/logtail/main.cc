// logtail: follows log files through rotations and restarts and writes what the observers find
// to the sinks. See docs/command.md.
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "diagnostic_output.h"
#include "logtail/logtail.h"
#include "options.h"

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

// A name or spec the user got wrong is a usage error; anything else (a file that cannot be
// opened) is a runtime failure.
int code_for(const logtail::Status& status) {
  switch (status.kind()) {
    case logtail::StatusKind::invalid_argument:
    case logtail::StatusKind::not_found:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

int run(const logtail::cli::Options& options) {
  if (options.reset_state) {
    if (auto s = logtail::reset_checkpoint_state(options.engine.state_dir); !s.ok()) {
      return fail(s, kExitFailure);
    }
  }

  logtail::Registry registry;
  if (auto s = logtail::add_core_builtins(registry); !s.ok()) return fail(s, kExitFailure);

  logtail::Engine engine(options.engine);
  const bool stdout_sink = writes_to_stdout(options.sinks);
  std::atomic<bool> stdout_gone{false};
  logtail::cli::DiagnosticWriter writer(options.diagnostics);
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

  std::vector<std::shared_ptr<logtail::Sink>> sinks;
  for (const std::string& spec : options.sinks) {
    auto sink = registry.make_sink(spec);
    if (!sink.ok()) return fail(sink.status(), code_for(sink.status()));
    sinks.push_back(std::move(*sink));
  }
  for (const std::string& spec : options.observers) {
    auto observer = registry.make_observer(spec);
    if (!observer.ok()) return fail(observer.status(), code_for(observer.status()));
    logtail::LineObserver& added = engine.add(std::move(*observer));
    for (const auto& sink : sinks) engine.route(added, sink);
  }
  for (const std::string& path : options.paths) {
    if (auto s = engine.watch(path); !s.ok()) return fail(s, code_for(s));
  }

  g_engine.store(&engine);
  install_signal_handlers();
  const logtail::Status status = options.once ? engine.drain() : engine.run();
  g_engine.store(nullptr);

  if (stdout_sink && (stdout_gone.load() || stdout_closed())) return kExitOk;
  if (!status.ok()) {
    // The engine may have reported the same failure as a diagnostic already.
    if (!writer.already_written(status.message())) logtail::cli::write_error_line(status.message());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed standard output must become a write error the sink reports, not a silent death.
  std::signal(SIGPIPE, SIG_IGN);

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
