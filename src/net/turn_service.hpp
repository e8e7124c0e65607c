// The embedded STUN/TURN server of the process: resolves the [turn] settings, binds every worker's sockets,
// and answers what the rest of the server asks of it (the login's iceServers, the /metrics text).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ssl/context.hpp>
#include <boost/json/array.hpp>

#include "common/config.hpp"
#include "common/turn_config.hpp"
#include "net/turn_ice_servers.hpp"
#include "net/worker.hpp"
#include "stun/address.hpp"

namespace peerhub::net {

struct TurnShared;
class TurnWorker;

class TurnService {
 public:
  // Binds the UDP socket, the TCP listener and (with a certificate) the TLS listener of every worker. Throws
  // std::runtime_error naming the address when one cannot be had: an address another process holds is an
  // error, never shared (SO_REUSEPORT would silently split the traffic between the two).
  TurnService(const Config& config, const TurnPlan& plan, std::vector<std::unique_ptr<Worker>>& workers,
              boost::asio::ssl::context* tls);
  ~TurnService();
  TurnService(const TurnService&) = delete;
  TurnService& operator=(const TurnService&) = delete;

  // Puts the sockets in the workers' epoll sets and logs the addresses; before the workers run.
  void start();

  // The stun:/turn: entries of a login answer for `name` at `unix_s` (credentials valid turn.credential_ttl).
  void append_ice_servers(std::string_view name, std::int64_t unix_s, boost::json::array& out) const;
  void append_prometheus(std::string& out) const;

  const stun::Address& address() const { return address_; }

 private:
  std::unique_ptr<TurnShared> shared_;
  std::vector<std::shared_ptr<TurnWorker>> workers_;
  stun::Address address_;
  std::optional<stun::Address> tls_address_;
  TurnUrls urls_;
  std::string secret_;
  std::int64_t credential_ttl_s_ = 0;
};

}  // namespace peerhub::net
