// The ICE agent (RFC 8445 full and lite, RFC 8838 trickle, RFC 7675 consent freshness): a sans-IO state
// machine. It never opens a socket, reads a clock or starts a thread.
//
// Driving contract (the shell, or the PeerConnection core, is the only caller):
// - The shell owns the sockets. It tells the agent about each local UDP socket with add_local_base(); the
//   agent answers with a host candidate (event LocalCandidate) and, for a full agent, gathers a
//   server-reflexive candidate from each configured STUN server through that socket, and a relayed one from
//   each TURN server (below). GatheringComplete comes once nothing is being gathered any more (STUN servers
//   get 5 s, TURN servers 10 s; a relayed candidate that comes later is still announced: trickle).
// - Every datagram a base receives goes to handle_datagram(now, base_id, from, bytes). The answer says
//   whether the bytes were ICE's own STUN (consumed) or application data (DTLS, SRTP...) for the caller,
//   with the remote address it came from. The returned span points into `bytes`.
// - Signaling input: set_remote_credentials(), add_remote_candidate() (trickle: at any time, also before the
//   credentials), remote_end_of_candidates(), restart(). Checks that arrive before the remote credentials
//   are answered (with the local ones) and checked back once the credentials are known.
// - After every input the shell drains poll_transmit() (send `bytes` from socket `base_id` to `destination`)
//   and poll_event(), then arms one timer at next_timeout() and calls handle_timeout(now) when it fires.
// - send(now, bytes) puts application data on the selected pair.
//
// Time: every verb takes `now`; nothing happens between calls. Randomness: Config::random.
//
// Relayed candidates (TURN, through turn::Client): for a UDP TURN server, one allocation per base, over that
// base's socket (the Transmits name the base, the destination is the server, and the server's datagrams come
// back through handle_datagram like any other). For a TCP TURN server, one allocation over one TCP connection
// that the shell opens on the first Transmit whose `turn_stream` names that server (its index in
// Config::turn_servers); the shell writes such Transmits' bytes to that connection, cuts what it reads into
// frames with stun::next_frame() (stun/framing.hpp) and hands each to handle_turn_stream(); a closed
// connection goes to turn_stream_closed(). Data from a peer through a relay comes out of handle_datagram /
// handle_turn_stream unwrapped, with `from` the peer and `relayed` set.
//
// What the agent does not do: resolve names (mDNS ".local" candidates are ignored), TCP candidates (RFC
// 6544), more than one component (peerhub always BUNDLEs with rtcp-mux), TURN over TLS.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "ice/candidate.hpp"
#include "ice/random.hpp"
#include "stun/address.hpp"

namespace peerhub::ice {

enum class Role : std::uint8_t { controlling, controlled };

// RTCIceConnectionState's words (W3C webrtc-pc §5.6.4).
enum class State : std::uint8_t { new_, checking, connected, completed, failed, disconnected, closed };
std::string_view to_string(State state);

struct Limits {
  std::size_t remote_candidates = 100;
  std::size_t local_candidates = 32;
  std::size_t pairs = 100;  // RFC 8445 §6.1.2.5
  std::size_t triggered = 100;
  std::size_t transactions = 64;
  std::size_t transmits = 1024;  // queued, not yet polled; past this send() is refused, the rest dropped
  std::size_t events = 256;
  std::size_t relays = 8;  // TURN allocations
};

// A TURN server for relayed candidates (RFC 8656, long-term credentials).
struct TurnServer {
  stun::Address address;
  Transport transport = Transport::udp;  // tcp: over a TCP connection the shell opens (see above)
  std::string username;
  std::string password;
};

struct Config {
  Role role = Role::controlling;
  // ICE lite (RFC 8445 §2.5): host candidates only, answers checks, never sends them; the peer nominates.
  bool lite = false;
  // Generated when empty: a 4-char ufrag (24 bits of randomness, as Chromium) and a 24-char password.
  std::string ufrag;
  std::string pwd;
  std::optional<std::uint64_t> tie_breaker;  // random when empty
  std::vector<stun::Address> stun_servers;   // for server-reflexive candidates (UDP)
  std::vector<TurnServer> turn_servers;      // for relayed candidates (not used by a lite agent)
  // RTCIceTransportPolicy "relay": only relayed local candidates form pairs and are announced, so every path
  // runs through TURN.
  bool relay_only = false;
  RandomFill random = default_random_fill;
  Limits limits;
};

// A local UDP socket the shell opened. `id` is the shell's handle; Transmits name it.
struct LocalBase {
  std::uint32_t id = 0;
  stun::Address address;  // the socket's bound address (not a wildcard)
  Transport transport = Transport::udp;
};

struct Transmit {
  std::uint32_t base_id = 0;
  stun::Address source;  // the base's address
  stun::Address destination;
  std::vector<std::uint8_t> bytes;
  // Set: the bytes (whole STUN or ChannelData frames) go on the TCP connection to
  // Config::turn_servers[*turn_stream], opened on first use; base_id and source are then unused.
  std::optional<std::size_t> turn_stream;
};

// Both ends of a pair, for SelectedPairChanged and selected_pair().
struct PairInfo {
  Candidate local;
  Candidate remote;
  std::uint32_t base_id = 0;  // the socket (for a relayed pair: the one to the TURN server; 0 over TCP)
  bool relayed = false;       // the local candidate is a TURN relay: data goes through the server
};

namespace event {
struct LocalCandidate {
  Candidate candidate;  // with ufrag set; signal candidate.to_string()
};
struct GatheringComplete {};
struct StateChanged {
  State state;
};
struct SelectedPairChanged {
  PairInfo pair;
};
}  // namespace event
using Event = std::variant<event::LocalCandidate, event::GatheringComplete, event::StateChanged,
                           event::SelectedPairChanged>;

// What a received datagram was.
struct Received {
  enum class Kind : std::uint8_t {
    ice,      // a STUN message for the agent (consumed), or STUN-shaped garbage (dropped)
    data,     // application data from a known remote address: `data` is for the caller (RFC 7983 demux)
    ignored,  // not STUN, from an address the agent knows nothing about, or after close()
  };
  Kind kind = Kind::ignored;
  std::span<const std::uint8_t> data;
  std::uint32_t base_id = 0;
  stun::Address from;
  bool selected = false;  // the data came over the selected pair
  bool relayed = false;   // it came through a TURN relay (`from` is the peer, not the server)
};

enum class AddCandidateResult : std::uint8_t {
  added,
  duplicate,     // same transport address as one already known (a peer-reflexive one is replaced: `added`)
  stale,         // its ufrag is not the remote ufrag (a candidate of an earlier ICE generation)
  unresolvable,  // a name (mDNS): ignored
  unsupported,   // TCP, or a component other than 1
  too_many,      // Limits::remote_candidates reached
  closed,
};

class Agent {
 public:
  explicit Agent(Config config);
  ~Agent();
  Agent(Agent&&) noexcept;
  Agent& operator=(Agent&&) noexcept;

  const std::string& local_ufrag() const;
  const std::string& local_pwd() const;
  Role role() const;
  State state() const;
  std::optional<PairInfo> selected_pair() const;
  // Every candidate announced by LocalCandidate in this ICE generation (host, srflx, relay; not prflx):
  // for signalling that waits for GatheringComplete (offline JSON exchange).
  std::vector<Candidate> local_candidates() const;

  // A local socket. At most Limits::local_candidates; the same id twice is ignored.
  void add_local_base(TimePoint now, const LocalBase& base);

  // The remote description's a=ice-ufrag / a=ice-pwd. Other values than before mean an ICE restart: call
  // restart() first.
  void set_remote_credentials(std::string_view ufrag, std::string_view pwd);
  AddCandidateResult add_remote_candidate(TimePoint now, const Candidate& candidate);
  void remote_end_of_candidates(TimePoint now);

  // ICE restart (RFC 8445 §9): new local credentials (generated when empty), remote ones forgotten, a fresh
  // checklist and a new gathering. The selected pair keeps carrying data until a new pair is selected.
  void restart(TimePoint now, std::string ufrag = {}, std::string pwd = {});
  // Stops everything. TURN allocations are released: their Refresh (LIFETIME 0) is left in poll_transmit().
  void close();

  Received handle_datagram(TimePoint now, std::uint32_t base_id, const stun::Address& from,
                           std::span<const std::uint8_t> bytes);
  // One frame read from the TCP connection to Config::turn_servers[server].
  Received handle_turn_stream(TimePoint now, std::size_t server, std::span<const std::uint8_t> frame);
  // That connection closed (or could not be opened): its relayed candidate is gone.
  void turn_stream_closed(TimePoint now, std::size_t server);
  void handle_timeout(TimePoint now);
  // Application data on the selected pair (copied into a Transmit); false when there is none, after close(),
  // or when Limits::transmits are waiting to be polled.
  bool send(TimePoint now, std::span<const std::uint8_t> bytes);
  // The same, taking the bytes without a copy.
  bool send(TimePoint now, std::vector<std::uint8_t>&& bytes);

  std::optional<Transmit> poll_transmit();
  std::optional<Event> poll_event();
  std::optional<TimePoint> next_timeout() const;

  struct Impl;  // agent_impl.hpp, for the files that implement the agent; not for callers

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace peerhub::ice
