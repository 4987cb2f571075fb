#include "logtail/event.h"

#include <array>
#include <utility>

namespace logtail {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// Views over `text` (key, value, key, value, ...); they follow the strings' addresses, so they
// must be rebuilt whenever the strings are copied.
std::vector<Field> make_fields(const std::vector<std::string>& text) {
  std::vector<Field> fields;
  fields.reserve(text.size() / 2);
  for (std::size_t i = 0; i + 1 < text.size(); i += 2) fields.push_back({text[i], text[i + 1]});
  return fields;
}

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::debug: return "debug";
    case Severity::info: return "info";
    case Severity::notice: return "notice";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
    case Severity::critical: return "critical";
  }
  // Only reachable through a value cast from outside the enumeration.
  return "unknown";
}

std::optional<Severity> parse_severity(std::string_view name) {
  struct Name {
    std::string_view name;
    Severity severity;
  };
  static constexpr std::array<Name, 10> kNames{{
      {"debug", Severity::debug},
      {"info", Severity::info},
      {"notice", Severity::notice},
      {"warning", Severity::warning},
      {"warn", Severity::warning},
      {"error", Severity::error},
      {"err", Severity::error},
      {"critical", Severity::critical},
      {"crit", Severity::critical},
      {"fatal", Severity::critical},
  }};
  for (const Name& n : kNames) {
    if (equals_ignoring_case(name, n.name)) return n.severity;
  }
  return std::nullopt;
}

OwnedEvent::OwnedEvent(const Event& e)
    : source_(e.source), observer_(e.observer), kind_(e.kind), message_(e.message), view_(e) {
  field_text_.reserve(e.fields.size() * 2);
  for (const Field& f : e.fields) {
    field_text_.emplace_back(f.key);
    field_text_.emplace_back(f.value);
  }
  fields_ = make_fields(field_text_);
  rebind();
}

OwnedEvent::OwnedEvent(const OwnedEvent& other)
    : source_(other.source_),
      observer_(other.observer_),
      kind_(other.kind_),
      message_(other.message_),
      field_text_(other.field_text_),
      fields_(make_fields(field_text_)),
      view_(other.view_) {
  rebind();
}

OwnedEvent& OwnedEvent::operator=(const OwnedEvent& other) {
  if (this != &other) {
    OwnedEvent copy(other);
    *this = std::move(copy);
  }
  return *this;
}

// Moving a vector hands over its buffer, so the strings in field_text_ keep their addresses
// and fields_ stays valid; only the views of the direct strings need rebinding.
OwnedEvent::OwnedEvent(OwnedEvent&& other) noexcept
    : source_(std::move(other.source_)),
      observer_(std::move(other.observer_)),
      kind_(std::move(other.kind_)),
      message_(std::move(other.message_)),
      field_text_(std::move(other.field_text_)),
      fields_(std::move(other.fields_)),
      view_(other.view_) {
  rebind();
  other.field_text_.clear();
  other.fields_.clear();
  other.rebind();
}

OwnedEvent& OwnedEvent::operator=(OwnedEvent&& other) noexcept {
  if (this != &other) {
    source_ = std::move(other.source_);
    observer_ = std::move(other.observer_);
    kind_ = std::move(other.kind_);
    message_ = std::move(other.message_);
    field_text_ = std::move(other.field_text_);
    fields_ = std::move(other.fields_);
    view_ = other.view_;
    rebind();
    other.field_text_.clear();
    other.fields_.clear();
    other.rebind();
  }
  return *this;
}

// Points the views at this object's own bytes; allocates nothing.
void OwnedEvent::rebind() {
  view_.source = source_;
  view_.observer = observer_;
  view_.kind = kind_;
  view_.message = message_;
  view_.fields = fields_;
}

}  // namespace logtail
