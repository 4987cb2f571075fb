#include "engine/dispatcher.h"

namespace logtail::detail {

class Dispatcher::DeferredDelivery final : public Delivery {
 public:
  explicit DeferredDelivery(Dispatcher& d) : d_(d) {}
  Ticket defer() override {
    deferred_ = true;
    if (d_.tracker_) d_.tracker_->add_pending(d_.batch_);
    return d_.hub_->make_ticket(d_.stream_, d_.batch_);
  }
  bool deferred() const { return deferred_; }

 private:
  Dispatcher& d_;
  bool deferred_ = false;
};

void Dispatcher::emit(const Event& event) {
  Event e = event;
  e.time = now_;
  e.observer = observer_name();
  if (e.source.empty()) e.source = source_;
  deliver(e);
}

// The per-line path: the Event is built once, complete, and handed on without a copy.
void Dispatcher::emit_line(Severity severity, std::string_view kind, const Line& line,
                           std::string_view message, std::span<const Field> fields) {
  Event e;
  e.time = now_;
  e.source = source_;
  e.offset = line.offset();
  e.observer = observer_name();
  e.kind = kind;
  e.severity = severity;
  e.message = message;
  e.truncated = line.truncated();
  e.fields = fields;
  deliver(e);
}

void Dispatcher::deliver(const Event& e) {
  ++events_;
  if (slot_ == nullptr) return;
  for (Sink* sink : slot_->routes) {
    DeferredDelivery delivery(*this);
    Status st = sink->consume(e, delivery);
    if (st.ok()) continue;
    // A deferred event's fate is its ticket's; an error without a ticket is a failed
    // delivery that holds the file's committed offset.
    if (!delivery.deferred() && tracker_) tracker_->fail(batch_);
    on_error_(*sink, st);
  }
}

}  // namespace logtail::detail
