#include "net/turn_service.hpp"

#include <openssl/rand.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <spdlog/spdlog.h>

#include "net/port_claim.hpp"
#include "net/turn_sockaddr.hpp"
#include "net/turn_worker.hpp"

namespace peerhub::net {
namespace {

constexpr const char* kTurnRemedy = "choose another port, or --turn off";

// Every client of a worker shares its one UDP socket: a burst that arrives while the worker is off the CPU
// waits here (the default, ~200 KiB, holds only a few hundred small datagrams).
constexpr int kListenReceiveBuffer = 4 * 1024 * 1024;

template <std::size_t N>
std::array<std::uint8_t, N> random_bytes() {
  std::array<std::uint8_t, N> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(N)) != 1) throw std::runtime_error("RAND_bytes failed");
  return bytes;
}

// A secret nobody configured: the login hands out credentials under it, so it only has to live as long as
// this process. Never logged.
std::string random_secret() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : random_bytes<32>()) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

turn::ServerConfig server_config(const Config& config, const TurnPlan& plan, const std::string& secret) {
  turn::ServerConfig s;
  s.realm = config.turn_realm;
  for (const auto& user : config.turn_users) {
    const auto colon = user.find(':');  // validated: USER:PASS
    s.users.emplace_back(user.substr(0, colon), user.substr(colon + 1));
  }
  s.rest_secret = secret;
  s.relay_ipv4 = false;
  s.relay_ipv6 = false;
  for (const auto& ip : plan.relay_addresses) {
    const auto address = stun_address(ip, 0);
    (address->family == stun::Family::ipv4 ? s.relay_ipv4 : s.relay_ipv6) = true;
    s.peers.own_relays.push_back(*address);
  }
  s.peers.own_port_min = plan.relay_port_min;
  s.peers.own_port_max = plan.relay_port_max;
  s.peers.allow_loopback = config.turn_allow_loopback_peers;
  for (const auto& range : plan.allow_peers) {
    stun::Address base;
    base.family = range.bytes.size() == 4 ? stun::Family::ipv4 : stun::Family::ipv6;
    std::copy(range.bytes.begin(), range.bytes.end(), base.bytes.begin());
    s.peers.allowed.push_back({base, range.prefix});
  }
  s.limits.allocations_total = config.turn_max_allocations;
  s.limits.allocations_per_user = config.turn_max_allocations_per_user;
  s.limits.bandwidth_bytes_per_second = config.turn_bandwidth;
  return s;
}

RelayPool::Settings relay_settings(const Config& config, const TurnPlan& plan) {
  RelayPool::Settings r;
  for (const auto& ip : plan.relay_addresses) {
    const auto address = stun_address(ip, 0);
    (address->family == stun::Family::ipv4 ? r.ipv4 : r.ipv6) = address;
  }
  r.port_min = plan.relay_port_min;
  r.port_max = plan.relay_port_max;
  r.limit = config.turn_max_allocations;
  return r;
}

}  // namespace

TurnService::TurnService(const Config& config, const TurnPlan& plan,
                         std::vector<std::unique_ptr<Worker>>& workers, boost::asio::ssl::context* tls) {
  secret_ = config.turn_secret.empty() ? random_secret() : config.turn_secret;
  credential_ttl_s_ = config.turn_credential_ttl_s;
  const auto nonce_key = random_bytes<32>();
  auto server = server_config(config, plan, secret_);
  TurnStreamLimits streams;
  streams.idle_timeout = server.max_lifetime + std::chrono::seconds(60);
  streams.rfc5766_channels = server.rfc5766_channels;
  shared_.reset(new TurnShared{std::move(server), turn::SharedState(nonce_key),
                               ReservedPorts(turn::SharedState::kMaxReservations),
                               relay_settings(config, plan), streams, config.turn_max_allocations, tls});

  address_ = *stun_address(plan.listen.host, plan.listen.port);
  address_.port = claim_port(address_, true, "turn.listen", kTurnRemedy);
  const bool wildcard = is_wildcard(address_);
  if (plan.tls && tls != nullptr) {
    tls_address_ = stun_address(plan.tls->host, plan.tls->port);
    tls_address_->port = claim_port(*tls_address_, false, "turn.tls_listen", kTurnRemedy);
  }
  urls_ = TurnUrls{plan.public_host, address_.port,
                   tls_address_ ? std::optional<std::uint16_t>(tls_address_->port) : std::nullopt};

  const SocketOptions group{.reuse_port = true, .reuse_address = true};
  for (auto& worker : workers) {
    TurnSockets sockets;
    sockets.address = address_;
    sockets.wildcard = wildcard;
    sockets.udp = bind_udp(
        address_,
        SocketOptions{.reuse_port = true, .packet_info = wildcard, .receive_buffer = kListenReceiveBuffer});
    if (sockets.udp < 0) bind_failed("turn.listen (udp)", address_, errno, kTurnRemedy);
    sockets.tcp = bind_tcp_listener(address_, group);
    if (sockets.tcp < 0) {
      const int error = errno;
      ::close(sockets.udp);
      bind_failed("turn.listen (tcp)", address_, error, kTurnRemedy);
    }
    if (tls_address_) {
      sockets.tls_address = *tls_address_;
      sockets.tls = bind_tcp_listener(*tls_address_, group);
      if (sockets.tls < 0) {
        const int error = errno;
        ::close(sockets.udp);
        ::close(sockets.tcp);
        bind_failed("turn.tls_listen", *tls_address_, error, kTurnRemedy);
      }
    }
    // Owned by the TurnWorker from here, which closes them.
    workers_.push_back(std::make_shared<TurnWorker>(*worker, *shared_, sockets));
  }
  if (config.turn_secret.empty()) {
    spdlog::info(
        "turn secret generated: REST credentials from the login answer work until this process stops");
  }
}

TurnService::~TurnService() = default;

void TurnService::start() {
  for (auto& worker : workers_)
    worker->start();
  spdlog::info("listening service=turn addr={} transports=udp,tcp url=turn:{}:{} workers={}",
               stun::to_string(address_), url_host(urls_.host), urls_.port, workers_.size());
  if (tls_address_) {
    spdlog::info("listening service=turns addr={} url=turns:{}:{}", stun::to_string(*tls_address_),
                 url_host(urls_.host), tls_address_->port);
  }
}

void TurnService::append_ice_servers(std::string_view name, std::int64_t unix_s,
                                     boost::json::array& out) const {
  append_turn_ice_servers(urls_, secret_, name, unix_s + credential_ttl_s_, out);
}

void TurnService::append_prometheus(std::string& out) const {
  std::vector<TurnSnapshot> snapshots;
  snapshots.reserve(workers_.size());
  for (const auto& worker : workers_)
    snapshots.push_back(worker->snapshot());
  append_turn_prometheus(snapshots, out);
}

}  // namespace peerhub::net
