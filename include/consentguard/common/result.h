// Result<T>: the value of an operation that can fail in an expected way (a corrupt file, a
// missing model), or the Error that says why. Errors carry a stable code for programs, a
// plain-English message for school staff, and technical detail for the log.
// Value type; as thread-safe as the T it holds.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace consentguard {

struct Error {
  std::string code;     // stable, machine-readable, e.g. "truncated"
  std::string message;  // one plain-English sentence for staff, saying what to do next
  std::string detail;   // technical detail for the log; may be empty
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

// For operations that return nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status okStatus() { return Done{}; }

inline Error makeError(std::string code, std::string message, std::string detail = {}) {
  return Error{std::move(code), std::move(message), std::move(detail)};
}

}  // namespace consentguard
