// The episodes observer: glue between the engine's batches, value extraction (regex or JSON
// field), line times and one EpisodeTracker per source file.
#include <atomic>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "episodes/episode_spec.h"
#include "episodes/episode_text.h"
#include "episodes/episode_tracker.h"
#include "episodes/line_time.h"
#include "episodes/value_pattern.h"
#include "logtail/observers/episodes.h"

#if LOGTAIL_HAVE_SIMDJSON
#include "rules/json_line.h"
#endif

namespace logtail::observers {
namespace {

// libstdc++'s std::regex recurses once per input character for patterns like `(a|b)*`, so a
// long enough line overflows the stack: on an 8 MiB stack about 12 KiB does in an optimized
// build, and under the sanitizers 4 KiB already may (clang's ASan, unoptimized). The regex
// sees at most this many leading bytes of a line; longer lines are counted as clipped.
constexpr std::size_t kMaxRegexInput = 1024;

}  // namespace

std::string_view to_string(ValueUnit unit) {
  switch (unit) {
    case ValueUnit::us: return "us";
    case ValueUnit::ms: return "ms";
    case ValueUnit::s: return "s";
  }
  return "ms";
}

class EpisodesObserver::Impl {
 public:
  struct Counters {
    std::atomic<std::uint64_t> values{0};
    std::atomic<std::uint64_t> unreadable{0};
    std::atomic<std::uint64_t> clipped{0};
    std::atomic<std::uint64_t> episodes{0};
    std::atomic<std::uint64_t> short_episodes{0};
  };

  Impl(EpisodeOptions options, std::regex regex, std::size_t group, std::string literal,
       double unit_ms)
      : options_(std::move(options)),
        regex_(std::move(regex)),
        group_(group),
        literal_(std::move(literal)),
        unit_ms_(unit_ms),
        clock_(options_.clock ? options_.clock : [] { return Clock::now(); }),
        limits_{options_.threshold_ms, std::chrono::duration_cast<Clock::duration>(options_.gap),
                std::chrono::duration_cast<Clock::duration>(options_.max)} {}

  void batch(std::string_view source, std::span<const Line> lines, Emitter& out) {
    const Clock::time_point read_time = clock_();
    auto it = trackers_.find(source);
    for (const Line& line : lines) {
      const std::optional<double> value = value_of(line.text());
      const bool slow = value && *value >= options_.threshold_ms;
      if (it == trackers_.end()) {
        if (!slow) continue;
        it = trackers_.emplace(std::string(source), episodes::EpisodeTracker(limits_)).first;
      }
      // A line without a value only matters to an open episode, and only by its own time.
      if (!value && !it->second.open()) continue;
      const auto stamped = episodes::leading_timestamp(line.text());
      if (!value && !stamped) continue;
      it->second.line(stamped.value_or(read_time), read_time, value, line.offset(), closed_);
      emit_closed(it->first, out);
    }
  }

  void tick(Clock::time_point now, Emitter& out) {
    for (auto it = trackers_.begin(); it != trackers_.end();) {
      it->second.tick(now, closed_);
      emit_closed(it->first, out);
      // A tracker without an open episode holds nothing; sources come and go with globs.
      it = it->second.open() ? std::next(it) : trackers_.erase(it);
    }
  }

  void shutdown(Emitter& out) {
    for (auto& [source, tracker] : trackers_) {
      tracker.flush(closed_);
      emit_closed(source, out);
    }
    trackers_.clear();
  }

  EpisodeCounters counters() const {
    EpisodeCounters c;
    c.values = counters_.values.load(std::memory_order_relaxed);
    c.unreadable_values = counters_.unreadable.load(std::memory_order_relaxed);
    c.clipped_lines = counters_.clipped.load(std::memory_order_relaxed);
    c.episodes = counters_.episodes.load(std::memory_order_relaxed);
    c.short_episodes = counters_.short_episodes.load(std::memory_order_relaxed);
    return c;
  }

 private:
  // The line's value in ms, or nothing when the line has none. A line that has the value's
  // place but not a number there is counted as unreadable.
  std::optional<double> value_of(std::string_view text) {
    std::optional<double> v;
    if (!options_.regex.empty()) {
      if (!literal_.empty() && text.find(literal_) == std::string_view::npos) return v;
      if (text.size() > kMaxRegexInput) {
        counters_.clipped.fetch_add(1, std::memory_order_relaxed);
        text = text.substr(0, kMaxRegexInput);
      }
      std::match_results<std::string_view::const_iterator> m;
      if (!std::regex_search(text.begin(), text.end(), m, regex_) || !m[group_].matched)
        return v;
      const auto& g = m[group_];
      const auto at = static_cast<std::size_t>(g.first - text.begin());
      v = episodes::read_value_ms(text.substr(at, static_cast<std::size_t>(g.length())),
                                  unit_ms_);
    } else {
#if LOGTAIL_HAVE_SIMDJSON
      const auto* doc = json_.parse(text);
      simdjson::dom::element el;
      if (doc == nullptr || !json_line::find_field(*doc, options_.json_field, el)) return v;
      std::string_view s;
      if (el.get(s) == simdjson::SUCCESS) {
        v = episodes::read_value_ms(s, unit_ms_);
      } else if (double n = 0; el.get(n) == simdjson::SUCCESS) {
        // get<double> also converts integers.
        v = n * unit_ms_;
      }
#endif
    }
    (v ? counters_.values : counters_.unreadable).fetch_add(1, std::memory_order_relaxed);
    return v;
  }

  void emit_closed(std::string_view source, Emitter& out) {
    for (const episodes::Episode& e : closed_) emit(source, e, out);
    closed_.clear();
  }

  void emit(std::string_view source, const episodes::Episode& e, Emitter& out) {
    if (e.count < options_.min_lines) {
      counters_.short_episodes.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    counters_.episodes.fetch_add(1, std::memory_order_relaxed);
    const std::string message = episodes::episode_message(e, options_.threshold_ms);
    const std::string start = episodes::format_iso_ms(e.start);
    const std::string end = episodes::format_iso_ms(e.end);
    const std::string count = std::to_string(e.count);
    const std::string max = episodes::format_ms(e.max_ms);
    const std::string mean = episodes::format_ms(e.mean_ms());
    const std::string threshold = episodes::format_ms(options_.threshold_ms);
    const Field fields[] = {{"start", start}, {"end", end},   {"count", count},
                            {"max", max},     {"mean", mean}, {"threshold", threshold}};
    Event event;
    event.source = source;
    event.offset = e.first_offset;
    event.kind = "episode";
    event.severity = Severity::warning;
    event.message = message;
    event.fields = fields;
    out.emit(event);
  }

  EpisodeOptions options_;
  std::regex regex_;
  std::size_t group_ = 0;
  std::string literal_;
  double unit_ms_ = 1.0;
  std::function<Clock::time_point()> clock_;
  episodes::EpisodeTracker::Limits limits_;
  std::map<std::string, episodes::EpisodeTracker, std::less<>> trackers_;
  std::vector<episodes::Episode> closed_;
  Counters counters_;
#if LOGTAIL_HAVE_SIMDJSON
  json_line::LineParser json_;
#endif
};

EpisodesObserver::EpisodesObserver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EpisodesObserver::~EpisodesObserver() = default;

Result<std::unique_ptr<EpisodesObserver>> EpisodesObserver::create(EpisodeOptions options) {
  if (Status st = episodes::check_options(options); !st.ok()) return st;
#if !LOGTAIL_HAVE_SIMDJSON
  if (!options.json_field.empty())
    return Status(StatusKind::invalid_argument,
                  "episodes: JSON field values need logtail built with LOGTAIL_WITH_SIMDJSON=ON; "
                  "use a regex instead");
#endif
  std::regex regex;
  std::size_t group = 0;
  std::string literal;
  std::optional<ValueUnit> unit = options.unit;
  if (!options.regex.empty()) {
    auto pattern = episodes::translate_value_pattern(options.regex);
    if (!pattern.ok()) return pattern.status();
    try {
      regex = std::regex(pattern->ecmascript, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      return Status(StatusKind::invalid_argument,
                    fmt::format("episodes: value regex '{}' does not compile: {}", options.regex,
                                e.what()));
    }
    group = pattern->group;
    literal = episodes::required_literal(pattern->ecmascript);
    if (const auto named = episodes::parse_unit(pattern->name)) {
      if (unit && *unit != *named)
        return Status(StatusKind::invalid_argument,
                      fmt::format("episodes: the value group is named '{}' but unit is '{}'; "
                                  "make them agree or rename the group to 'value'",
                                  pattern->name, to_string(*unit)));
      unit = named;
    }
  }
  const double ms = episodes::unit_ms(unit.value_or(ValueUnit::ms));
  auto impl = std::make_unique<Impl>(std::move(options), std::move(regex), group,
                                     std::move(literal), ms);
  return std::unique_ptr<EpisodesObserver>(new EpisodesObserver(std::move(impl)));
}

void EpisodesObserver::on_line(const Line& line, Emitter& out) {
  impl_->batch("", std::span<const Line>(&line, 1), out);
}

void EpisodesObserver::on_batch(const LineBatch& batch, Emitter& out) {
  impl_->batch(batch.source(), batch.lines(), out);
}

void EpisodesObserver::on_tick(Clock::time_point now, Emitter& out) { impl_->tick(now, out); }

void EpisodesObserver::on_shutdown(Emitter& out) { impl_->shutdown(out); }

EpisodeCounters EpisodesObserver::counters() const { return impl_->counters(); }

Result<std::unique_ptr<LineObserver>> make_episodes_observer(std::string_view arg) {
  auto options = parse_episode_spec(arg);
  if (!options.ok()) return options.status();
  auto observer = EpisodesObserver::create(std::move(*options));
  if (!observer.ok()) return observer.status();
  return std::unique_ptr<LineObserver>(std::move(*observer));
}

}  // namespace logtail::observers
