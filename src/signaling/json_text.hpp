// Building outgoing JSON text by hand (one pass, no DOM), and parsing incoming text with a reused parser.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/json_string.hpp"

namespace peerhub::signaling {

using peerhub::append_json_string;

// Appends `v` serialized.
void append_json_value(std::string& out, const boost::json::value& v);

// Writes one JSON object member by member. Keys are compile-time identifiers of the protocol and are written
// without escaping; values are escaped.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ObjectWriter& str(std::string_view key, std::string_view value) {
    this->key(key);
    append_json_string(out_, value);
    return *this;
  }
  ObjectWriter& boolean(std::string_view key, bool value) {
    this->key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  ObjectWriter& number(std::string_view key, std::int64_t value);
  ObjectWriter& value(std::string_view key, const boost::json::value& value) {
    this->key(key);
    append_json_value(out_, value);
    return *this;
  }
  // `json` must already be valid JSON text.
  ObjectWriter& raw(std::string_view key, std::string_view json) {
    this->key(key);
    out_ += json;
    return *this;
  }
  // Opens a member whose value the caller writes into out() itself.
  std::string& open(std::string_view key) {
    this->key(key);
    return out_;
  }
  void close() { out_ += '}'; }

 private:
  void key(std::string_view key) {
    if (out_.back() != '{') out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  std::string& out_;
};

// Parses one message at a time into memory that is reused: after the first messages, parsing allocates
// nothing. The returned value is valid until the next parse().
class JsonReader {
 public:
  JsonReader();
  const boost::json::value* parse(std::string_view text, boost::system::error_code& ec);

 private:
  static constexpr std::size_t kArenaBytes = 64 * 1024;
  std::unique_ptr<unsigned char[]> arena_;
  boost::json::monotonic_resource resource_;
  unsigned char parser_buffer_[4096];
  boost::json::parser parser_;
  std::optional<boost::json::value> value_;  // holds its memory in resource_
};

}  // namespace peerhub::signaling
