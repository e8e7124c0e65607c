// The error type of the SDP module: words a person can act on, and the line they are about.
#pragma once

#include <cassert>
#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace peerhub::sdp {

struct Error {
  std::size_t line = 0;  // 1-based line of the description; 0 when the error is not about one line
  std::string message;   // "m= line needs at least 4 fields", "the offer has no data channel section"

  // "line 7: m= line needs at least 4 fields", or the message alone when line is 0.
  std::string text() const { return line == 0 ? message : "line " + std::to_string(line) + ": " + message; }
  bool operator==(const Error&) const = default;
};

// A value or the Error that prevented it (C++23's std::expected, small enough to keep until then).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose, like std::expected
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace peerhub::sdp
