// Candidate text (RFC 8839 §5.1), priorities (RFC 8445 §5.1.2, §6.1.2.3) and foundations (§5.1.1.3).
#include "ice/candidate.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace peerhub::ice {

namespace {

// RFC 8839 §5.1: ice-char = ALPHA / DIGIT / "+" / "/".
bool is_ice_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

// Printable for an error message: at most 40 characters, control bytes as '?'.
std::string quote(std::string_view s) {
  std::string out = "'";
  for (const char c : s.substr(0, 40))
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
  if (s.size() > 40) out += "...";
  return out + "'";
}

template <class T>
std::optional<T> number(std::string_view s, T max) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value > max) return std::nullopt;
  return static_cast<T>(value);
}

// An IP literal with the port; nullopt when `ip` is not an IPv4 or IPv6 literal.
std::optional<stun::Address> ip_address(std::string_view ip, std::uint16_t port) {
  if (ip.size() > 45) return std::nullopt;
  const bool v6 = ip.find(':') != std::string_view::npos;
  std::string text;
  text.reserve(ip.size() + 8);
  if (v6) text += '[';
  text.append(ip);
  if (v6) text += ']';
  text += ':';
  text += std::to_string(port);
  return stun::Address::parse(text);
}

// RFC 8839 §5.1 connection-address: an IP literal or an FQDN. Names are kept, never resolved.
bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size() && out.size() <= 256) {
    while (i < s.size() && s[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ')
      ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

CandidateParse fail(std::string message) {
  return CandidateParse{std::nullopt, "candidate: " + std::move(message)};
}

}  // namespace

std::string_view to_string(CandidateType type) {
  switch (type) {
    case CandidateType::host:
      return "host";
    case CandidateType::srflx:
      return "srflx";
    case CandidateType::prflx:
      return "prflx";
    case CandidateType::relay:
      return "relay";
  }
  return "host";
}

std::string_view to_string(Transport transport) {
  return transport == Transport::tcp ? "tcp" : "udp";
}

CandidateParse parse_candidate(std::string_view line) {
  if (line.size() > 4096) return fail("line longer than 4096 bytes");
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' '))
    line.remove_suffix(1);
  if (line.starts_with("a=")) line.remove_prefix(2);
  if (!line.starts_with("candidate:")) return fail("does not start with 'candidate:'");
  line.remove_prefix(10);
  // RFC 8839 §5.1: byte-strings exclude NUL, CR and LF.
  if (line.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos)
    return fail("contains a NUL or a line break");
  const std::vector<std::string_view> f = split(line);
  if (f.size() > 256) return fail("too many fields");
  if (f.size() < 8)
    return fail("expected 'foundation component transport priority address port typ type', got " +
                std::to_string(f.size()) + " fields");

  Candidate c;
  if (f[0].size() > 32 || !std::all_of(f[0].begin(), f[0].end(), is_ice_char))
    return fail("foundation " + quote(f[0]) + " is not 1..32 letters, digits, '+' or '/'");
  c.foundation = std::string(f[0]);

  const auto component = number<std::uint16_t>(f[1], 256);
  if (!component || *component == 0) return fail("component " + quote(f[1]) + " is not a number 1..256");
  c.component = *component;

  if (iequals(f[2], "udp"))
    c.transport = Transport::udp;
  else if (iequals(f[2], "tcp"))
    c.transport = Transport::tcp;
  else
    return fail("transport " + quote(f[2]) + " is not udp or tcp");

  const auto priority = number<std::uint32_t>(f[3], std::numeric_limits<std::uint32_t>::max());
  if (!priority || *priority == 0) return fail("priority " + quote(f[3]) + " is not a number 1..4294967295");
  c.priority = *priority;

  const auto port = number<std::uint16_t>(f[5], 65535);
  if (!port) return fail("port " + quote(f[5]) + " is not a number 0..65535");
  if (const auto a = ip_address(f[4], *port)) {
    c.address = *a;
  } else if (is_hostname(f[4])) {
    c.hostname = std::string(f[4]);
    c.address = stun::Address::v4({0, 0, 0, 0}, *port);
  } else {
    return fail("address " + quote(f[4]) + " is neither an IP address nor a host name");
  }

  if (f[6] != "typ") return fail("expected 'typ' after the port, got " + quote(f[6]));
  if (f[7] == "host")
    c.type = CandidateType::host;
  else if (f[7] == "srflx")
    c.type = CandidateType::srflx;
  else if (f[7] == "prflx")
    c.type = CandidateType::prflx;
  else if (f[7] == "relay")
    c.type = CandidateType::relay;
  else
    return fail("type " + quote(f[7]) + " is not host, srflx, prflx or relay");

  std::optional<std::string_view> raddr;
  std::optional<std::uint16_t> rport;
  for (std::size_t i = 8; i < f.size(); i += 2) {
    const std::string_view name = f[i];
    if (i + 1 >= f.size()) return fail("extension " + quote(name) + " has no value");
    const std::string_view value = f[i + 1];
    if (name == "raddr") {
      if (raddr) return fail("raddr given twice");
      raddr = value;
    } else if (name == "rport") {
      if (rport) return fail("rport given twice");
      rport = number<std::uint16_t>(value, 65535);
      if (!rport) return fail("rport " + quote(value) + " is not a number 0..65535");
    } else if (name == "tcptype") {
      if (value == "active")
        c.tcptype = TcpType::active;
      else if (value == "passive")
        c.tcptype = TcpType::passive;
      else if (value == "so")
        c.tcptype = TcpType::so;
      else
        return fail("tcptype " + quote(value) + " is not active, passive or so");
    } else if (name == "generation") {
      c.generation = number<std::uint32_t>(value, std::numeric_limits<std::uint32_t>::max());
      if (!c.generation) return fail("generation " + quote(value) + " is not a number");
    } else if (name == "ufrag") {
      if (value.size() > 256) return fail("ufrag longer than 256 bytes");
      c.ufrag = std::string(value);
    } else {
      c.extensions.emplace_back(std::string(name), std::string(value));
    }
  }
  if (raddr.has_value() != rport.has_value()) return fail("raddr and rport come together");
  if (raddr) {
    if (const auto a = ip_address(*raddr, *rport)) {
      c.related = *a;
    } else if (is_hostname(*raddr)) {
      c.related_hostname = std::string(*raddr);
      c.related = stun::Address::v4({0, 0, 0, 0}, *rport);
    } else {
      return fail("raddr " + quote(*raddr) + " is neither an IP address nor a host name");
    }
  }
  return CandidateParse{std::move(c), {}};
}

std::string Candidate::to_string() const {
  std::string out = "candidate:";
  out += foundation;
  out += ' ' + std::to_string(component) + ' ';
  out += ice::to_string(transport);
  out += ' ' + std::to_string(priority) + ' ';
  out += hostname.empty() ? stun::ip_to_string(address) : hostname;
  out += ' ' + std::to_string(address.port) + " typ ";
  out += ice::to_string(type);
  if (related) {
    out += " raddr ";
    out += related_hostname.empty() ? stun::ip_to_string(*related) : related_hostname;
    out += " rport " + std::to_string(related->port);
  }
  if (tcptype != TcpType::none)
    out += tcptype == TcpType::active    ? " tcptype active"
           : tcptype == TcpType::passive ? " tcptype passive"
                                         : " tcptype so";
  if (generation) out += " generation " + std::to_string(*generation);
  if (!ufrag.empty()) out += " ufrag " + ufrag;
  for (const auto& [name, value] : extensions)
    out += ' ' + name + ' ' + value;
  return out;
}

std::uint32_t type_preference(CandidateType type) {
  switch (type) {
    case CandidateType::host:
      return 126;
    case CandidateType::prflx:
      return 110;
    case CandidateType::srflx:
      return 100;
    case CandidateType::relay:
      return 0;
  }
  return 0;
}

std::uint32_t candidate_priority(CandidateType type, std::uint16_t local_preference,
                                 std::uint16_t component) {
  return (type_preference(type) << 24) + (std::uint32_t{local_preference} << 8) + (256U - component);
}

std::string compute_foundation(CandidateType type, const stun::Address& base,
                               const std::optional<stun::Address>& server, Transport transport) {
  // FNV-1a over the four inputs; ports do not take part.
  std::uint32_t h = 2166136261U;
  const auto mix = [&h](std::uint8_t byte) {
    h ^= byte;
    h *= 16777619U;
  };
  mix(static_cast<std::uint8_t>(type));
  mix(static_cast<std::uint8_t>(transport));
  mix(static_cast<std::uint8_t>(base.family));
  for (const std::uint8_t b : base.ip())
    mix(b);
  if (server) {
    mix(static_cast<std::uint8_t>(server->family));
    for (const std::uint8_t b : server->ip())
      mix(b);
  }
  return std::to_string(h);
}

std::uint64_t pair_priority(std::uint32_t controlling, std::uint32_t controlled) {
  const std::uint64_t g = controlling;
  const std::uint64_t d = controlled;
  return (std::min(g, d) << 32) + 2 * std::max(g, d) + (g > d ? 1 : 0);
}

}  // namespace peerhub::ice
