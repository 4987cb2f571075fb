// The rules observer: glue between the engine's batches, the JSON line parser, the rule
// evaluator and one sliding window per rule.
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "logtail/observers/rules.h"
#include "rules/json_line.h"
#include "rules/rule_eval.h"
#include "rules/sliding_window.h"

namespace logtail::observers {
namespace {

// A rules file is written by hand; anything this large is the wrong file.
constexpr std::size_t kMaxRulesFileBytes = std::size_t{16} << 20;

std::string window_text(std::chrono::milliseconds window) {
  return fmt::format("{}", static_cast<double>(window.count()) / 1000.0);
}

}  // namespace

class RulesObserver::Impl {
 public:
  struct Slot {
    rules::CompiledRule compiled;
    rules::SlidingWindow window;
    bool fired = false;
  };

  Impl(std::vector<rules::CompiledRule> compiled, RulesOptions options)
      : clock_(options.clock ? std::move(options.clock) : [] { return Clock::now(); }) {
    install(std::move(compiled));
    publish();
  }

  void batch(std::span<const Line> lines, Emitter& out) {
    const Clock::time_point now = clock_();
    take_staged(now, out);
    slide(now);
    for (const Line& line : lines) one_line(line, now, out);
    publish();
  }

  void tick(Clock::time_point now, Emitter& out) {
    take_staged(now, out);
    slide(now);
    publish();
  }

  void stage(std::vector<rules::CompiledRule> compiled) {
    std::lock_guard lock(stage_mu_);
    staged_ = std::move(compiled);
  }

  std::vector<RuleState> state() const {
    std::lock_guard lock(state_mu_);
    return state_;
  }

  std::uint64_t skipped() const { return skipped_.load(std::memory_order_relaxed); }

 private:
  // Keeps the window and fired state of every label that stays.
  void install(std::vector<rules::CompiledRule> compiled) {
    std::vector<Slot> next;
    next.reserve(compiled.size());
    for (rules::CompiledRule& c : compiled) {
      const auto width = std::chrono::duration_cast<Clock::duration>(c.rule.window);
      Slot slot{std::move(c), rules::SlidingWindow(width), false};
      for (Slot& old : slots_) {
        if (old.compiled.rule.label != slot.compiled.rule.label) continue;
        slot.window = std::move(old.window);
        slot.window.set_width(width);
        slot.fired = old.fired;
        break;
      }
      next.push_back(std::move(slot));
    }
    slots_ = std::move(next);
    installed_ = true;
  }

  void take_staged(Clock::time_point now, Emitter& out) {
    std::optional<std::vector<rules::CompiledRule>> staged;
    {
      std::lock_guard lock(stage_mu_);
      staged.swap(staged_);
    }
    if (!staged) return;
    install(std::move(*staged));
    // A lowered threshold may already be reached; it fires now rather than at the next match.
    for (Slot& s : slots_) {
      s.window.advance(now);
      if (!s.fired && s.window.count() >= s.compiled.rule.threshold) fire(s, nullptr, out);
    }
  }

  // Copies what state() reports. No lock is held while events are emitted, so a sink may call
  // state() or replace_rules() from inside consume() on the loop thread.
  void publish() {
    std::lock_guard lock(state_mu_);
    if (state_.size() != slots_.size() || installed_) {
      state_.clear();
      for (const Slot& s : slots_) {
        const Rule& r = s.compiled.rule;
        state_.push_back({r.label, 0, r.threshold, r.window, false});
      }
      installed_ = false;
    }
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      state_[i].count = slots_[i].window.count();
      state_[i].fired = slots_[i].fired;
    }
  }

  void slide(Clock::time_point now) {
    for (Slot& s : slots_) {
      s.window.advance(now);
      if (s.fired && s.window.count() < s.compiled.rule.threshold) s.fired = false;
    }
  }

  void one_line(const Line& line, Clock::time_point now, Emitter& out) {
    const json_line::Document* doc = parser_.parse(line.text());
    if (doc == nullptr) {
      skipped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    for (Slot& s : slots_) {
      if (!rules::matches(s.compiled, *doc)) continue;
      s.window.add(now);
      if (!s.fired && s.window.count() >= s.compiled.rule.threshold) fire(s, &line, out);
    }
  }

  // `line` is the line that made the count reach the threshold, or nullptr when a rule
  // replaced at run time found its count already there.
  void fire(Slot& s, const Line* line, Emitter& out) {
    s.fired = true;
    const Rule& r = s.compiled.rule;
    const std::uint64_t count = s.window.count();
    const std::string window = window_text(r.window);
    const std::string message =
        fmt::format("{}: {} {} in {} s (threshold {})", r.label, count,
                    count == 1 ? "match" : "matches", window, r.threshold);
    const std::string count_text = std::to_string(count);
    const std::string threshold_text = std::to_string(r.threshold);
    const Field fields[] = {{"count", count_text},
                            {"threshold", threshold_text},
                            {"window_seconds", window},
                            {"label", r.label}};
    if (line != nullptr) {
      out.emit(r.severity, "rule", *line, message, fields);
      return;
    }
    Event e;
    e.kind = "rule";
    e.severity = r.severity;
    e.message = message;
    e.fields = fields;
    out.emit(e);
  }

  std::function<Clock::time_point()> clock_;
  // Loop thread only.
  std::vector<Slot> slots_;
  bool installed_ = false;  // slots_ changed shape since the last publish()
  json_line::LineParser parser_;
  // Rules handed over by replace_rules(), from any thread.
  std::mutex stage_mu_;
  std::optional<std::vector<rules::CompiledRule>> staged_;
  // What state() reports, from any thread.
  mutable std::mutex state_mu_;
  std::vector<RuleState> state_;
  std::atomic<std::uint64_t> skipped_{0};
};

RulesObserver::RulesObserver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RulesObserver::~RulesObserver() = default;

Result<std::unique_ptr<RulesObserver>> RulesObserver::create(std::vector<Rule> rules,
                                                             RulesOptions options) {
  auto compiled = rules::compile_rules(rules);
  if (!compiled.ok()) return compiled.status();
  auto impl = std::make_unique<Impl>(std::move(*compiled), std::move(options));
  return std::unique_ptr<RulesObserver>(new RulesObserver(std::move(impl)));
}

void RulesObserver::on_line(const Line& line, Emitter& out) {
  impl_->batch(std::span<const Line>(&line, 1), out);
}

void RulesObserver::on_batch(const LineBatch& batch, Emitter& out) {
  impl_->batch(batch.lines(), out);
}

void RulesObserver::on_tick(Clock::time_point now, Emitter& out) { impl_->tick(now, out); }

Status RulesObserver::replace_rules(std::vector<Rule> rules) {
  auto compiled = rules::compile_rules(rules);
  if (!compiled.ok()) return compiled.status();
  impl_->stage(std::move(*compiled));
  return {};
}

std::vector<RuleState> RulesObserver::state() const { return impl_->state(); }

std::uint64_t RulesObserver::skipped_lines() const { return impl_->skipped(); }

Result<std::vector<Rule>> load_rules(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    return Status(err == ENOENT ? StatusKind::not_found
                  : err == EACCES ? StatusKind::permission_denied
                                  : StatusKind::io_error,
                  fmt::format("cannot open rules file '{}': {}", path.string(),
                              std::strerror(err)));
  }
  std::string text;
  char chunk[65536];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) {
    text.append(chunk, n);
    if (text.size() > kMaxRulesFileBytes) break;
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed)
    return Status(StatusKind::io_error,
                  fmt::format("cannot read rules file '{}'; check that it is a readable file",
                              path.string()));
  if (text.size() > kMaxRulesFileBytes)
    return Status(StatusKind::invalid_argument,
                  fmt::format("rules file '{}' is larger than {} MiB; is it the right file?",
                              path.string(), kMaxRulesFileBytes >> 20));
  return parse_rules(text, path.string());
}

Result<std::unique_ptr<LineObserver>> make_rules_observer(std::string_view arg) {
  if (arg.empty())
    return Status(StatusKind::invalid_argument,
                  "rules: needs a rules file; use --observer rules=PATH (see docs/observers/"
                  "rules.md)");
  auto rules = load_rules(std::filesystem::path(arg));
  if (!rules.ok())
    return Status(rules.status().kind(), fmt::format("rules: {}", rules.status().message()));
  auto observer = RulesObserver::create(std::move(*rules));
  if (!observer.ok()) return observer.status();
  return std::unique_ptr<LineObserver>(std::move(*observer));
}

}  // namespace logtail::observers
