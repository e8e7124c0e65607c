#include "common/turn_config.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/address.hpp"
#include "common/settings.hpp"

namespace peerhub {
namespace {

constexpr std::uint16_t kTurnTlsPort = 5349;  // RFC 8656 §4: "turns" over TLS

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument(message);
}

bool is_wildcard(const std::vector<std::uint8_t>& ip) {
  return std::all_of(ip.begin(), ip.end(), [](std::uint8_t b) { return b == 0; });
}

std::string unbracketed(const std::string& text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') return text.substr(1, text.size() - 2);
  return text;
}

Endpoint endpoint_setting(const std::string& key, const std::string& value) {
  try {
    return parse_endpoint(value);
  } catch (const std::invalid_argument& error) {
    fail(key + ": " + error.what());
  }
}

void plan_relay_ports(const Config& config, TurnPlan& plan) {
  const std::string& text = config.turn_relay_ports;
  const std::string shape =
      "turn.relay_ports: expected MIN-MAX such as 49152-65535 (ports 1 to 65535), got '" + text + "'";
  const auto dash = text.find('-');
  if (dash == std::string::npos) fail(shape);
  unsigned long long low = 0;
  unsigned long long high = 0;
  try {
    low = parse_count(std::string_view(text).substr(0, dash), 65535);
    high = parse_count(std::string_view(text).substr(dash + 1), 65535);
  } catch (const std::invalid_argument&) {
    fail(shape);
  }
  if (low == 0 || low > high) fail(shape);
  plan.relay_port_min = static_cast<std::uint16_t>(low);
  plan.relay_port_max = static_cast<std::uint16_t>(high);
}

void plan_relay_addresses(const Config& config, TurnPlan& plan, bool listen_is_wildcard) {
  if (config.turn_relay_addresses.empty()) {
    if (listen_is_wildcard) {
      fail("turn.relay_address must name the IP relays bind to when turn.listen is a wildcard (" +
           plan.listen.host + ")");
    }
    plan.relay_addresses = {plan.listen.host};
    return;
  }
  bool has_v4 = false;
  bool has_v6 = false;
  for (const auto& entry : config.turn_relay_addresses) {
    const auto text = unbracketed(entry);
    const auto ip = parse_ip_address(text);
    if (!ip) fail("turn.relay_address: '" + entry + "' is not an IP address (names are not resolved)");
    if (is_wildcard(*ip)) {
      fail("turn.relay_address: '" + entry + "' is a wildcard; relays need the specific IP peers will see");
    }
    bool& seen = ip->size() == 4 ? has_v4 : has_v6;
    if (seen) fail("turn.relay_address: at most one IPv4 and one IPv6 address, got two of one family");
    seen = true;
    plan.relay_addresses.push_back(text);
  }
}

void plan_public_host(const Config& config, TurnPlan& plan, bool listen_is_wildcard) {
  if (config.turn_public_host.empty()) {
    plan.public_host = listen_is_wildcard ? plan.relay_addresses.front() : plan.listen.host;
    return;
  }
  const auto text = unbracketed(config.turn_public_host);
  if (const auto ip = parse_ip_address(text)) {
    if (is_wildcard(*ip)) fail("turn.public_host: '" + text + "' is a wildcard; clients need a real address");
  } else if (text.starts_with("*.") || !is_dns_name(text)) {
    fail("turn.public_host: '" + config.turn_public_host + "' is neither an IP address nor a DNS name");
  }
  plan.public_host = text;
}

void plan_tls(const Config& config, TurnPlan& plan) {
  const bool has_cert = !config.tls_cert.empty();
  if (config.turn_tls == "off") return;
  if (config.turn_tls.empty()) {
    // The conventional port beside the TURN one; a free one when the TURN port itself is picked freely, so
    // that servers started for tests never collide on 5349.
    if (has_cert)
      plan.tls = Endpoint{plan.listen.host, plan.listen.port == 0 ? std::uint16_t{0} : kTurnTlsPort};
    return;
  }
  if (!has_cert) fail("turn.tls_listen is set but no certificate is (tls.cert and tls.key, --tls-cert)");
  plan.tls = endpoint_setting("turn.tls_listen", config.turn_tls);
  if (plan.tls->port != 0 && plan.tls->port == plan.listen.port && plan.tls->host == plan.listen.host) {
    fail("turn.tls_listen must differ from turn.listen (both take TCP on " + config.turn_tls + ")");
  }
}

}  // namespace

IpRange parse_ip_range(const std::string& text) {
  const auto slash = text.find('/');
  const auto ip = parse_ip_address(unbracketed(text.substr(0, slash)));
  if (!ip) throw std::invalid_argument("'" + text + "' is not an IP address or a range like 10.0.0.0/8");
  IpRange range{*ip, static_cast<unsigned>(ip->size() * 8)};
  if (slash != std::string::npos) {
    try {
      range.prefix =
          static_cast<unsigned>(parse_count(std::string_view(text).substr(slash + 1), ip->size() * 8));
    } catch (const std::invalid_argument&) {
      throw std::invalid_argument("'" + text + "': the prefix length must be a number from 0 to " +
                                  std::to_string(ip->size() * 8));
    }
  }
  for (std::size_t bit = range.prefix; bit < range.bytes.size() * 8; ++bit) {
    range.bytes[bit / 8] = static_cast<std::uint8_t>(range.bytes[bit / 8] & ~(0x80U >> (bit % 8)));
  }
  return range;
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

TurnPlan plan_turn(const Config& config) {
  TurnPlan plan;
  if (config.turn.empty() || config.turn == "off") {
    if (!config.turn_tls.empty() && config.turn_tls != "off") {
      fail("turn.tls_listen is set but turn.listen is off");
    }
    return plan;
  }
  plan.enabled = true;
  plan.listen = endpoint_setting("turn.listen", config.turn);
  const bool wildcard = is_wildcard(*parse_ip_address(plan.listen.host));
  plan_tls(config, plan);
  plan_relay_ports(config, plan);
  plan_relay_addresses(config, plan, wildcard);
  plan_public_host(config, plan, wildcard);
  for (const auto& entry : config.turn_allow_peers) {
    try {
      plan.allow_peers.push_back(parse_ip_range(entry));
    } catch (const std::invalid_argument& error) {
      fail(std::string("turn.allow_peers: ") + error.what());
    }
  }
  if (config.turn_max_allocations == 0) fail("turn.max_allocations must be greater than 0");
  if (config.turn_max_allocations_per_user == 0) fail("turn.max_allocations_per_user must be greater than 0");
  if (config.turn_credential_ttl_s == 0) fail("turn.credential_ttl must be greater than 0");
  return plan;
}

}  // namespace peerhub
