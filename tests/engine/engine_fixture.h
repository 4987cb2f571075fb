// The engine tests' shared parts: a sink that records every event (and can hold or fail
// its tickets) and a fixture that builds engines on a temp dir and records diagnostics.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "logtail/logtail.h"
#include "support/temp_dir.h"

namespace logtail::test {

using namespace std::chrono_literals;

struct Seen {
  std::string source;
  std::uint64_t offset;
  std::string message;
  bool truncated;
};

// Records every event; acknowledges at once unless told to hold tickets.
class Recorder final : public Sink {
 public:
  std::string_view name() const override { return "recorder"; }
  Status consume(const Event& e, Delivery& delivery) override {
    std::lock_guard lock(mu_);
    seen_.push_back({std::string(e.source), e.offset, std::string(e.message), e.truncated});
    if (hold_) held_.push_back(delivery.defer());
    if (fail_) return Status(StatusKind::io_error, "recorder told to fail");
    return {};
  }
  std::vector<Seen> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const auto& s : seen()) out.push_back(s.message);
    return out;
  }
  std::size_t count() const {
    std::lock_guard lock(mu_);
    return seen_.size();
  }
  void hold(bool on) {
    std::lock_guard lock(mu_);
    hold_ = on;
  }
  void fail(bool on) {
    std::lock_guard lock(mu_);
    fail_ = on;
  }
  // Acknowledges held tickets from this (non-loop) thread.
  void release() {
    std::vector<Ticket> tickets;
    {
      std::lock_guard lock(mu_);
      tickets.swap(held_);
    }
    for (auto& t : tickets) t.ack();
  }

 private:
  mutable std::mutex mu_;
  std::vector<Seen> seen_;
  std::vector<Ticket> held_;
  bool hold_ = false;
  bool fail_ = false;
};

class EngineTest : public ::testing::Test {
 protected:
  std::string path(std::string_view name) const { return dir_.file(name).string(); }

  // An engine tailing `pattern` with every line going to `recorder`.
  std::unique_ptr<Engine> make(std::string_view pattern, EngineOptions options,
                               std::shared_ptr<Recorder> recorder) {
    auto engine = std::make_unique<Engine>(std::move(options));
    engine->on_diagnostic([this](const Diagnostic& d) {
      std::lock_guard lock(diag_mu_);
      diagnostics_.push_back(d);
    });
    EXPECT_TRUE(engine->watch(pattern).ok());
    auto& lines = engine->add(observers::lines());
    engine->route(lines, recorder);
    return engine;
  }

  EngineOptions beginning() const {
    EngineOptions o;
    o.start_at = StartAt::beginning;
    o.poll_interval = 100ms;
    o.rotate_grace = 200ms;
    return o;
  }

  EngineOptions stateful() const {
    EngineOptions o = beginning();
    o.state_dir = dir_.file("state");
    return o;
  }

  bool saw_diagnostic(DiagnosticKind kind) {
    std::lock_guard lock(diag_mu_);
    for (const auto& d : diagnostics_)
      if (d.kind == kind) return true;
    return false;
  }

  TempDir dir_;
  std::mutex diag_mu_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace logtail::test
