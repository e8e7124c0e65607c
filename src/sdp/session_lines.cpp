// The o=, t=, c= and m= lines (RFC 8866 §5.2, §5.9, §5.7, §5.14).
#include <string>

#include "sdp/attributes.hpp"
#include "sdp/text.hpp"

namespace peerhub::sdp {

namespace {

Error fail(std::string message) {
  return Error{0, std::move(message)};
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    out += ' ';
    out += p;
  }
  return out;
}

}  // namespace

// RFC 8866 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
Result<Origin> parse_origin(std::string_view value) {
  const auto f = text::fields(value, 7);
  if (f.size() != 6)
    return fail("o= line needs 6 fields: username, session id, version, IN, IP4/IP6, address");
  Origin o;
  o.username = f[0];
  if (!text::number<std::uint64_t>(f[1], UINT64_MAX)) {
    return fail("o= session id " + text::quote(f[1]) + " is not a number");
  }
  o.session_id = f[1];
  const auto version = text::number<std::uint64_t>(f[2], UINT64_MAX);
  if (!version) return fail("o= session version " + text::quote(f[2]) + " is not a number");
  o.session_version = *version;
  o.net_type = f[3];
  o.addr_type = f[4];
  o.address = f[5];
  return o;
}

std::string to_string(const Origin& o) {
  return o.username + ' ' + o.session_id + ' ' + std::to_string(o.session_version) + ' ' + o.net_type + ' ' +
         o.addr_type + ' ' + o.address;
}

// RFC 8866 §5.9: t=<start-time> <stop-time>, NTP seconds; "0 0" for a session without bounds (JSEP).
Result<Timing> parse_timing(std::string_view value) {
  const auto f = text::fields(value, 3);
  if (f.size() != 2) return fail("t= line needs 2 fields: start and stop time");
  const auto start = text::number<std::uint64_t>(f[0], UINT64_MAX);
  const auto stop = text::number<std::uint64_t>(f[1], UINT64_MAX);
  if (!start || !stop) return fail("t= times must be numbers");
  return Timing{*start, *stop};
}

std::string to_string(const Timing& t) {
  return std::to_string(t.start) + ' ' + std::to_string(t.stop);
}

// RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>
Result<Connection> parse_connection(std::string_view value) {
  const auto f = text::fields(value, 4);
  if (f.size() != 3) return fail("c= line needs 3 fields: IN, IP4/IP6, address");
  return Connection{std::string(f[0]), std::string(f[1]), std::string(f[2])};
}

std::string to_string(const Connection& c) {
  return c.net_type + ' ' + c.addr_type + ' ' + c.address;
}

// RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
Result<MediaLine> parse_media_line(std::string_view value) {
  const auto f = text::fields(value);
  if (f.size() < 4) return fail("m= line needs at least 4 fields: media, port, proto, format");
  MediaLine m;
  m.media = f[0];
  std::string_view port = f[1];
  const std::size_t slash = port.find('/');
  if (slash != std::string_view::npos) {
    const auto count = text::number<std::uint16_t>(port.substr(slash + 1), 65535);
    if (!count || *count == 0)
      return fail("m= port count " + text::quote(port.substr(slash + 1)) + " is not 1-65535");
    m.port_count = count;
    port = port.substr(0, slash);
  }
  const auto number = text::number<std::uint16_t>(port, 65535);
  if (!number) return fail("m= port " + text::quote(port) + " is not a number from 0 to 65535");
  m.port = *number;
  m.proto = f[2];
  for (std::size_t i = 3; i < f.size(); ++i)
    m.formats.emplace_back(f[i]);
  return m;
}

std::string to_string(const MediaLine& m) {
  std::string out = m.media + ' ' + std::to_string(m.port);
  if (m.port_count) out += '/' + std::to_string(*m.port_count);
  return out + ' ' + m.proto + join(m.formats);
}

}  // namespace peerhub::sdp
