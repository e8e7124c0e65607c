#include "ice_servers.hpp"

#include <netdb.h>

#include <boost/json.hpp>
#include <cstring>

#include "common/host_port.hpp"
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
  const auto split = split_host_port(rest);
  if (!split.error.empty()) return Error{split.error + " in " + std::string(url)};
  const std::string& host = split.host;
  const std::uint16_t port = split.port.value_or(3478);  // RFC 7064 §3.1 / RFC 7065 §3.1: the default port
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
