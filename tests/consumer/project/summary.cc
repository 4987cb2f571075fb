// Summarizes one file through an installed logtail::summarizer: every line is an event, one
// window takes them all, and the summary handed to a callback says how many it covers.
// Prints that count.
#include <cstdint>
#include <iostream>
#include <memory>

#include <logtail/logtail.h>
#include <logtail/summarizer.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: logtail_consumer_summary FILE\n";
    return 2;
  }
  std::uint64_t covered = 0;
  logtail::SummarizerOptions options;
  options.window = std::chrono::hours(1);
  options.max_events = 1000000;
  auto summarizer = logtail::Summarizer::create(
      options, nullptr, {logtail::summary_callback([&covered](const logtail::Summary& s) {
        covered += s.event_count;
        return logtail::Status{};
      })});
  if (!summarizer.ok()) {
    std::cerr << "logtail_consumer_summary: " << summarizer.status().message() << '\n';
    return 1;
  }

  logtail::EngineOptions engine_options;
  engine_options.start_at = logtail::StartAt::beginning;
  logtail::Engine engine(engine_options);
  if (logtail::Status s = engine.watch(argv[1]); !s.ok()) {
    std::cerr << "logtail_consumer_summary: " << s.message() << '\n';
    return 1;
  }
  engine.route(engine.add(logtail::observers::lines()), *summarizer);
  if (logtail::Status s = engine.drain(); !s.ok()) {
    std::cerr << "logtail_consumer_summary: " << s.message() << '\n';
    return 1;
  }
  std::cout << covered << '\n';
  return 0;
}
