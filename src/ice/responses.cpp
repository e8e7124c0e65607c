// The agent's own transactions: connectivity checks (RFC 8445 §7.2.5), server-reflexive gathering
// (§5.1.1.2) and the answers to consent checks (RFC 7675), with retransmissions (RFC 8489 §6.2.1).
#include <algorithm>

#include "ice/agent_impl.hpp"
#include "stun/attributes.hpp"
#include "stun/integrity.hpp"

namespace peerhub::ice {

void Agent::Impl::add_transaction(Transaction t) {
  if (transactions.size() >= config.limits.transactions) {
    // The oldest consent check goes first; otherwise the oldest transaction of any kind.
    auto victim = std::find_if(transactions.begin(), transactions.end(),
                               [](const Transaction& x) { return x.kind == Transaction::Kind::consent; });
    if (victim == transactions.end()) victim = transactions.begin();
    if (victim->kind == Transaction::Kind::check && victim->pair < pairs.size() &&
        pairs[victim->pair].state == PairState::in_progress)
      pairs[victim->pair].state = PairState::waiting;
    transactions.erase(victim);
  }
  transactions.push_back(std::move(t));
}

void Agent::Impl::start_gathering(TimePoint now, const LocalBase& b, std::size_t host) {
  (void)host;
  for (const stun::Address& server : config.stun_servers) {
    if (server.family != b.address.family) continue;
    Transaction t;
    t.kind = Transaction::Kind::gather;
    t.id = new_transaction_id();
    t.base_id = b.id;
    t.source = b.address;
    t.destination = server;
    t.server = server;
    t.bytes = binding_request(t.id);
    t.next_send = now;
    t.give_up = now + kGatherGiveUp;
    add_transaction(std::move(t));
  }
  run_transactions(now);
}

namespace {

void check_failed(Agent::Impl& a, std::size_t pair) {
  if (pair >= a.pairs.size()) return;
  Pair& p = a.pairs[pair];
  p.state = PairState::failed;
  p.valid = false;
  if (a.nominating == pair) a.nominating.reset();
}

}  // namespace

// RFC 8489 §6.2.1: retransmit at RTO, doubling; after the last transmission wait one more RTO.
void Agent::Impl::run_transactions(TimePoint now) {
  for (std::size_t i = 0; i < transactions.size();) {
    Transaction& t = transactions[i];
    const bool gather_over = t.kind == Transaction::Kind::gather && now >= t.give_up;
    if (now < t.next_send && !gather_over) {
      ++i;
      continue;
    }
    const int max_sends = t.kind == Transaction::Kind::consent ? 1 : kCheckSends;
    if (gather_over || t.sends >= max_sends) {
      if (t.kind == Transaction::Kind::check) check_failed(*this, t.pair);
      transactions.erase(transactions.begin() + static_cast<std::ptrdiff_t>(i));
      continue;
    }
    transmit(t.base_id, t.source, t.destination, t.bytes);
    ++t.sends;
    if (t.kind == Transaction::Kind::consent) {
      t.next_send = now + kConsentTransactionLife;
    } else {
      t.next_send = now + t.rto;
      t.rto = t.kind == Transaction::Kind::gather ? t.rto * 2 : std::min<Duration>(t.rto * 2, kCheckRtoMax);
    }
    if (selected && t.destination == selected->info.remote.address && t.base_id == selected->base_key)
      selected->last_sent = now;
    ++i;
  }
}

void Agent::Impl::add_srflx(const Base& base, const stun::Address& mapped,
                            const std::optional<stun::Address>& server) {
  // §5.1.3: a server-reflexive candidate equal to its base (no NAT), or to one we have, is redundant.
  if (mapped == base.address) return;
  for (const LocalCand& l : locals)
    if (l.c.address == mapped && l.base_id == base.id) return;
  if (locals.size() >= config.limits.local_candidates) return;
  const auto host = local_host_for_base(base.id);
  LocalCand srflx;
  srflx.base_id = base.id;
  srflx.base = base.address;
  srflx.local_preference = host ? locals[*host].local_preference : std::uint16_t{65535};
  srflx.c.foundation = compute_foundation(CandidateType::srflx, base.address, server, Transport::udp);
  srflx.c.address = mapped;
  srflx.c.type = CandidateType::srflx;
  srflx.c.related = base.address;
  add_local(std::move(srflx));
}

void Agent::Impl::handle_response(TimePoint now, const Base& base, const stun::Address& from,
                                  const stun::Message& m) {
  const auto it = std::find_if(transactions.begin(), transactions.end(),
                               [&](const Transaction& t) { return t.id == m.transaction_id(); });
  if (it == transactions.end()) return;

  if (it->kind == Transaction::Kind::gather) {
    // A STUN server's answer needs no integrity; it must come from the server to the base we sent from.
    if (from != it->destination || base.id != it->base_id) return;
    const Transaction t = std::move(*it);
    transactions.erase(it);
    if (m.cls() != stun::Class::success) return;
    stun::Result<stun::Address> mapped = m.get<stun::attr::XorMappedAddress>();
    if (!mapped) mapped = m.get<stun::attr::MappedAddress>();
    if (!mapped) return;
    add_srflx(base, *mapped, t.server);
    return;
  }

  // Checks and consent: the peer signs its answer with its password (§7.2.5.1); anything else is dropped as
  // if it never came — except 400 and 401, which are sent unsigned because the request's credentials could
  // not be checked (RFC 8489 §9.1.3): such a check has failed.
  if (stun::verify_message_integrity(m, key_bytes(it->key)) != stun::Error::none) {
    const stun::Result<stun::ErrorCodeValue> error = m.get<stun::attr::ErrorCode>();
    if (m.cls() != stun::Class::error || m.has(stun::AttrType::message_integrity) || !error ||
        (error->code != 400 && error->code != 401) || from != it->destination || base.id != it->base_id)
      return;
  }
  const Transaction t = std::move(*it);
  transactions.erase(it);

  if (t.kind == Transaction::Kind::consent) {
    if (m.cls() != stun::Class::success || !selected) return;
    if (from == selected->info.remote.address && base.id == selected->base_key) {
      selected->last_consent = now;
      selected->last_received = now;
      selected->disconnected = false;
    }
    return;
  }

  if (t.pair >= pairs.size()) return;
  if (m.cls() == stun::Class::error) {
    const stun::Result<stun::ErrorCodeValue> error = m.get<stun::attr::ErrorCode>();
    // §7.2.5.1: 487 — take the other role (unless we already did) and check the pair again.
    if (error && error->code == 487) {
      if (role == t.role) {
        role = role == Role::controlling ? Role::controlled : Role::controlling;
        recompute_priorities();
      }
      if (nominating == t.pair) nominating.reset();
      pairs[t.pair].use_candidate = false;
      pairs[t.pair].state = PairState::waiting;
      enqueue_triggered(t.pair);
      return;
    }
    check_failed(*this, t.pair);
    return;
  }

  // §7.2.5.2.1: the answer must come from where the check went, to the base it left from.
  if (from != t.destination || base.id != t.base_id) return check_failed(*this, t.pair);
  const stun::Result<stun::Address> mapped = m.get<stun::attr::XorMappedAddress>();
  if (!mapped) return check_failed(*this, t.pair);

  // §7.2.5.3.1: the mapped address names the local candidate of the valid pair; an unknown one is a new
  // peer-reflexive candidate (never signalled) with the priority the check carried.
  std::optional<std::size_t> local;
  for (std::size_t i = 0; i < locals.size(); ++i)
    if (locals[i].base_id == base.id && locals[i].c.address == *mapped) local = i;
  if (!local && locals.size() < config.limits.local_candidates) {
    LocalCand prflx;
    prflx.base_id = base.id;
    prflx.base = base.address;
    prflx.local_preference = locals[pairs[t.pair].local].local_preference;
    prflx.c.foundation = compute_foundation(CandidateType::prflx, base.address, std::nullopt, Transport::udp);
    prflx.c.priority = t.priority;
    prflx.c.address = *mapped;
    prflx.c.type = CandidateType::prflx;
    prflx.c.related = base.address;
    prflx.c.ufrag = ufrag;
    locals.push_back(prflx);
    local = locals.size() - 1;
  }
  const std::size_t remote = pairs[t.pair].remote;
  pairs[t.pair].state = PairState::succeeded;
  std::optional<std::size_t> valid = t.pair;
  // §7.2.5.3.2: the valid pair is (mapped candidate, remote), which may not be the pair that was checked.
  if (local && *local != pairs[t.pair].local) valid = add_pair(*local, remote);
  if (!valid) valid = t.pair;
  pairs[*valid].state = PairState::succeeded;
  pairs[*valid].valid = true;
  unfreeze_foundation(pairs[t.pair].foundation);

  // §7.2.5.3.4 / §7.3.1.5: a nominating check that succeeded, or a nomination that came before success.
  if ((t.use_candidate && role == Role::controlling) ||
      (role == Role::controlled && pairs[t.pair].nominate_on_success))
    nominated(now, *valid);
}

}  // namespace peerhub::ice
