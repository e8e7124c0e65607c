// Small text helpers shared by the SDP parsers. Internal to the sdp module.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace peerhub::sdp::text {

// Fields separated by one or more spaces (RFC 8866 uses one SP; extra spaces are tolerated on input).
inline std::vector<std::string_view> fields(std::string_view s, std::size_t max_fields = 1024) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < max_fields) {
    while (i < s.size() && s[i] == ' ')
      ++i;
    if (i == s.size()) break;
    const std::size_t end = std::min(s.find(' ', i), s.size());
    out.push_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

// The first field and the rest after the spaces that follow it ("96 nack pli" -> "96", "nack pli").
inline std::pair<std::string_view, std::string_view> first_field(std::string_view s) {
  const std::size_t space = s.find(' ');
  if (space == std::string_view::npos) return {s, {}};
  std::size_t rest = space;
  while (rest < s.size() && s[rest] == ' ')
    ++rest;
  return {s.substr(0, space), s.substr(rest)};
}

// Decimal digits only (no sign, no spaces), at most 20 of them, and at most `max`.
template <class T>
std::optional<T> number(std::string_view s, std::uint64_t max) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v > max) return std::nullopt;
  return static_cast<T>(v);
}

// Visible US-ASCII without spaces: what RFC 8866 calls a token, a little wider (it never matters to us).
inline bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c <= ' ' || c > '~') return false;
  return true;
}

// A piece of input quoted in an error message: short, and printable.
inline std::string quote(std::string_view s) {
  std::string out = "'";
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    const char c = s[i];
    out += (c >= ' ' && c <= '~') ? c : '?';
  }
  if (s.size() > 40) out += "...";
  return out + "'";
}

inline char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace peerhub::sdp::text
