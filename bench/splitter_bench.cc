// Micro-benchmarks of the pure cores on the hot path of every line: LineSplitter::split and
// append_json_escaped. The input is 4 MiB of realistic log lines from logtail-loggen's
// generator, the same read size the engine uses by default.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "generator.h"
#include "json_escape.h"
#include "splitter.h"

namespace {

constexpr std::size_t kBufferBytes = std::size_t{4} << 20;

// Whole lines, just under kBufferBytes.
const std::string& corpus() {
  static const std::string text = [] {
    loggen::GeneratorOptions options;
    options.seed = 42;
    options.incident_bursts = true;
    loggen::Generator gen(options);
    std::string out;
    out.reserve(kBufferBytes);
    char line[loggen::Generator::kMaxLine];
    for (;;) {
      const std::size_t n = gen.next(line);
      if (out.size() + n > kBufferBytes) break;
      out.append(line, n);
    }
    return out;
  }();
  return text;
}

// The same lines with multi-byte UTF-8, control bytes and invalid UTF-8 mixed in, to exercise
// the slow paths of the escaper.
const std::string& corpus_mixed() {
  static const std::string text = [] {
    std::string out;
    out.reserve(kBufferBytes + kBufferBytes / 8);
    std::size_t n = 0;
    for (char c : corpus()) {
      out.push_back(c);
      if (c == '\n' && ++n % 4 == 0) {
        out.pop_back();
        out += " user=J\xc3\xbcrgen note=\"tab\there\" raw=\xff\xfe\xc3 \xe2\x82\xac\n";
      }
    }
    return out;
  }();
  return text;
}

// One split() over the whole buffer, as the engine does with one full read.
void BM_Split(benchmark::State& state) {
  const std::string& text = corpus();
  logtail::LineSplitter splitter(std::size_t{1} << 20);
  std::vector<logtail::Line> lines;
  lines.reserve(text.size() / 64);
  std::size_t count = 0;
  for (auto _ : state) {
    lines.clear();
    const std::size_t consumed = splitter.split(text, 0, lines);
    benchmark::DoNotOptimize(consumed);
    benchmark::DoNotOptimize(lines.data());
    count = lines.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
  state.counters["lines"] = static_cast<double>(count);
}
BENCHMARK(BM_Split);

// The buffer fed in blocks of state.range(0) bytes, each starting at the carried partial line
// of the previous one, as smaller reads would deliver it.
void BM_SplitBlocks(benchmark::State& state) {
  const std::string_view text = corpus();
  const auto block = static_cast<std::size_t>(state.range(0));
  logtail::LineSplitter splitter(std::size_t{1} << 20);
  std::vector<logtail::Line> lines;
  lines.reserve(block / 32 + 1);
  std::uint64_t count = 0;
  for (auto _ : state) {
    count = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      lines.clear();
      const std::string_view piece = text.substr(pos, block);
      const std::size_t consumed = splitter.split(piece, pos, lines);
      count += lines.size();
      // Generated lines are far shorter than the smallest block, so every block but the
      // last ends past a newline; the guard only keeps a bad corpus from looping forever.
      pos += consumed == 0 ? piece.size() : consumed;
      benchmark::DoNotOptimize(lines.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
}
BENCHMARK(BM_SplitBlocks)->Arg(4 << 10)->Arg(64 << 10)->Arg(1 << 20);

void escape_lines(benchmark::State& state, const std::string& text) {
  logtail::LineSplitter splitter(std::size_t{1} << 20);
  std::vector<logtail::Line> lines;
  (void)splitter.split(text, 0, lines);
  std::string out;
  out.reserve(1024);
  std::uint64_t bytes = 0;
  for (const auto& line : lines) bytes += line.text().size();
  for (auto _ : state) {
    for (const auto& line : lines) {
      out.clear();
      logtail::append_json_escaped(out, line.text());
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
}

// Every line escaped on its own, as the jsonl sink writes each message.
void BM_JsonEscapeAscii(benchmark::State& state) { escape_lines(state, corpus()); }
BENCHMARK(BM_JsonEscapeAscii);

void BM_JsonEscapeMixed(benchmark::State& state) { escape_lines(state, corpus_mixed()); }
BENCHMARK(BM_JsonEscapeMixed);

}  // namespace

BENCHMARK_MAIN();
