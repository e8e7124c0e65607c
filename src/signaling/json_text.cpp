#include "signaling/json_text.hpp"

#include <boost/json/serializer.hpp>
#include <charconv>

namespace peerhub::signaling {
namespace json = boost::json;

namespace {

json::parse_options reader_options() {
  json::parse_options options;
  // Signaling messages are shallow; a deep nesting bomb is refused early.
  options.max_depth = 32;
  return options;
}

}  // namespace

void append_json_value(std::string& out, const json::value& v) {
  json::serializer serializer;
  serializer.reset(&v);
  while (!serializer.done()) {
    std::size_t used = out.size();
    out.resize(used + std::max<std::size_t>(out.capacity() - used, 1024));
    std::string_view chunk = serializer.read(out.data() + used, out.size() - used);
    out.resize(used + chunk.size());
  }
}

ObjectWriter& ObjectWriter::number(std::string_view key, std::int64_t value) {
  this->key(key);
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, end);
  return *this;
}

JsonReader::JsonReader()
    : arena_(new unsigned char[kArenaBytes]),
      resource_(arena_.get(), kArenaBytes),
      parser_(json::storage_ptr(), reader_options(), parser_buffer_, sizeof parser_buffer_) {}

const json::value* JsonReader::parse(std::string_view text, boost::system::error_code& ec) {
  // Drop the previous message's value before its memory is handed out again.
  value_.reset();
  resource_.release();
  parser_.reset(json::storage_ptr(&resource_));
  parser_.write(text, ec);
  if (ec) return nullptr;
  value_.emplace(parser_.release());
  return &*value_;
}

}  // namespace peerhub::signaling
