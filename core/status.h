// Error values without exceptions: Status (ok or a message) and Expected<T> (a value or a Status).
// Readers put `file:line: field: problem (allowed: ...)` in the message.
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace af {

class Status {
 public:
  Status() = default;
  static Status Error(std::string message) { return Status(std::move(message)); }
  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}
  bool failed_ = false;
  std::string message_;
};

// The one-line message of every file reader: `file:line: field: problem (allowed: ...)`; the
// `(allowed: ...)` part is left out when `allowed` is empty. Line 0 means the file as a whole.
inline Status FieldError(const std::string& file, int line, const std::string& field,
                         const std::string& problem, const std::string& allowed = "") {
  std::string m = file + ":" + std::to_string(line) + ": " + field + ": " + problem;
  if (!allowed.empty()) m += " (allowed: " + allowed + ")";
  return Status::Error(std::move(m));
}

template <typename T>
class Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}           // NOLINT: implicit by design
  Expected(Status status) : value_(std::move(status)) {}    // NOLINT: must not be ok()
  bool ok() const { return std::holds_alternative<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  Status status() const { return ok() ? Status() : std::get<Status>(value_); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace af
