#include "common/host_port.hpp"

#include <charconv>

namespace peerhub {

HostPort split_host_port(std::string_view authority) {
  HostPort out;
  std::string_view port;
  bool has_port = false;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      out.error = "unclosed '['";
      return out;
    }
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        out.error = "expected ':' after ']'";
        return out;
      }
      port = authority.substr(close + 2);
      has_port = true;
    }
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      has_port = true;
    }
  }
  if (out.host.empty()) {
    out.error = "no host";
    return out;
  }
  if (!has_port || port.empty()) return out;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    out.error = "bad port \"" + std::string(port) + "\"";
    return out;
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

}  // namespace peerhub
