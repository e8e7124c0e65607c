// Answering Binding requests (RFC 8445 §7.3): credentials (RFC 8489 §9.1.3), role conflicts (§7.3.1.1),
// peer-reflexive candidates (§7.3.1.3), triggered checks (§7.3.1.4) and nomination (§7.3.1.5).
//
// A check that comes before the remote credentials (browsers send them as soon as they have the answer) is
// answered with the local credentials alone; the pair is remembered as a triggered check that runs once the
// credentials are known.
#include <algorithm>

#include "ice/agent_impl.hpp"
#include "stun/attributes.hpp"
#include "stun/integrity.hpp"

namespace peerhub::ice {

std::size_t Agent::Impl::learn_remote(const stun::Address& from, std::uint32_t priority) {
  for (std::size_t i = 0; i < remotes.size(); ++i)
    if (remotes[i].address == from) return i;
  if (remotes.size() >= config.limits.remote_candidates) return remotes.size();
  // §7.3.1.3: the priority is the request's PRIORITY; the foundation any value of our own.
  Candidate c;
  c.type = CandidateType::prflx;
  c.address = from;
  c.priority = priority;
  c.foundation = compute_foundation(CandidateType::prflx, from, std::nullopt, Transport::udp);
  if (remote_ufrag) c.ufrag = *remote_ufrag;
  remotes.push_back(std::move(c));
  return remotes.size() - 1;
}

void Agent::Impl::handle_request(TimePoint now, const Base& base, const stun::Address& from,
                                 const stun::Message& m) {
  // §7: an ICE check carries FINGERPRINT; without a valid one the message is not for us.
  if (stun::verify_fingerprint(m) != stun::Error::none) return;
  const auto answer = [&](std::vector<std::uint8_t> bytes) {
    transmit(base.id, base.address, from, std::move(bytes));
  };
  const stun::TransactionId& id = m.transaction_id();

  // RFC 8489 §9.1.3: both USERNAME and MESSAGE-INTEGRITY, else 400; a wrong username or MAC is 401.
  const stun::Result<std::string_view> username = m.get<stun::attr::Username>();
  if (!username || !m.has(stun::AttrType::message_integrity))
    return answer(binding_error(id, 400, "Bad Request", {}));
  const std::size_t colon = username->find(':');
  const std::string_view lfrag = colon == std::string_view::npos ? *username : username->substr(0, colon);
  std::string key;
  if (colon != std::string_view::npos && lfrag == ufrag)
    key = pwd;
  else if (colon != std::string_view::npos && !old_ufrag.empty() && lfrag == old_ufrag)
    key = old_pwd;
  if (key.empty() || stun::verify_message_integrity(m, key_bytes(key)) != stun::Error::none)
    return answer(binding_error(id, 401, "Unauthorized", {}));

  const stun::Result<std::uint32_t> priority = m.get<stun::attr::Priority>();
  const stun::Result<std::uint64_t> controlling = m.get<stun::attr::IceControlling>();
  const stun::Result<std::uint64_t> controlled = m.get<stun::attr::IceControlled>();
  // §7.1.1: PRIORITY and the role are in every check.
  if (!priority || (!controlling && !controlled)) return answer(binding_error(id, 400, "Bad Request", key));

  // §7.3.1.1 role conflict. A lite agent stays controlled (§7.3.1.1 applies to full agents).
  if (!config.lite) {
    if (role == Role::controlling && controlling) {
      if (tie_breaker >= *controlling) return answer(binding_error(id, 487, "Role Conflict", key));
      role = Role::controlled;
      recompute_priorities();
    } else if (role == Role::controlled && controlled) {
      if (tie_breaker < *controlled) return answer(binding_error(id, 487, "Role Conflict", key));
      role = Role::controlling;
      recompute_priorities();
    }
  }

  answer(binding_success(id, from, key));
  if (selected && selected->info.remote.address == from && selected->base_key == base.id) {
    selected->last_received = now;
    selected->disconnected = false;
  }
  // A consent check of the previous generation, on the old selected pair: answered, nothing more.
  if (key != pwd) return;

  const std::size_t r = learn_remote(from, *priority);
  if (r >= remotes.size()) return;
  const auto local = local_host_for_base(base.id);
  if (!local) return;
  const auto pair = add_pair(*local, r);
  if (!pair) return;
  const bool use_candidate = m.has(stun::AttrType::use_candidate);

  if (config.lite) {
    // RFC 8445 §7.3.2 (lite): no checks of its own; the pair a nominating check came over is selected.
    pairs[*pair].valid = true;
    pairs[*pair].state = PairState::succeeded;
    if (use_candidate) nominated(now, *pair);
    return;
  }
  Pair& p = pairs[*pair];
  // §7.3.1.5: the controlled agent takes USE-CANDIDATE once its own check of the pair has succeeded.
  if (use_candidate && role == Role::controlled) {
    if (p.state == PairState::succeeded) {
      // The valid pair is this one or one with a peer-reflexive local candidate on the same base
      // (§7.2.5.3.2).
      for (std::size_t i = 0; i < pairs.size(); ++i)
        if (pairs[i].valid && pairs[i].remote == p.remote && locals[pairs[i].local].base_id == base.id)
          nominated(now, i);
      return;
    }
    p.nominate_on_success = true;
  }
  enqueue_triggered(*pair);
}

}  // namespace peerhub::ice
