#include "ice_servers.hpp"

#include <netdb.h>

#include <boost/json.hpp>
#include <charconv>
#include <cstring>

#include "net/turn_sockaddr.hpp"

namespace peerhub::cli {
namespace {

std::optional<stun::Address> resolve(const std::string& host, std::uint16_t port) {
  if (auto literal = net::stun_address(host, port)) return literal;
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return std::nullopt;
  sockaddr_storage storage{};
  std::memcpy(&storage, found->ai_addr, found->ai_addrlen);
  freeaddrinfo(found);
  auto address = net::to_stun(storage);
  address.port = port;
  return address;
}

}  // namespace

Result<void> add_ice_url(std::string_view url, std::string_view username, std::string_view credential,
                         peer::Configuration& configuration) {
  const auto colon = url.find(':');
  if (colon == std::string_view::npos) return Error{"not an ICE server URL: " + std::string(url)};
  const std::string scheme(url.substr(0, colon));
  if (scheme == "turns") return Error{"turns: (TURN over TLS) is not supported by this peer yet"};
  if (scheme != "stun" && scheme != "turn") return Error{"unknown ICE server scheme \"" + scheme + "\""};
  std::string_view rest = url.substr(colon + 1);
  bool tcp = false;
  if (const auto query = rest.find('?'); query != std::string_view::npos) {
    const auto params = rest.substr(query + 1);
    if (params == "transport=tcp")
      tcp = true;
    else if (params != "transport=udp")
      return Error{"unknown ICE server URL parameters: " + std::string(params)};
    rest = rest.substr(0, query);
  }
  std::string host;
  std::uint16_t port = 3478;
  std::string_view port_text;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return Error{"unclosed '[' in " + std::string(url)};
    host = std::string(rest.substr(1, close - 1));
    if (close + 1 < rest.size() && rest[close + 1] == ':') port_text = rest.substr(close + 2);
  } else {
    const auto c = rest.rfind(':');
    host = std::string(rest.substr(0, c));
    if (c != std::string_view::npos) port_text = rest.substr(c + 1);
  }
  if (!port_text.empty()) {
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0) {
      return Error{"bad port in " + std::string(url)};
    }
  }
  const auto address = resolve(host, port);
  if (!address) return Error{"cannot resolve \"" + host + "\" (from " + std::string(url) + ")"};
  if (scheme == "stun") {
    configuration.stun_servers.push_back(*address);
  } else {
    configuration.turn_servers.push_back({*address, tcp, std::string(username), std::string(credential)});
  }
  return {};
}

Result<void> add_ice_servers(const boost::json::value& list, peer::Configuration& configuration,
                             std::vector<std::string>& notes) {
  if (list.is_null()) return {};
  if (!list.is_array()) return Error{"iceServers is not a list"};
  for (const auto& entry : list.as_array()) {
    const auto* object = entry.if_object();
    if (object == nullptr) return Error{"an iceServers entry is not an object"};
    std::vector<std::string> urls;
    if (const auto* u = object->if_contains("urls")) {
      if (u->is_string()) urls.emplace_back(u->as_string());
      if (u->is_array()) {
        for (const auto& v : u->as_array()) {
          if (v.is_string()) urls.emplace_back(v.as_string());
        }
      }
    }
    std::string username, credential;
    if (const auto* v = object->if_contains("username"); v && v->is_string()) username = v->as_string();
    if (const auto* v = object->if_contains("credential"); v && v->is_string()) credential = v->as_string();
    for (const auto& url : urls) {
      auto added = add_ice_url(url, username, credential, configuration);
      if (!added) notes.push_back(added.error());
    }
  }
  return {};
}

}  // namespace peerhub::cli
