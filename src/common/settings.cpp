#include "common/settings.hpp"
#include "common/overloaded.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace peerhub {
namespace {

// clang-format off
constexpr std::array kSettings{
  Setting{"server", "http", "http", "ADDR:PORT", "HTTP and WebSocket listener ADDR:PORT (port 0 picks a free one)", &Config::http},
  Setting{"server", "web", "web", "DIR", "folder of the web client served over HTTP", &Config::web_dir},
  Setting{"server", "allowed_origins", "allowed-origin", "ORIGIN", "a page origin allowed to open /ws, e.g. https://host:8443 (repeatable; none: any)", &Config::allowed_origins},
  Setting{"server", "workers", "workers", "N", "worker threads, 0 = one per core (at most 256)", &Config::workers},
  Setting{"server", "log_level", "log-level", "LEVEL", "trace, debug, info, warn, error or off", &Config::log_level},
  Setting{"server", "log_format", "log-format", "FORMAT", "text or json (one object per line)", &Config::log_format},
  Setting{"tls", "cert", "tls-cert", "FILE", "PEM certificate (chain): serve HTTPS/WSS; needs --tls-key", &Config::tls_cert},
  Setting{"tls", "key", "tls-key", "FILE", "PEM private key of --tls-cert", &Config::tls_key},
  Setting{"signaling", "max_frame", "max-frame", "BYTES", "largest WebSocket message in bytes", &Config::max_frame},
  Setting{"signaling", "max_connections", "max-connections", "N", "WebSocket connections in total", &Config::max_connections},
  Setting{"signaling", "messages_per_second", "messages-per-second", "RATE", "sustained messages per second per connection", &Config::messages_per_second},
  Setting{"signaling", "message_burst", "message-burst", "N", "messages a connection may send at once above the rate", &Config::message_burst},
  Setting{"signaling", "rooms_per_connection", "rooms-per-connection", "N", "rooms one connection may be in", &Config::rooms_per_connection},
  Setting{"signaling", "members_per_room", "members-per-room", "N", "members of one room", &Config::members_per_room},
  Setting{"signaling", "ping_interval", "ping-interval", "SECONDS", "seconds of silence before the server pings", &Config::ping_interval_s},
  Setting{"signaling", "idle_timeout", "idle-timeout", "SECONDS", "seconds of silence before the connection is dropped", &Config::idle_timeout_s},
  Setting{"signaling", "send_queue_bytes", "send-queue-bytes", "BYTES", "bytes queued to a slow reader before it is dropped", &Config::send_queue_bytes},
  Setting{"signaling", "ice_servers", "ice-server", "URL", "STUN/TURN URL given to clients at login (repeatable)", &Config::ice_servers},
  Setting{"auth", "secret", "auth-secret", "SECRET", "HS256 secret: login then needs a token (see `peerhub token`)", &Config::auth_secret, true},
  Setting{"auth", "token_ttl", "token-ttl", "SECONDS", "lifetime in seconds of tokens minted by `peerhub token`", &Config::token_ttl_s},
  Setting{"turn", "listen", "turn", "ADDR:PORT", "STUN/TURN listener ADDR:PORT, UDP and TCP (off: none)", &Config::turn},
  Setting{"turn", "realm", "turn-realm", "REALM", "TURN realm", &Config::turn_realm},
  Setting{"turn", "users", "turn-user", "USER:PASS", "TURN long-term credential USER:PASS (repeatable)", &Config::turn_users, true},
  Setting{"turn", "secret", "turn-secret", "SECRET", "TURN REST API shared secret of the login's ephemeral credentials (default: random per run)", &Config::turn_secret, true},
  Setting{"turn", "allow_loopback_peers", "turn-allow-loopback-peers", "", "let TURN relay to loopback and private peers (tests)", &Config::turn_allow_loopback_peers},
  Setting{"turn", "tls_listen", "turn-tls", "ADDR:PORT", "TURN over TLS listener (default: the TURN IP, port 5349, when --tls-cert is set; off: none)", &Config::turn_tls},
  Setting{"turn", "allow_peers", "turn-allow-peer", "CIDR", "a peer range TURN may relay to despite the safety defaults, e.g. 10.0.0.0/8 (repeatable)", &Config::turn_allow_peers},
  Setting{"turn", "relay_ports", "turn-relay-ports", "MIN-MAX", "UDP ports relay sockets bind to", &Config::turn_relay_ports},
  Setting{"turn", "relay_address", "turn-relay-address", "IP", "IP relay sockets bind to, one per family (default: the TURN listen IP)", &Config::turn_relay_addresses},
  Setting{"turn", "public_host", "turn-public-host", "HOST", "host written in the stun:/turn: URLs of the login answer (default: the listen or relay IP)", &Config::turn_public_host},
  Setting{"turn", "max_allocations", "turn-max-allocations", "N", "TURN allocations in total", &Config::turn_max_allocations},
  Setting{"turn", "max_allocations_per_user", "turn-max-allocations-per-user", "N", "TURN allocations of one user", &Config::turn_max_allocations_per_user},
  Setting{"turn", "bandwidth", "turn-bandwidth", "BYTES", "bytes per second one allocation may relay each way, 0 = unlimited", &Config::turn_bandwidth},
  Setting{"turn", "credential_ttl", "turn-credential-ttl", "SECONDS", "lifetime of the TURN credentials handed out at login", &Config::turn_credential_ttl_s},
  Setting{"media", "listen", "media", "ADDR:PORT", "SFU media UDP listener ADDR:PORT", &Config::media},
};
// clang-format on

std::string last_value(const std::vector<std::string>& values) {
  if (values.empty()) throw std::invalid_argument("expected a value, got none");
  return values.back();
}

std::string format_number(double value) {
  std::array<char, 64> text{};
  auto [end, ec] = std::to_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{}) return "?";
  return std::string(text.data(), end);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// A TURN user is "name:password": the name helps an operator, the password must never reach a log.
std::string redact_user(const std::string& user) {
  auto colon = user.find(':');
  return (colon == std::string::npos ? std::string{} : user.substr(0, colon)) + ":(set)";
}

}  // namespace

std::span<const Setting> settings() {
  return kSettings;
}

std::string flag_name(const Setting& setting) {
  return "--" + std::string(setting.flag);
}

std::string env_name(const Setting& setting) {
  std::string name = "PEERHUB_";
  for (char c : setting.flag) {
    name += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return name;
}

unsigned long long parse_count(std::string_view text, unsigned long long max) {
  unsigned long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max) {
    throw std::invalid_argument("expected a whole number from 0 to " + std::to_string(max) + ", got '" +
                                std::string(text) + "'");
  }
  return value;
}

double parse_number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    throw std::invalid_argument("expected a number, got '" + std::string(text) + "'");
  }
  return value;
}

bool parse_switch(std::string_view text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw std::invalid_argument("expected true or false, got '" + std::string(text) + "'");
}

void set_from_text(const Setting& setting, const std::vector<std::string>& values, Config& config) {
  std::visit(Overloaded{
                 [&](std::string Config::*field) { config.*field = last_value(values); },
                 [&](unsigned Config::*field) {
                   config.*field = static_cast<unsigned>(
                       parse_count(last_value(values), std::numeric_limits<unsigned>::max()));
                 },
                 [&](std::size_t Config::*field) {
                   config.*field = static_cast<std::size_t>(
                       parse_count(last_value(values), std::numeric_limits<std::size_t>::max()));
                 },
                 [&](double Config::*field) { config.*field = parse_number(last_value(values)); },
                 [&](bool Config::*field) { config.*field = parse_switch(last_value(values)); },
                 [&](std::vector<std::string> Config::*field) {
                   (config.*field).clear();
                   for (const auto& value : values) {
                     if (!value.empty()) (config.*field).push_back(value);
                   }
                 },
                 [&](std::vector<IceServerConfig> Config::*field) {
                   (config.*field).clear();
                   for (const auto& value : values) {
                     if (!value.empty()) (config.*field).push_back(IceServerConfig{{value}, {}, {}});
                   }
                 },
             },
             setting.field);
}

std::string describe(const Setting& setting, const Config& config) {
  return std::visit(Overloaded{
                        [&](std::string Config::*field) {
                          const std::string& value = config.*field;
                          return setting.secret && !value.empty() ? std::string("(set)") : value;
                        },
                        [&](unsigned Config::*field) { return std::to_string(config.*field); },
                        [&](std::size_t Config::*field) { return std::to_string(config.*field); },
                        [&](double Config::*field) { return format_number(config.*field); },
                        [&](bool Config::*field) { return std::string(config.*field ? "true" : "false"); },
                        [&](std::vector<std::string> Config::*field) {
                          std::vector<std::string> shown;
                          for (const auto& item : config.*field)
                            shown.push_back(setting.secret ? redact_user(item) : item);
                          return join(shown, ",");
                        },
                        [&](std::vector<IceServerConfig> Config::*field) {
                          std::vector<std::string> shown;
                          for (const auto& server : config.*field) {
                            std::string text = join(server.urls, " ");
                            if (!server.username.empty()) text += " username=" + server.username;
                            if (!server.credential.empty()) text += " credential=(set)";
                            shown.push_back(text);
                          }
                          return join(shown, ",");
                        },
                    },
                    setting.field);
}

}  // namespace peerhub
