// LineObserver and Emitter: the observer SDK.
//
// An observer is handed every new line (in batches) and emits Events for what it finds.
// Owner: the engine, once added. Thread: every call comes on the engine's loop thread, one at a
// time, so an observer needs no locks of its own; it must not block (no network, no sleeping,
// no waiting on other threads).
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

#include "logtail/event.h"
#include "logtail/line.h"

namespace logtail {

// Receives what an observer emits and hands it to the sinks routed from that observer.
// Owner: the engine; valid only during the observer call that received it.
class Emitter {
 public:
  virtual ~Emitter() = default;

  // An event about `line` (source and offset taken from it); message defaults to the line.
  void emit(Severity severity, std::string_view kind, const Line& line) {
    emit(severity, kind, line, line.text(), {});
  }
  void emit(Severity severity, std::string_view kind, const Line& line, std::string_view message,
            std::span<const Field> fields = {}) {
    emit_line(severity, kind, line, message, fields);
  }
  void emit(Severity severity, std::string_view kind, const Line& line, std::string_view message,
            std::initializer_list<Field> fields) {
    emit(severity, kind, line, message, std::span<const Field>(fields.begin(), fields.size()));
  }
  // A fully described event, for findings that span lines (an episode, a window). `time`,
  // `observer` and, when empty, `source` are filled in by the engine.
  virtual void emit(const Event& event) = 0;

 protected:
  // The source of the batch being delivered ("" outside on_batch / on_line).
  virtual std::string_view current_source() const = 0;

  // What the line overloads of emit() call. The default builds the Event (source from
  // current_source()) and calls emit(const Event&); the engine overrides it to build the
  // Event complete in one go, since this runs once per line on the hot path.
  virtual void emit_line(Severity severity, std::string_view kind, const Line& line,
                         std::string_view message, std::span<const Field> fields);
};

class LineObserver {
 public:
  virtual ~LineObserver() = default;

  // The name events carry as `observer`. Defaults to "observer"; built-ins return their
  // registry name.
  virtual std::string_view name() const { return "observer"; }

  // One line. Called by the default on_batch for each line in order.
  virtual void on_line(const Line& line, Emitter& out) {
    (void)line;
    (void)out;
  }
  // A batch of complete lines from one file. Override to scan the whole block at once.
  virtual void on_batch(const LineBatch& batch, Emitter& out) {
    for (const Line& line : batch.lines()) on_line(line, out);
  }
  // About once per second (the engine's tick), for windows and timeouts.
  virtual void on_tick(Clock::time_point now, Emitter& out) {
    (void)now;
    (void)out;
  }
  // The engine is stopping: emit whatever is still open. Sinks are flushed after this.
  virtual void on_shutdown(Emitter& out) { (void)out; }
};

}  // namespace logtail
