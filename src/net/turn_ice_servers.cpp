#include "net/turn_ice_servers.hpp"

#include <boost/json/object.hpp>

#include "common/turn_config.hpp"
#include "turn/server.hpp"

namespace peerhub::net {

void append_turn_ice_servers(const TurnUrls& urls, std::string_view secret, std::string_view name,
                             std::int64_t expires_unix, boost::json::array& out) {
  // RFC 7064 §3.1 / RFC 7065 §3.1: host is an IP-literal (IPv6 in brackets), an IPv4 address or a name.
  const std::string authority = url_host(urls.host) + ":" + std::to_string(urls.port);
  boost::json::object stun;
  stun["urls"] = boost::json::array{boost::json::string("stun:" + authority)};
  out.emplace_back(std::move(stun));

  boost::json::array turn_urls{boost::json::string("turn:" + authority + "?transport=udp"),
                               boost::json::string("turn:" + authority + "?transport=tcp")};
  if (urls.tls_port) {
    turn_urls.emplace_back("turns:" + url_host(urls.host) + ":" + std::to_string(*urls.tls_port) +
                           "?transport=tcp");
  }
  const auto credential = turn::rest_credential(secret, name, expires_unix);
  boost::json::object turn;
  turn["urls"] = std::move(turn_urls);
  turn["username"] = credential.username;
  turn["credential"] = credential.password;
  out.emplace_back(std::move(turn));
}

}  // namespace peerhub::net
