// The agent's state, shared by the files that implement it (not a public header):
//   agent.cpp       the public verbs, events, state and the timer
//   datagrams.cpp   what arrives, and where it goes
//   checklist.cpp   pairs (RFC 8445 §6.1.2), unfreezing and pacing (§6.1.4), nomination (§8.1.1)
//   requests.cpp    answering Binding requests (§7.3), roles (§7.3.1.1), peer-reflexive candidates
//   responses.cpp   our transactions: checks (§7.2.5), gathering (§5.1.1.2), their retransmissions
//   consent.cpp     consent freshness (RFC 7675) and keepalives (§11)
//   messages.cpp    the STUN messages the agent writes
//   relay.cpp       relayed candidates through turn::Client
//
// Bases are named by a 64-bit key: a shell socket by its id, a TURN relay by kRelayKey | its index. A relay
// is a base like any other (RFC 8445 §5.1.1.2: a relayed candidate is its own base); what is sent from it
// goes through its turn::Client.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "ice/agent.hpp"
#include "stun/message.hpp"
#include "stun/types.hpp"
#include "turn/client.hpp"

namespace peerhub::ice {

using namespace std::chrono_literals;

// RFC 8445 §14.2: one new check every Ta = 50 ms.
inline constexpr Duration kTa = 50ms;
// RFC 8445 §14.3 / RFC 8489 §6.2.1: RTO 500 ms, 7 transmissions. The RTO doubles up to 1.6 s (as Chromium's
// pings) so that a dead pair fails after ~10 s rather than RFC 8489's 39.5 s.
inline constexpr Duration kCheckRto = 500ms;
inline constexpr Duration kCheckRtoMax = 1600ms;
inline constexpr int kCheckSends = 7;
// Server-reflexive gathering: the same RTO, but gathering gives up on a server after 5 s.
inline constexpr Duration kGatherGiveUp = 5s;
// Regular nomination (§8.1.1): the controlling agent nominates the best valid pair once no better pair can
// still succeed, or this long after the first pair became valid.
inline constexpr Duration kNominationDelay = 500ms;
// RFC 7675 §5.1: a consent check every 5 s, randomized to 0.8..1.2 of that; consent expires 30 s after the
// last response. While disconnected, checks go every second so that a recovered path is noticed quickly.
inline constexpr Duration kConsentInterval = 5s;
inline constexpr Duration kConsentIntervalDisconnected = 1s;
inline constexpr Duration kConsentExpiry = 30s;
inline constexpr Duration kConsentTransactionLife = 10s;
// Browsers call a connection "disconnected" after a few seconds of silence; the consent interval is at most
// 6 s, so 7 s without anything from the peer means that at least one consent exchange was lost.
inline constexpr Duration kDisconnectedAfter = 7s;
// RFC 8445 §11: a Binding indication when nothing was sent on the selected pair for 15 s.
inline constexpr Duration kKeepalive = 15s;

inline constexpr std::uint64_t kRelayKey = std::uint64_t{1} << 32;
inline bool is_relay_key(std::uint64_t key) {
  return (key & kRelayKey) != 0;
}
// A relay that is not allocated by then no longer holds gathering up (it may still come later: trickle).
inline constexpr Duration kRelayGatherGiveUp = 10s;

// Where a datagram arrived, or what a candidate is based on.
struct Base {
  std::uint64_t id = 0;
  stun::Address address;
};

struct Relay {
  std::size_t server = 0;                // index into Config::turn_servers
  std::optional<std::uint32_t> base_id;  // UDP: the socket to the server; TCP: none (the stream)
  stun::Address base_address;            // that socket's address
  turn::Client client;
  TimePoint give_up{};
  bool allocated = false;
  bool failed = false;  // refused, lost, or its TCP connection closed
};

enum class PairState : std::uint8_t { frozen, waiting, in_progress, succeeded, failed };

struct LocalCand {
  Candidate c;
  std::uint64_t base_id = 0;  // the base's key
  stun::Address base;
  std::uint16_t local_preference = 65535;
};

struct Pair {
  std::size_t local = 0;   // index into locals
  std::size_t remote = 0;  // index into remotes
  std::uint64_t priority = 0;
  std::string foundation;
  PairState state = PairState::frozen;
  bool valid = false;
  bool nominated = false;
  bool nominate_on_success = false;  // controlled: USE-CANDIDATE came before our own check succeeded
  bool use_candidate = false;        // controlling: the next check nominates
};

// The pair that carries data, kept apart from the checklist so that it survives an ICE restart.
struct Selected {
  PairInfo info;
  std::uint64_t base_key = 0;
  stun::Address base;
  std::uint32_t check_priority = 0;  // PRIORITY for consent checks
  std::string remote_ufrag, remote_pwd, local_ufrag;
  TimePoint last_received{};
  TimePoint last_consent{};
  TimePoint last_sent{};
  TimePoint next_consent{};
  bool disconnected = false;
  bool expired = false;  // consent lost (RFC 7675 §5.1): nothing more is sent
};

struct Transaction {
  enum class Kind : std::uint8_t { check, gather, consent };
  Kind kind = Kind::check;
  stun::TransactionId id{};
  std::size_t pair = 0;       // check: index into pairs
  std::uint64_t base_id = 0;  // the base's key
  stun::Address source;
  stun::Address destination;
  std::vector<std::uint8_t> bytes;
  std::string key;  // the password that signs the response
  TimePoint next_send{};
  TimePoint give_up{};  // gather
  Duration rto = kCheckRto;
  int sends = 0;
  bool use_candidate = false;
  Role role = Role::controlling;
  std::uint32_t priority = 0;           // PRIORITY sent
  std::optional<stun::Address> server;  // gather: the STUN server
};

struct Agent::Impl {
  explicit Impl(Config c);

  Config config;
  std::string ufrag, pwd;
  std::string old_ufrag, old_pwd;  // accepted until a pair is selected after a restart
  std::optional<std::string> remote_ufrag, remote_pwd;
  Role role = Role::controlling;
  std::uint64_t tie_breaker = 0;
  State state = State::new_;
  bool closed = false;
  bool remote_eoc = false;
  bool gathering_announced = false;
  bool consent_failed = false;

  std::vector<LocalBase> bases;
  std::vector<LocalCand> locals;
  std::vector<Candidate> remotes;
  std::vector<Pair> pairs;
  std::deque<std::size_t> triggered;
  std::vector<Transaction> transactions;
  std::optional<Selected> selected;
  std::optional<std::size_t> nominating;  // controlling: the pair whose USE-CANDIDATE check is out
  std::optional<TimePoint> first_valid;
  TimePoint next_check{};
  TimePoint clock{};  // the `now` of the current call, for what happens deep inside it
  std::vector<Relay> relays;

  std::deque<Transmit> transmits;
  std::deque<Event> events;

  // agent.cpp
  void emit(Event e);
  bool transmit(std::uint64_t base_id, const stun::Address& source, const stun::Address& destination,
                std::vector<std::uint8_t> bytes);
  Received receive(TimePoint now, const Base& base, const stun::Address& from,
                   std::span<const std::uint8_t> bytes);
  bool gathering() const;
  void update_state(TimePoint now);
  void set_state(State s);
  bool remote_known(const stun::Address& from) const;
  const LocalBase* base(std::uint32_t id) const;
  stun::TransactionId new_transaction_id();
  Duration jitter(Duration d);

  // checklist.cpp
  void pair_remote(std::size_t remote);
  void pair_local(std::size_t local);
  // Adds a gathered candidate (base, preference, type, address, related and foundation filled in): its
  // priority (§5.1.2.1), generation and ufrag are set here, it is announced, and its index in `locals`
  // returned.
  std::size_t add_local(LocalCand cand);
  std::optional<std::size_t> add_pair(std::size_t local, std::size_t remote);
  std::optional<std::size_t> find_pair(std::size_t local, std::size_t remote) const;
  void recompute_priorities();
  void enqueue_triggered(std::size_t pair);
  void unfreeze_foundation(const std::string& foundation);
  void run_checks(TimePoint now);
  void start_check(TimePoint now, std::size_t pair);
  void nominate(TimePoint now);
  void nominated(TimePoint now, std::size_t pair);
  void select_best_nominated(TimePoint now);
  bool checks_pending() const;  // a pair not yet decided, or a triggered check
  bool can_send_check() const;  // what run_checks() would send now
  // The candidate that is the base itself: host, or relay for a relay's key.
  std::optional<std::size_t> local_host_for_base(std::uint64_t base_id) const;

  // requests.cpp
  void handle_request(TimePoint now, const Base& base, const stun::Address& from, const stun::Message& m);
  std::size_t learn_remote(const stun::Address& from, std::uint32_t priority);

  // responses.cpp
  void handle_response(TimePoint now, const Base& base, const stun::Address& from, const stun::Message& m);
  void run_transactions(TimePoint now);
  void add_srflx(const Base& base, const stun::Address& mapped, const std::optional<stun::Address>& server);
  void start_gathering(TimePoint now, const LocalBase& base, std::size_t host);
  void add_transaction(Transaction t);

  // consent.cpp
  void run_consent(TimePoint now);
  void lose_consent();  // the selected pair no longer reaches the peer: failed (sticky until a restart)

  // relay.cpp
  void start_relays(TimePoint now, const LocalBase& base);
  void drain_relay(std::size_t relay);
  // What the relay's TURN client made of bytes from its server; nullopt when they are not the client's.
  std::optional<Received> relay_input(TimePoint now, std::size_t relay, std::span<const std::uint8_t> bytes);
  void run_relays(TimePoint now);
  void relay_allocated(std::size_t relay, const turn::Allocated& allocated);
  void relay_failed(std::size_t relay);
  void permit(std::size_t local, std::size_t remote);
  void close_relays(TimePoint now);

  // messages.cpp
  std::vector<std::uint8_t> check_request(const stun::TransactionId& id, std::string_view username,
                                          std::uint32_t priority, bool use_candidate,
                                          std::string_view key) const;
};

// messages.cpp
std::vector<std::uint8_t> binding_request(const stun::TransactionId& id);
std::vector<std::uint8_t> binding_indication(const stun::TransactionId& id);
std::vector<std::uint8_t> binding_success(const stun::TransactionId& id, const stun::Address& mapped,
                                          std::string_view key);
std::vector<std::uint8_t> binding_error(const stun::TransactionId& id, std::uint16_t code,
                                        std::string_view reason, std::string_view key);
std::span<const std::uint8_t> key_bytes(std::string_view password);

}  // namespace peerhub::ice
