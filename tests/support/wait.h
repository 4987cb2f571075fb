// wait_until: waits for a condition instead of sleeping for a guessed time.
#pragma once

#include <chrono>
#include <thread>
#include <utility>

namespace logtail::test {

// Calls `predicate` every `poll` until it returns true (true) or `deadline` has passed
// (false, after one last try). Deadlines are generous on purpose: they only bound how long a
// broken build hangs, they never decide whether a working one passes.
template <class Predicate>
bool wait_until(Predicate&& predicate,
                std::chrono::milliseconds deadline = std::chrono::seconds(30),
                std::chrono::milliseconds poll = std::chrono::milliseconds(10)) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= until) return predicate();
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace logtail::test
