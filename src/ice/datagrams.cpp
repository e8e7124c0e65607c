// What arrives: datagrams on the shell's sockets and frames on TCP connections to TURN servers. TURN's own
// messages go to the relay's client; STUN Binding messages to the agent (RFC 8445 §7.2.5, §7.3); anything
// else is the application's (RFC 7983: DTLS, SRTP...) when it comes from an address the agent knows.
#include "ice/agent.hpp"
#include "ice/agent_impl.hpp"
#include "stun/integrity.hpp"

namespace peerhub::ice {

Received Agent::handle_datagram(TimePoint now, std::uint32_t base_id, const stun::Address& from,
                                std::span<const std::uint8_t> bytes) {
  Impl& a = *impl_;
  a.clock = now;
  Received r;
  r.base_id = base_id;
  r.from = from;
  const LocalBase* b = a.base(base_id);
  if (a.closed || b == nullptr) return r;
  // From a TURN server we allocated on through this socket: the TURN client's, unless it does not know the
  // transaction (our own Binding request for a server-reflexive candidate).
  for (std::size_t i = 0; i < a.relays.size(); ++i) {
    const Relay& relay = a.relays[i];
    if (relay.failed || relay.base_id != base_id || a.config.turn_servers[relay.server].address != from)
      continue;
    if (std::optional<Received> out = a.relay_input(now, i, bytes)) {
      a.update_state(now);
      return *out;
    }
    break;
  }
  return a.receive(now, Base{base_id, b->address}, from, bytes);
}

Received Agent::handle_turn_stream(TimePoint now, std::size_t server, std::span<const std::uint8_t> frame) {
  Impl& a = *impl_;
  a.clock = now;
  if (a.closed) return {};
  for (std::size_t i = 0; i < a.relays.size(); ++i) {
    if (a.relays[i].base_id || a.relays[i].server != server || a.relays[i].failed) continue;
    std::optional<Received> out = a.relay_input(now, i, frame);
    a.update_state(now);
    return out.value_or(Received{});
  }
  return {};
}

void Agent::turn_stream_closed(TimePoint now, std::size_t server) {
  Impl& a = *impl_;
  a.clock = now;
  for (std::size_t i = 0; i < a.relays.size(); ++i)
    if (!a.relays[i].base_id && a.relays[i].server == server) a.relay_failed(i);
  a.update_state(now);
}

Received Agent::Impl::receive(TimePoint now, const Base& base, const stun::Address& from,
                              std::span<const std::uint8_t> bytes) {
  Received r;
  r.base_id = static_cast<std::uint32_t>(base.id);
  r.from = from;
  if (stun::looks_like_stun(bytes)) {
    r.kind = Received::Kind::ice;
    const stun::Result<stun::Message> m = stun::Message::parse(bytes);
    if (!m || m->method() != stun::Method::binding) return r;
    switch (m->cls()) {
      case stun::Class::request:
        handle_request(now, base, from, *m);
        break;
      case stun::Class::success:
      case stun::Class::error:
        handle_response(now, base, from, *m);
        break;
      case stun::Class::indication:  // a keepalive (§11)
        if (selected && selected->info.remote.address == from && selected->base_key == base.id &&
            stun::verify_fingerprint(*m) == stun::Error::none)
          selected->last_received = now;
        break;
    }
    if (!config.lite) {
      nominate(now);
      run_checks(now);
    }
    update_state(now);
    return r;
  }
  if (!remote_known(from)) return r;
  r.kind = Received::Kind::data;
  r.data = bytes;
  if (selected && selected->info.remote.address == from && selected->base_key == base.id) {
    r.selected = true;
    selected->last_received = now;
    if (selected->disconnected) {
      selected->disconnected = false;
      update_state(now);
    }
  }
  return r;
}

}  // namespace peerhub::ice
