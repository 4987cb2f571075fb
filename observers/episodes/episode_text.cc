#include "episodes/episode_text.h"

#include <cmath>

#include <fmt/format.h>

#include "episodes/line_time.h"

namespace logtail::observers::episodes {

std::string format_ms(double ms) {
  if (std::fabs(ms) >= 10) return fmt::format("{:.0f}", ms);
  std::string s = fmt::format("{:.2f}", ms);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string episode_message(const Episode& e, double threshold_ms) {
  return fmt::format("slow episode: {} {} over {} ms from {} to {}, max {} ms, mean {} ms",
                     e.count, e.count == 1 ? "line" : "lines", format_ms(threshold_ms),
                     format_hms(e.start), format_hms(e.end), format_ms(e.max_ms),
                     format_ms(e.mean_ms()));
}

}  // namespace logtail::observers::episodes
