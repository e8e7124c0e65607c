#include "signaling/raw_member.hpp"

namespace peerhub::signaling {
namespace {

constexpr std::size_t kFail = std::string_view::npos;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i]))
    ++i;
  return i;
}

// `i` is at an opening quote; returns the index after the closing one. Sets `escaped` if a '\\' was seen.
std::size_t skip_string(std::string_view s, std::size_t i, bool& escaped) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      escaped = true;
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return kFail;
}

std::size_t skip_value(std::string_view s, std::size_t i) {
  if (i >= s.size()) return kFail;
  bool escaped = false;
  if (s[i] == '"') return skip_string(s, i, escaped);
  if (s[i] == '{' || s[i] == '[') {
    // Strings are skipped whole, so brackets inside them do not count.
    std::size_t depth = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == '"') {
        i = skip_string(s, i, escaped);
        if (i == kFail) return kFail;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return kFail;
  }
  // A number, true, false or null runs to the next delimiter.
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_space(s[i]))
    ++i;
  return i;
}

}  // namespace

std::optional<std::string_view> raw_member(std::string_view s, std::string_view key) {
  std::size_t i = skip_space(s, 0);
  if (i >= s.size() || s[i] != '{') return std::nullopt;
  std::optional<std::string_view> found;
  i = skip_space(s, i + 1);
  while (i < s.size() && s[i] != '}') {
    if (s[i] != '"') return std::nullopt;
    bool escaped = false;
    std::size_t key_end = skip_string(s, i, escaped);
    if (key_end == kFail) return std::nullopt;
    std::string_view name = s.substr(i + 1, key_end - i - 2);
    i = skip_space(s, key_end);
    if (i >= s.size() || s[i] != ':') return std::nullopt;
    std::size_t value_begin = skip_space(s, i + 1);
    std::size_t value_end = skip_value(s, value_begin);
    if (value_end == kFail) return std::nullopt;
    // An escaped key might spell `key` too: let the DOM decide.
    if (escaped) return std::nullopt;
    if (name == key) {
      if (found) return std::nullopt;  // duplicate: which one the parser kept is its business
      found = s.substr(value_begin, value_end - value_begin);
    }
    i = skip_space(s, value_end);
    if (i < s.size() && s[i] == ',') i = skip_space(s, i + 1);
  }
  if (i >= s.size()) return std::nullopt;  // never closed
  return found;
}

}  // namespace peerhub::signaling
