// Relayed candidates (RFC 8445 §5.1.1.2) through the TURN client core (turn/client.hpp). A relay is a base:
// checks and data "sent from" it become Send indications or ChannelData to the TURN server, and what the
// server delivers from a peer is handled as if it had arrived on that base.
#include <algorithm>

#include "common/overloaded.hpp"
#include "ice/agent_impl.hpp"

namespace peerhub::ice {

namespace {

bool same_ip(const stun::Address& a, const stun::Address& b) {
  return a.family == b.family && std::equal(a.ip().begin(), a.ip().end(), b.ip().begin());
}

}  // namespace

void Agent::Impl::start_relays(TimePoint now, const LocalBase& b) {
  for (std::size_t s = 0; s < config.turn_servers.size(); ++s) {
    const TurnServer& server = config.turn_servers[s];
    if (relays.size() >= config.limits.relays) return;
    if (server.transport == Transport::udp) {
      if (server.address.family != b.address.family) continue;
    } else if (std::any_of(relays.begin(), relays.end(), [&](const Relay& r) { return r.server == s; })) {
      continue;  // one TCP connection per server, whatever the bases
    }
    turn::ClientConfig c;
    c.server = server.address;
    c.transport = server.transport == Transport::udp ? turn::Transport::udp : turn::Transport::tcp;
    c.username = server.username;
    c.password = server.password;
    c.family = server.address.family;
    c.random_fill = config.random;
    Relay r{s, std::nullopt, b.address, turn::Client(std::move(c)), now + kRelayGatherGiveUp};
    if (server.transport == Transport::udp) r.base_id = b.id;
    relays.push_back(std::move(r));
    relays.back().client.start(now);
    drain_relay(relays.size() - 1);
  }
}

// What the TURN client wants sent goes out through the relay's socket or stream; its events make and unmake
// the relayed candidate.
void Agent::Impl::drain_relay(std::size_t i) {
  while (auto t = relays[i].client.poll_transmit()) {
    Relay& r = relays[i];
    if (r.failed) continue;
    if (transmits.size() >= config.limits.transmits) continue;
    Transmit out{r.base_id.value_or(0), r.base_address, t->destination, std::move(t->bytes), std::nullopt};
    if (!r.base_id) {
      out.turn_stream = r.server;
      out.source = {};
    }
    transmits.push_back(std::move(out));
  }
  while (auto e = relays[i].client.poll_event()) {
    std::visit(Overloaded{
                   [&](const turn::Allocated& a) { relay_allocated(i, a); },
                   [&](const turn::Failed&) { relay_failed(i); },
                   [&](const turn::PermissionCreated& p) {
                     // Checks that went out before the permission was there were dropped: send them again
                     // now.
                     for (Transaction& t : transactions)
                       if (t.base_id == (kRelayKey | i) && same_ip(t.destination, p.peer) && t.sends <= 1)
                         t.next_send = clock;
                   },
                   [&](const auto&) {},
               },
               *e);
  }
}

void Agent::Impl::relay_allocated(std::size_t i, const turn::Allocated& a) {
  Relay& r = relays[i];
  if (r.allocated || r.failed || closed) return;
  r.allocated = true;
  const TurnServer& server = config.turn_servers[r.server];
  // A UDP TURN server is a STUN server too: its XOR-MAPPED-ADDRESS is the base's server-reflexive address.
  if (r.base_id) add_srflx(Base{*r.base_id, r.base_address}, a.mapped, server.address);
  if (locals.size() >= config.limits.local_candidates) return;
  LocalCand relay;
  relay.base_id = kRelayKey | i;
  relay.base = a.relayed;
  // UDP to the TURN server is preferred to TCP (RFC 8445 §5.1.2.1: local preference).
  relay.local_preference = server.transport == Transport::udp ? 65535 : 32767;
  if (r.base_id)
    if (const auto host = local_host_for_base(*r.base_id))
      relay.local_preference = locals[*host].local_preference;
  relay.c.foundation =
      compute_foundation(CandidateType::relay, r.base_address, server.address, server.transport);
  relay.c.address = a.relayed;
  relay.c.type = CandidateType::relay;
  relay.c.related = a.mapped;
  pair_local(add_local(std::move(relay)));
}

void Agent::Impl::relay_failed(std::size_t i) {
  Relay& r = relays[i];
  r.failed = true;
  const std::uint64_t key = kRelayKey | i;
  for (Pair& p : pairs)
    if (locals[p.local].base_id == key) {
      p.state = PairState::failed;
      p.valid = false;
      if (nominating && &pairs[*nominating] == &p) nominating.reset();
    }
  std::erase_if(transactions, [&](const Transaction& t) { return t.base_id == key; });
  // The selected pair ran through this relay (its TCP connection to the server ended, or a refresh failed):
  // nothing sent on it reaches the peer any more, which is what an expired consent means. Failed now rather
  // than after RFC 7675's 30 s of silence.
  if (selected && !selected->expired && selected->base_key == key) lose_consent();
}

// A pair on a relay needs a permission for the peer's IP on the server (RFC 8656 §9).
void Agent::Impl::permit(std::size_t local, std::size_t remote) {
  const std::uint64_t key = locals[local].base_id;
  if (!is_relay_key(key)) return;
  const std::size_t i = key & 0xFFFFFFFFU;
  if (i >= relays.size() || relays[i].failed) return;
  if (!relays[i].client.has_permission(remotes[remote].address))
    relays[i].client.create_permission(clock, remotes[remote].address);
  drain_relay(i);
}

std::optional<Received> Agent::Impl::relay_input(TimePoint now, std::size_t i,
                                                 std::span<const std::uint8_t> bytes) {
  const turn::Received r = relays[i].client.handle_datagram(now, bytes);
  drain_relay(i);
  Received out;
  out.base_id = relays[i].base_id.value_or(0);
  out.from = config.turn_servers[relays[i].server].address;
  switch (r.kind) {
    case turn::Received::Kind::not_mine:
      return std::nullopt;
    case turn::Received::Kind::consumed:
      out.kind = Received::Kind::ice;
      return out;
    case turn::Received::Kind::peer_data:
      break;
  }
  if (!relays[i].allocated || relays[i].failed) return out;  // ignored
  const auto relayed = relays[i].client.relayed_address();
  out = receive(now, Base{kRelayKey | i, relayed.value_or(stun::Address{})}, r.peer, r.data);
  out.base_id = relays[i].base_id.value_or(0);
  out.relayed = true;
  return out;
}

void Agent::Impl::run_relays(TimePoint now) {
  for (std::size_t i = 0; i < relays.size(); ++i) {
    if (relays[i].failed) continue;
    if (const auto t = relays[i].client.next_timeout(); t && *t <= now) {
      relays[i].client.handle_timeout(now);
      drain_relay(i);
    }
  }
}

void Agent::Impl::close_relays(TimePoint now) {
  for (std::size_t i = 0; i < relays.size(); ++i) {
    if (!relays[i].allocated || relays[i].failed) continue;
    relays[i].client.close(now);
    drain_relay(i);
  }
}

}  // namespace peerhub::ice
