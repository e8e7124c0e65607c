// peerhub's own TURN server core for the virtual-network test harnesses (ice_harness.hpp, peer_harness.hpp):
// user "user" / "pass", relays on the server's IP from port 50000, private peers allowed. The harness carries
// the bytes — `to_client` for what the server sends a client (over UDP, or on the client's TCP connection),
// `send` for a datagram from a relay to a peer — and hands over what arrives for the server, with its clock.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/clock.hpp"
#include "stun/address.hpp"
#include "turn/server.hpp"

namespace peerhub::testing {

class VirtualTurnServer : turn::Host {
 public:
  using ToClient = std::function<void(const turn::FiveTuple& to, std::vector<std::uint8_t> bytes)>;
  using Send =
      std::function<void(const stun::Address& from, const stun::Address& to, std::vector<std::uint8_t>)>;

  VirtualTurnServer(const stun::Address& address, ToClient to_client, Send send, TimePoint now)
      : address_(address),
        to_client_(std::move(to_client)),
        send_(std::move(send)),
        shared_(kKey),
        server_(config(), *this, shared_),
        next_tick_(now) {}

  const stun::Address& address() const { return address_; }
  turn::Server& server() { return server_; }

  // A datagram for the server's address or one of its relays: handled, true; otherwise false.
  bool deliver_datagram(TimePoint now, const stun::Address& from, const stun::Address& to,
                        std::span<const std::uint8_t> bytes) {
    if (to == address_) {
      server_.on_client_data(turn::FiveTuple{from, to, turn::Transport::udp}, bytes, turn_now(now));
      return true;
    }
    for (const auto& [id, address] : relays_) {
      if (address == to) {
        server_.on_peer_data(id, from, bytes, turn_now(now));
        return true;
      }
    }
    return false;
  }
  // Bytes a client wrote on its TCP connection to the server.
  void deliver_stream(TimePoint now, const stun::Address& client, std::span<const std::uint8_t> bytes) {
    server_.on_client_data(turn::FiveTuple{client, address_, turn::Transport::tcp}, bytes, turn_now(now));
  }
  void stream_closed(TimePoint now, const stun::Address& client) {
    server_.on_connection_closed(turn::FiveTuple{client, address_, turn::Transport::tcp}, turn_now(now));
  }

  // The server's own timers (allocation and permission lifetimes).
  TimePoint next_tick() const { return next_tick_; }
  void tick(TimePoint now) {
    if (next_tick_ <= now) next_tick_ = server_.on_tick(turn_now(now));
  }

 private:
  static constexpr std::array<std::uint8_t, 32> kKey{1, 2, 3};

  static turn::ServerConfig config() {
    turn::ServerConfig c;
    c.users = {{"user", "pass"}};
    c.peers.allow_loopback = true;
    return c;
  }
  static turn::Now turn_now(TimePoint now) {
    return turn::Now{
        now,
        1'700'000'000 + std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()};
  }

  void send_to_client(const turn::FiveTuple& to, std::span<const std::uint8_t> bytes,
                      turn::ToClient) override {
    to_client_(to, {bytes.begin(), bytes.end()});
  }
  void send_to_peer(turn::RelayId relay, const stun::Address& peer,
                    std::span<const std::uint8_t> bytes) override {
    send_(relays_.at(relay), peer, {bytes.begin(), bytes.end()});
  }
  std::optional<turn::Relay> open_relay(stun::Family, const turn::PortRequest&) override {
    stun::Address a = address_;
    a.port = next_port_++;
    relays_[a.port] = a;
    return turn::Relay{a.port, a};
  }
  void close_relay(turn::RelayId relay) override { relays_.erase(relay); }

  stun::Address address_;
  ToClient to_client_;
  Send send_;
  turn::SharedState shared_;
  turn::Server server_;
  std::map<turn::RelayId, stun::Address> relays_;
  std::uint16_t next_port_ = 50000;
  TimePoint next_tick_;
};

}  // namespace peerhub::testing
