// Status and Result<T>: how every public boundary of logtail reports failure.
//
// No exception crosses the public API. A Status carries a kind and a one-line message that
// names the thing at fault (a file, an observer, an option) and, where there is one, the fix.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace logtail {

enum class StatusKind {
  ok,
  invalid_argument,   // bad input from the caller: an option, a spec, a pattern
  not_found,          // a file, a name in a registry
  already_exists,     // a duplicate name
  permission_denied,  // the OS refused access
  io_error,           // read, write, fsync or rename failed
  corrupt,            // stored state that does not decode
  busy,               // a resource held by someone else (a locked state directory)
  unavailable,        // a remote service or device that did not answer
  failed_precondition,  // a call in the wrong state (start() twice)
  internal,           // a bug in logtail; please report it
};

// Value type; cheap to move. A default-constructed Status is OK.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  bool ok() const { return kind_ == StatusKind::ok; }
  StatusKind kind() const { return kind_; }
  // One line, no trailing newline; empty when ok().
  const std::string& message() const { return message_; }

 private:
  StatusKind kind_ = StatusKind::ok;
  std::string message_;
};

// The name of a kind, for messages and machine-readable output ("io_error").
std::string_view to_string(StatusKind kind);

// Either a value or a failed Status. Accessing the value of a failed Result is a bug
// (asserted); check ok() first.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(v_).ok() && "a Result needs a value or a failed Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace logtail
