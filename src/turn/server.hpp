// The TURN server core (RFC 8656, with RFC 6156's address families and RFC 8489's STUN Binding): a sans-IO
// state machine. It never opens a socket or reads a clock.
//
// Driving contract (the network shell in src/net is the only caller):
// - Every datagram a client sends to the TURN port (UDP), or every whole STUN message / ChannelData frame cut
// from
//   a client's TCP or TLS stream by stun/framing.hpp, goes to on_client_data() with its FiveTuple and the
//   time.
// - Every datagram that arrives on a relay socket goes to on_peer_data() with that relay's id and the peer.
// - A TCP/TLS client connection that closes goes to on_connection_closed(): its allocations end (RFC 8656
// §3.1).
// - on_tick(now) expires allocations, permissions, channels and reservations, and says when it wants to be
//   called next; the shell calls it at that time (or earlier). Between ticks nothing expired is used: every
//   packet checks the lifetimes it relies on.
// - The core answers through the Host the shell gives it: bytes to a client (over the tuple's transport; a
//   ChannelData frame is padded to 4 bytes when the transport is a stream, §12.5), datagrams from a relay to
//   a peer, and relay sockets opened and closed. Host calls happen synchronously inside the on_* calls, and
//   the byte spans they pass are valid only during the call.
//
// One Server per worker: the kernel's SO_REUSEPORT hash sends all of one client's datagrams (and a TCP
// connection lives) on one worker, so an allocation, its relay socket and its permissions live on exactly one
// worker. What must be shared across workers (allocation quotas, the nonce key, port reservations) is in
// SharedState.
//
// Nothing is allocated for an unauthenticated or invalid packet: nonces are stateless (a MAC of an expiry
// time and the client's address under a per-process key), and an allocation is created only after a request
// passed MESSAGE-INTEGRITY(-SHA256).
//
// Choices the RFC leaves to the server (each is tested):
// - DONT-FRAGMENT is not supported (the Host has no per-datagram DF bit): it is listed in a 420's
//   UNKNOWN-ATTRIBUTES (§7.2 step 4), and a Send indication carrying it is dropped (§10.2).
// - A full permission or channel table is 508 Insufficient Capacity, as §9.2 and §11.2 name that code for
// "some
//   capacity limit".
// - Authentication follows RFC 8489 §9.2 with the nonce cookie (§9.2.1, "obMatJos2"): 401s carry
//   PASSWORD-ALGORITHMS (SHA-256, MD5); MESSAGE-INTEGRITY-SHA256 is honoured and answered in kind; a request
//   with neither PASSWORD-ALGORITHM(S) attribute is MD5 (RFC 5389 clients, browsers). USERHASH is accepted
//   for static users (not for REST ones, whose names cannot be listed in advance); the nonce does not
//   advertise anonymity.
// - REST usernames count against the per-user quota by the name after the first ':'.
// - Channel numbers: RFC 5766's 0x4000–0x7FFF are taken besides RFC 8656's 0x4000–0x4FFF, because coturn's
//   clients still use them (ServerConfig::rfc5766_channels; turn/channel_numbers.hpp).
// - No ICMP attribute (§18.13) in Data indications: the Host reports no ICMP errors from relay sockets.
// - TURN-to-TURN (two relay-only browsers on one server) is allowed: a peer at one of PeerPolicy::own_relays
// on
//   a port in the relay range passes even when its address is in a denied range, and data to it stays on
//   relay ports, so the exception reaches no other service on that host.
#pragma once
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "stun/address.hpp"
#include "stun/types.hpp"

namespace peerhub::turn {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

// The time as the shell read it: the steady clock for lifetimes and timers, Unix seconds for the expiry
// inside REST usernames.
struct Now {
  TimePoint steady;
  std::int64_t unix_s = 0;
};

enum class Transport : std::uint8_t { udp, tcp, tls };

// The client side of an allocation's 5-tuple (§2): the client's address as the server sees it, the server
// address it reached, and the transport.
struct FiveTuple {
  stun::Address client;
  stun::Address server;
  Transport transport = Transport::udp;
  bool operator==(const FiveTuple&) const = default;
};

using RelayId = std::uint32_t;

struct Relay {
  RelayId id = 0;
  stun::Address address;  // the XOR-RELAYED-ADDRESS
};

// How Allocate asks for its port (EVEN-PORT §18.7, RESERVATION-TOKEN §18.10).
struct PortRequest {
  bool even = false;          // an even port…
  bool reserve_next = false;  // …and hold the next one (port + 1) for a later Allocate
  std::optional<std::uint16_t>
      reserved;  // the port a reservation token held (reserve_next of an earlier call)
};

// What goes to a client: the answer to its request, or data relayed from a peer (ChannelData, Data
// indication). A shell that cannot take more for a client drops relayed data like a UDP path would lose it;
// an answer it must not lose.
enum class ToClient : std::uint8_t { response, relayed };

// What the core asks of the shell. Called synchronously from the Server's on_* functions.
class Host {
 public:
  virtual ~Host() = default;
  virtual void send_to_client(const FiveTuple& to, std::span<const std::uint8_t> bytes, ToClient kind) = 0;
  virtual void send_to_peer(RelayId relay, const stun::Address& peer,
                            std::span<const std::uint8_t> bytes) = 0;
  // Binds a UDP socket of `family` on a port from the configured range; nullopt when none is free (→ 508).
  virtual std::optional<Relay> open_relay(stun::Family family, const PortRequest& request) = 0;
  virtual void close_relay(RelayId relay) = 0;
  // A port held by reserve_next that no Allocate claimed within 30 s (§7.2: "at least 30 seconds"), or whose
  // claim failed: it goes back to the pool. Reservations are server-wide (a token may come back on another
  // worker), so this may be called on a different worker's Host than the one that reserved the port.
  virtual void release_reserved_port(stun::Family /*family*/, std::uint16_t /*port*/) {}
};

// Which peer addresses may be relayed to (§17 and the project's safety defaults). Denied unless a range in
// `allowed` holds them: loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7), carrier-grade
// NAT (100.64/10), link-local (169.254/16, fe80::/10), unspecified and "this network" (0/8, ::), multicast
// (224/4, ff00::/8), reserved and broadcast (240/4), site-local (fec0::/10), the cloud metadata addresses
// (169.254.169.254, fd00:ec2::254), and the IPv6 forms that carry one of those IPv4 addresses: IPv4-mapped
// (::ffff:0:0/96), IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
struct PeerPolicy {
  struct Range {
    stun::Address base;  // port ignored
    unsigned prefix = 0;
  };
  bool allow_loopback = false;  // turn.allow_loopback_peers (tests): loopback and private (not metadata)
  std::vector<Range> allowed;   // turn.allow_peers
  // This server's relay addresses (port ignored) and relay port range, for TURN-to-TURN (see the top of the
  // file). Empty or a zero range: no exception.
  std::vector<stun::Address> own_relays;
  std::uint16_t own_port_min = 0;
  std::uint16_t own_port_max = 0;
};

struct Limits {
  std::size_t allocations_total = 10000;
  std::size_t allocations_per_user = 16;
  std::uint64_t bandwidth_bytes_per_second = 0;  // per allocation, each direction; 0 = unlimited
  std::size_t permissions_per_allocation = 64;
  std::size_t channels_per_allocation = 64;
};

struct ServerConfig {
  std::string realm = "peerhub";
  std::string software = "peerhub";  // SOFTWARE in every response; empty = none
  // Long-term credentials (§9.2 of RFC 8489): user -> password.
  std::vector<std::pair<std::string, std::string>> users;
  // The REST scheme of coturn's use-auth-secret: username "expiry:user", password
  // base64(HMAC-SHA1(secret, username)); empty = off.
  std::string rest_secret;
  std::chrono::seconds nonce_lifetime{600};
  std::chrono::seconds default_lifetime{600};  // §7.2: 10 minutes
  std::chrono::seconds max_lifetime{3600};     // §7.2: 1 hour
  // Channel numbers 0x4000–0x7FFF (RFC 5766's range, which coturn's turnutils_uclient picks from) besides RFC
  // 8656's 0x4000–0x4FFF; off: 0x5000 and up are a bad request (§11.2). See turn/channel_numbers.hpp.
  bool rfc5766_channels = true;
  // The relay families the shell serves (RFC 6156 / §7.2 step 7): a family that is off is 440.
  bool relay_ipv4 = true;
  bool relay_ipv6 = true;
  PeerPolicy peers;
  Limits limits;
};

// A RESERVATION-TOKEN's value (§18.10).
using ReservationToken = std::array<std::uint8_t, 8>;

// Shared by the Servers of all workers: the nonce key, the allocation counts that quotas check, and the ports
// EVEN-PORT reserved (§7.2: a reservation is server-wide). Thread-safe; touched only by requests and ticks,
// never by relayed data.
class SharedState {
 public:
  explicit SharedState(std::span<const std::uint8_t, 32> nonce_key);
  std::span<const std::uint8_t, 32> nonce_key() const;
  // Takes one allocation for `user` if the totals allow it.
  bool try_acquire(std::string_view user, const Limits& limits);
  void release(std::string_view user);
  std::size_t allocations() const;

  // At most kMaxReservations are held; reserve() refuses more (the caller then releases the port).
  static constexpr std::size_t kMaxReservations = 1024;
  std::optional<ReservationToken> reserve(stun::Family family, std::uint16_t port, TimePoint expires);
  // Claims a reservation that has not expired: its family and port.
  std::optional<std::pair<stun::Family, std::uint16_t>> claim(const ReservationToken& token, TimePoint now);
  // Removes the reservations due by `now`, appending their family and port to `out`.
  void expire_reservations(TimePoint now, std::vector<std::pair<stun::Family, std::uint16_t>>& out);
  std::optional<TimePoint> next_reservation_expiry() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Counters for /metrics. Plain integers: each worker's Server owns its own, the shell sums them.
struct Metrics {
  // Requests (and indications) received, by method; `data` counts Data indications sent. Names:
  // metrics_method_name().
  static constexpr std::size_t kMethods = 8;  // binding, allocate, refresh, send, data, create_permission,
                                              // channel_bind, other
  std::uint64_t requests[kMethods] = {};
  // Error responses sent, by code: kErrorCodes[i] is the code counted in errors_by_code[i].
  static constexpr std::array<std::uint16_t, 13> kErrorCodes = {400, 401, 403, 420, 437, 438, 440,
                                                                441, 442, 443, 486, 508, 500};
  std::uint64_t errors_by_code[kErrorCodes.size()] = {};
  std::uint64_t refused_peer = 0;   // 403 for a denied peer address
  std::uint64_t refused_quota = 0;  // 486 / 508
  std::uint64_t refused_auth = 0;   // 401 with a bad username or integrity (not the first challenge)
  std::uint64_t dropped = 0;        // datagrams dropped silently (all the reasons below, and any other)
  std::uint64_t dropped_no_permission = 0;  // relay attempts without a permission (or channel) for the peer
  std::uint64_t dropped_bandwidth = 0;      // over the allocation's bandwidth limit
  std::uint64_t dropped_malformed = 0;      // neither a valid STUN message nor valid ChannelData
  std::uint64_t packets_to_peers = 0, bytes_to_peers = 0;
  std::uint64_t packets_to_clients = 0, bytes_to_clients = 0;  // relayed data (ChannelData, Data indications)
  std::uint64_t allocations = 0;                               // live now, on this worker
  std::uint64_t allocations_created = 0;
  std::uint64_t permissions = 0;  // live now, on this worker
  std::uint64_t channels = 0;     // live now, on this worker
};

// "binding", "allocate", …, "other" for Metrics::requests[i].
std::string_view metrics_method_name(std::size_t i);

class Server {
 public:
  Server(ServerConfig config, Host& host, SharedState& shared);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void on_client_data(const FiveTuple& from, std::span<const std::uint8_t> bytes, const Now& now);
  void on_peer_data(RelayId relay, const stun::Address& peer, std::span<const std::uint8_t> bytes,
                    const Now& now);
  void on_connection_closed(const FiveTuple& tuple, const Now& now);
  // Expires what is due; returns when it next wants to be called (at most a minute ahead, never before
  // now + 1 s: between ticks, lifetimes are checked per packet).
  TimePoint on_tick(const Now& now);

  const Metrics& metrics() const;
  std::size_t allocation_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// REST ephemeral credentials (coturn's use-auth-secret) for the signaling login answer: the username
// "<unix expiry>:<name>" and its password base64(HMAC-SHA1(secret, username)).
struct RestCredential {
  std::string username;
  std::string password;
};
RestCredential rest_credential(std::string_view secret, std::string_view name, std::int64_t expires_unix);

}  // namespace peerhub::turn
