// result.h: Error codes, Error and Result<T>, the error contract at every module boundary.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace folio::model {

// What went wrong, in the few categories callers act on.
enum class Code {
  kInvalidArgument,  // the caller's input is wrong (bad query, bad config value)
  kNotFound,         // the thing asked for does not exist (or is hidden)
  kCorruption,       // stored data is not what it should be
  kIOError,          // the file system or a library failed at I/O
  kBusy,             // someone else holds what we need (a lock, a full queue)
  kTooLarge,         // input over a configured limit
  kInternal,         // a bug or an unexpected library failure
};

// Returns a short lower-case name for `code` ("invalid argument", ...).
std::string_view code_name(Code code);

// An error: a code plus a message that a person can act on.
struct Error {
  Code code = Code::kInternal;
  std::string message;

  // "code name: message", for logs and the command line.
  std::string to_string() const;
};

// Result<T> holds either a value or an Error. Check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !ok()
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return {}; }
inline Error Err(Code code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace folio::model

// Propagates an error from an expression returning Result/Status.
#define FOLIO_TRY(expr)                          \
  do {                                           \
    const auto& folio_try_r_ = (expr);          \
    if (!folio_try_r_.ok()) return folio_try_r_.error(); \
  } while (0)
