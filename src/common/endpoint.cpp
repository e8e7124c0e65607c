#include <stdexcept>
#include <string>

#include "common/address.hpp"
#include "common/config.hpp"
#include "common/settings.hpp"

namespace peerhub {

Endpoint parse_endpoint(const std::string& text) {
  const std::string example = " (expected ADDR:PORT such as 127.0.0.1:8080 or [::1]:8080)";
  if (text.empty()) throw std::invalid_argument("empty address" + example);

  std::string host;
  std::string port_text;
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) throw std::invalid_argument("'" + text + "': missing ']'" + example);
    host = text.substr(1, close - 1);
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      throw std::invalid_argument("'" + text + "': missing :PORT after ']'" + example);
    }
    port_text = text.substr(close + 2);
    auto bytes = parse_ip_address(host);
    if (!bytes || bytes->size() != 16) {
      throw std::invalid_argument("'" + text + "': '" + host + "' is not an IPv6 address" + example);
    }
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("'" + text + "': missing :PORT" + example);
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string::npos) {
      throw std::invalid_argument("'" + text + "': write an IPv6 address in brackets, like [::1]:8080");
    }
    if (host.empty()) {
      host = "0.0.0.0";  // ":8080" listens on every IPv4 interface; "[::]:8080" on every interface
    } else {
      auto bytes = parse_ip_address(host);
      if (!bytes || bytes->size() != 4) {
        throw std::invalid_argument(
            "'" + text + "': '" + host +
            "' is not an IP address (names are not resolved; use 127.0.0.1 or [::1])");
      }
    }
  }

  Endpoint endpoint;
  endpoint.host = host;
  try {
    endpoint.port = static_cast<std::uint16_t>(parse_count(port_text, 65535));
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("'" + text + "': port '" + port_text + "' is not a number from 0 to 65535");
  }
  return endpoint;
}

}  // namespace peerhub
