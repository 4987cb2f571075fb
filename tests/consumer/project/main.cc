// Counts the lines of one file through an installed logtail: an Engine reads the file from
// its beginning, the built-in `lines` observer makes an event of each line, and a callback
// sink counts them. Prints the count.
#include <cstdint>
#include <iostream>
#include <memory>

#include <logtail/logtail.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: logtail_consumer FILE\n";
    return 2;
  }
  logtail::EngineOptions options;
  options.start_at = logtail::StartAt::beginning;
  logtail::Engine engine(options);
  engine.on_diagnostic([](const logtail::Diagnostic& d) {
    std::cerr << "logtail_consumer: " << to_string(d.kind) << ": " << d.message << '\n';
  });
  if (logtail::Status s = engine.watch(argv[1]); !s.ok()) {
    std::cerr << "logtail_consumer: " << s.message() << '\n';
    return 1;
  }

  std::uint64_t lines = 0;
  logtail::LineObserver& observer = engine.add(logtail::observers::lines());
  engine.route(observer, logtail::sinks::callback([&lines](const logtail::Event&) {
    ++lines;
    return logtail::Status{};
  }));

  if (logtail::Status s = engine.drain(); !s.ok()) {
    std::cerr << "logtail_consumer: " << s.message() << '\n';
    return 1;
  }
  std::cout << lines << '\n';
  return 0;
}
