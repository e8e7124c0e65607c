// The inside of turn::Client, shared by the files that implement one concern each: client.cpp (the facade,
// the allocation's life, timers), client_transactions.cpp (requests, retransmissions, answers) and
// client_peers.cpp (permissions, channels, data both ways). Authentication is client_auth.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "stun/channel_data.hpp"
#include "stun/message.hpp"
#include "turn/client.hpp"
#include "turn/client_auth.hpp"

namespace peerhub::turn {

// The client's own names, apart from the server's (allocation.hpp has a Permission, a Channel and lifetimes
// of its own in peerhub::turn; one program links both).
namespace client_detail {

// RFC 8489 §6.2.1: RTO starts at 500 ms and doubles; Rc = 7 sends; the last one waits Rm × RTO = 16 × 500 ms,
// so a transaction fails 39.5 s after its first send. §6.2.2: over a stream nothing is resent and the same
// 39.5 s is the timeout.
inline constexpr Duration kInitialRto = std::chrono::milliseconds(500);
inline constexpr int kMaxSends = 7;
inline constexpr Duration kLastWait = 16 * kInitialRto;
inline constexpr Duration kTransactionTimeout = std::chrono::milliseconds(39500);

// RFC 8656 §9: a permission lasts 300 s; refreshed after 240 s. §12: a channel lasts 600 s; refreshed after
// 540 s, a minute ahead like the allocation.
inline constexpr Duration kPermissionLifetime = std::chrono::seconds(300);
inline constexpr Duration kPermissionRefresh = std::chrono::seconds(240);
inline constexpr Duration kChannelLifetime = std::chrono::seconds(600);
inline constexpr Duration kChannelRefresh = std::chrono::seconds(540);
inline constexpr Duration kRefreshAhead = std::chrono::seconds(60);

inline constexpr std::uint16_t kFirstChannel = 0x4000;  // §12: 0x4000..0x4FFF
inline constexpr std::uint16_t kLastChannel = 0x4FFF;

// Transmits and events wait for the caller here; both are drained after every call, so these bounds are
// reached only by a caller that forgets to drain. send_to() then refuses; events past the bound are dropped.
inline constexpr std::size_t kMaxQueuedTransmits = 256;
inline constexpr std::size_t kMaxQueuedEvents = 256;
// Answers to transactions that already ended (UDP duplicates) are still recognised as this client's.
inline constexpr std::size_t kRecentTransactions = 16;

enum class Purpose : std::uint8_t { allocate, refresh, close, permission, channel };

struct Transaction {
  stun::TransactionId id{};
  Purpose purpose = Purpose::allocate;
  stun::Address peer;         // permission, channel
  std::uint16_t channel = 0;  // channel
  std::vector<std::uint8_t> bytes;
  bool signed_request = false;  // carried credentials
  bool retried_stale = false;   // a 438 was already answered with a fresh nonce
  int sends = 0;
  Duration rto = kInitialRto;
  TimePoint next_send;  // UDP retransmission
  TimePoint deadline;   // no answer by then: the transaction failed
};

enum class PeerState : std::uint8_t { wanted, pending, installed };

// A permission for one peer IP (the port is kept as the caller gave it, and ignored, §9).
struct Permission {
  stun::Address peer;
  PeerState state = PeerState::wanted;
  bool in_flight = false;  // a CreatePermission for it is waiting for an answer
  bool used = true;        // traffic (or a request) since the last refresh: refresh it again
  TimePoint refresh_at;
  TimePoint expires;
};

struct Channel {
  stun::Address peer;
  std::uint16_t number = 0;
  PeerState state = PeerState::wanted;
  bool in_flight = false;
  bool used = true;
  TimePoint refresh_at;
  TimePoint expires;
};

bool same_ip(const stun::Address& a, const stun::Address& b);

}  // namespace client_detail

struct Client::Impl {
  using Transaction = client_detail::Transaction;
  using Purpose = client_detail::Purpose;
  using Permission = client_detail::Permission;
  using Channel = client_detail::Channel;

  explicit Impl(ClientConfig c);

  ClientConfig config;
  stun::Transport wire = stun::Transport::udp;
  State state = State::idle;
  ClientAuth auth;

  // The allocation (valid from Allocated on).
  stun::Address relayed;
  stun::Address mapped;
  TimePoint expires;
  std::optional<TimePoint> refresh_at;  // none while a Refresh is in flight

  std::vector<Transaction> transactions;
  std::array<stun::TransactionId, client_detail::kRecentTransactions> recent{};
  std::size_t recent_next = 0;
  std::vector<Permission> permissions;
  std::vector<Channel> channels;
  std::uint16_t next_channel = client_detail::kFirstChannel;
  std::optional<stun::TransactionId> indication_prefix;
  std::uint32_t indications = 0;

  std::deque<Transmit> transmits;
  std::deque<ClientEvent> events;

  // client.cpp
  void emit(ClientEvent e);
  void fail(std::uint16_t code, std::string reason);
  void finish_close();
  void on_allocated(TimePoint now, const stun::Message& m);
  void on_refreshed(TimePoint now, const stun::Message& m);
  void timeout(TimePoint now);
  std::optional<TimePoint> next_timeout() const;

  // client_transactions.cpp
  stun::TransactionId new_id();
  // Send indications need an id but no answer is matched to it: a random prefix drawn once and a counter,
  // so the data path costs no randomness per packet.
  stun::TransactionId indication_id();
  // Starts a request for `purpose`; false when the transaction table is full.
  bool request(TimePoint now, Purpose purpose, const stun::Address& peer = {}, std::uint16_t channel = 0);
  // Builds t.bytes with a fresh id: the method's attributes, SOFTWARE, then the credentials once known.
  bool build(Transaction& t);
  void send(TimePoint now, Transaction& t);
  void retransmit(TimePoint now);
  Received answer(TimePoint now, const stun::Message& m);
  void error_answer(TimePoint now, Transaction t, const stun::Message& m);
  void success_answer(TimePoint now, const Transaction& t, const stun::Message& m);
  void transaction_failed(const Transaction& t, std::uint16_t code, std::string reason);
  void forget(const stun::TransactionId& id);
  bool recently_ended(const stun::TransactionId& id) const;

  // client_peers.cpp
  Permission* permission_for(const stun::Address& peer);
  Channel* channel_for(const stun::Address& peer);
  Channel* channel_numbered(std::uint16_t number);
  bool add_permission(TimePoint now, const stun::Address& peer);
  bool add_channel(TimePoint now, const stun::Address& peer);
  void start_wanted(TimePoint now);  // once Allocated: the requests asked for before
  void permission_answer(TimePoint now, const stun::Address& peer, std::optional<std::uint16_t> error_code,
                         std::string reason);
  void channel_answer(TimePoint now, const stun::Address& peer, std::uint16_t number,
                      std::optional<std::uint16_t> error_code, std::string reason);
  void peer_timers(TimePoint now);
  std::optional<TimePoint> next_peer_timeout() const;
  bool send_to(TimePoint now, const stun::Address& peer, std::span<const std::uint8_t> bytes);
  Received data_indication(const stun::Message& m);
  Received channel_data(std::span<const std::uint8_t> bytes);
};

}  // namespace peerhub::turn
