// Command-line options of logtail-loggen.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generator.h"

namespace loggen {

struct Options {
  std::string out = "-";  // "-": standard output
  // Stop conditions; the first one reached ends the run. None: run until SIGINT/SIGTERM.
  std::optional<std::chrono::microseconds> duration;
  std::optional<std::uint64_t> max_lines;
  std::optional<std::uint64_t> max_bytes;
  // 0: no rotation.
  std::uint64_t rotate_after = 0;
  // Rotated files kept: FILE.1 .. FILE.keep.
  int keep = 3;
  bool help = false;
  GeneratorOptions generator;
};

// Parses argv[1..]. On failure returns a one-line message naming the option and the fix.
std::optional<Options> parse_options(const std::vector<std::string_view>& args,
                                     std::string& error);

// "512", "64KiB", "4MiB", "1GiB", "2G", "10k": binary units.
std::optional<std::uint64_t> parse_size(std::string_view text);

extern const char kUsage[];

}  // namespace loggen
