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
  e.observer = slot_ ? std::string_view(slot_->name) : std::string_view("engine");
  if (e.source.empty()) e.source = source_;
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
