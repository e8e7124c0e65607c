// The TURN client core (RFC 8656 over RFC 8489): one UDP-relay allocation on one TURN server, for the ICE
// agent's relayed candidates. A sans-IO state machine: it never opens a socket, reads a clock or draws
// randomness of its own.
//
// Driving contract (the ICE agent, or any shell, is the caller):
// - start(now) begins the Allocate exchange; create_permission(), bind_channel(), send_to() and close() are
//   the commands.
// - Every datagram that came from the TURN server (UDP), or every whole STUN message / ChannelData frame cut
//   from the TCP or TLS stream to it by stun/framing.hpp, goes to handle_datagram(). Its answer says whether
//   the bytes were TURN's own (a response, consumed), carry a peer's data (a view inside the caller's buffer,
//   valid as long as that buffer is: nothing is copied), or are not this client's at all (e.g. the answer to
//   the caller's own STUN Binding request, whose transaction this client does not know).
// - After every call, drain poll_transmit() (bytes for the TURN server, owned by the Transmit) and
//   poll_event(), and arm one timer at next_timeout(); when it fires, call handle_timeout(now).
//
// What it does on its own: the 401 challenge (REALM, NONCE, PASSWORD-ALGORITHMS: SHA-256 when offered, MD5
// otherwise), one retry with a fresh nonce after 438, RFC 8489 retransmissions over UDP (RTO 500 ms doubling,
// Rc = 7, Rm = 16; over TCP/TLS one 39.5 s timeout), the allocation's refresh 60 s before it ends, permission
// refreshes every 4 minutes (they last 300 s, §9) and channel refreshes before their 10 minutes (§12) while
// they are in use. Success responses without a valid MESSAGE-INTEGRITY(-SHA256) are dropped.
//
// Limits: 300 Try Alternate is not followed (Failed says so); one allocation per Client; UDP relays only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "stun/address.hpp"
#include "stun/types.hpp"
#include "turn/server.hpp"

namespace peerhub::turn {

struct ClientConfig {
  stun::Address server;                  // the TURN server's transport address
  Transport transport = Transport::udp;  // tcp / tls: frames on a stream (ChannelData padded to 4, §12.5)
  std::string username;
  std::string password;
  stun::Family family = stun::Family::ipv4;  // the relayed address's family (REQUESTED-ADDRESS-FAMILY)
  std::chrono::seconds lifetime{600};        // LIFETIME asked for in Allocate and Refresh
  std::string software = "peerhub";          // SOFTWARE in requests; empty = none
  // Transaction ids. Empty: OpenSSL's RAND_bytes.
  std::function<void(std::span<std::uint8_t>)> random_fill;
  std::size_t max_permissions = 64;   // peer IPs with a permission (or one on its way)
  std::size_t max_channels = 64;      // channel bindings
  std::size_t max_transactions = 32;  // requests waiting for an answer
};

// Bytes for the TURN server (over UDP: one datagram; over a stream: append to the connection).
struct Transmit {
  stun::Address destination;  // ClientConfig::server
  std::vector<std::uint8_t> bytes;
};

// The allocation exists: the relayed candidate's address and the server-reflexive one (XOR-MAPPED-ADDRESS).
struct Allocated {
  stun::Address relayed;
  stun::Address mapped;
  std::chrono::seconds lifetime{0};
};
// The allocation could not be made or was lost (a refresh failed). `code` is the ERROR-CODE, or 0 when no
// answer came or the answer made no sense; `reason` says in words what happened.
struct Failed {
  std::uint16_t code = 0;
  std::string reason;
};
// A permission for the peer's IP (the port does not matter, §9) is installed; send_to() may now use it.
struct PermissionCreated {
  stun::Address peer;
};
struct PermissionFailed {
  stun::Address peer;
  std::uint16_t code = 0;
  std::string reason;
};
// Data to and from `peer` now travels as ChannelData on `channel`.
struct ChannelBound {
  stun::Address peer;
  std::uint16_t channel = 0;
};
struct ChannelFailed {
  stun::Address peer;
  std::uint16_t channel = 0;
  std::uint16_t code = 0;
  std::string reason;
};
// close() finished (the server removed the allocation, or did not answer): nothing more will happen.
struct Closed {};

using ClientEvent =
    std::variant<Allocated, Failed, PermissionCreated, PermissionFailed, ChannelBound, ChannelFailed, Closed>;

// What handle_datagram() made of the bytes.
struct Received {
  enum class Kind : std::uint8_t {
    not_mine,   // not TURN, or a STUN message of a transaction this client did not start
    consumed,   // a response or indication for this client (acted upon, or dropped as invalid)
    peer_data,  // a Data indication or ChannelData from `peer`: `data` points into the caller's buffer
  };
  Kind kind = Kind::not_mine;
  stun::Address peer;
  std::span<const std::uint8_t> data;
};

class Client {
 public:
  enum class State : std::uint8_t { idle, allocating, allocated, closing, closed, failed };

  explicit Client(ClientConfig config);
  ~Client();
  // A moved-from Client may only be destroyed or assigned to.
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends the first Allocate (without credentials, to learn REALM and NONCE). Only from idle.
  void start(TimePoint now);
  // Refresh with LIFETIME 0; ends in Closed (at once when there is no allocation to remove).
  void close(TimePoint now);

  // CreatePermission for the peer's IP. Asked before the allocation exists, it is sent once it does. False
  // when the permission table or the transaction table is full, or the client failed or is closing.
  bool create_permission(TimePoint now, const stun::Address& peer);
  // ChannelBind with the next free number (0x4000–0x4FFF); it also installs the permission. False as above,
  // or when no channel number is left.
  bool bind_channel(TimePoint now, const stun::Address& peer);
  // The data for `peer` as ChannelData when a channel to it is bound, otherwise as a Send indication. False
  // (nothing queued) when the allocation is not up, no permission for the peer's IP is installed, or the data
  // cannot fit one message.
  bool send_to(TimePoint now, const stun::Address& peer, std::span<const std::uint8_t> bytes);

  Received handle_datagram(TimePoint now, std::span<const std::uint8_t> bytes);
  Received handle_datagram(TimePoint, std::vector<std::uint8_t>&&) = delete;  // the view would dangle
  void handle_timeout(TimePoint now);
  std::optional<Transmit> poll_transmit();
  std::optional<ClientEvent> poll_event();
  std::optional<TimePoint> next_timeout() const;

  State state() const;
  // Known once Allocated was reported.
  std::optional<stun::Address> relayed_address() const;
  std::optional<stun::Address> mapped_address() const;
  bool has_permission(const stun::Address& peer) const;                   // installed, for the peer's IP
  std::optional<std::uint16_t> channel(const stun::Address& peer) const;  // bound

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace peerhub::turn
