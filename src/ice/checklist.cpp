// The checklist (RFC 8445 §6.1.2): pairs of local and remote candidates, their states, the pacing of checks
// (§6.1.4.2) and regular nomination (§8.1.1). peerhub has one data stream and one component, so there is one
// checklist.
#include <algorithm>

#include "ice/agent_impl.hpp"

namespace peerhub::ice {

namespace {

bool pairable(const Candidate& local, const Candidate& remote) {
  return remote.resolvable() && remote.component == 1 && remote.transport == Transport::udp &&
         local.address.family == remote.address.family;
}

}  // namespace

std::optional<std::size_t> Agent::Impl::local_host_for_base(std::uint64_t base_id) const {
  const CandidateType type = is_relay_key(base_id) ? CandidateType::relay : CandidateType::host;
  for (std::size_t i = 0; i < locals.size(); ++i)
    if (locals[i].base_id == base_id && locals[i].c.type == type) return i;
  return std::nullopt;
}

std::optional<std::size_t> Agent::Impl::find_pair(std::size_t local, std::size_t remote) const {
  for (std::size_t i = 0; i < pairs.size(); ++i)
    if (pairs[i].local == local && pairs[i].remote == remote) return i;
  return std::nullopt;
}

// §6.1.2.2–§6.1.2.4: a server-reflexive local candidate is replaced by its base, which is a host candidate
// already paired, so only host and relayed candidates (their own bases) are paired: the rest would be
// redundant.
namespace {
bool is_base(const LocalCand& l) {
  return l.c.type == CandidateType::host || l.c.type == CandidateType::relay;
}
}  // namespace

void Agent::Impl::pair_remote(std::size_t remote) {
  for (std::size_t l = 0; l < locals.size(); ++l)
    if (is_base(locals[l]) && pairable(locals[l].c, remotes[remote])) add_pair(l, remote);
}

std::size_t Agent::Impl::add_local(LocalCand cand) {
  cand.c.priority = candidate_priority(cand.c.type, cand.local_preference);
  cand.c.generation = 0;
  cand.c.ufrag = ufrag;
  locals.push_back(std::move(cand));
  emit(event::LocalCandidate{locals.back().c});
  return locals.size() - 1;
}

void Agent::Impl::pair_local(std::size_t local) {
  if (config.lite || !is_base(locals[local])) return;
  for (std::size_t r = 0; r < remotes.size(); ++r)
    if (pairable(locals[local].c, remotes[r])) add_pair(local, r);
}

std::optional<std::size_t> Agent::Impl::add_pair(std::size_t local, std::size_t remote) {
  if (config.relay_only && locals[local].c.type != CandidateType::relay) return std::nullopt;
  if (const auto known = find_pair(local, remote)) return known;
  Pair p;
  p.local = local;
  p.remote = remote;
  const std::uint32_t lp = locals[local].c.priority;
  const std::uint32_t rp = remotes[remote].priority;
  p.priority = role == Role::controlling ? pair_priority(lp, rp) : pair_priority(rp, lp);
  p.foundation = locals[local].c.foundation + ":" + remotes[remote].foundation;
  // §6.1.2.6 (and RFC 8838 §10 for pairs that come later): the first pair of a foundation waits, the others
  // are frozen until it succeeds.
  const bool foundation_busy = std::any_of(pairs.begin(), pairs.end(), [&](const Pair& q) {
    return q.foundation == p.foundation &&
           (q.state == PairState::waiting || q.state == PairState::in_progress);
  });
  p.state = foundation_busy ? PairState::frozen : PairState::waiting;
  if (pairs.size() < config.limits.pairs) {
    pairs.push_back(std::move(p));
    permit(local, remote);
    return pairs.size() - 1;
  }
  // §6.1.2.5: a full checklist keeps the higher-priority pairs. Only an undecided or failed pair with no
  // check out can give up its place.
  std::optional<std::size_t> lowest;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const Pair& q = pairs[i];
    if (q.state == PairState::in_progress || q.state == PairState::succeeded || q.nominated) continue;
    if (nominating == i) continue;
    if (!lowest || q.priority < pairs[*lowest].priority) lowest = i;
  }
  if (!lowest || pairs[*lowest].priority >= p.priority) return std::nullopt;
  std::erase(triggered, *lowest);
  pairs[*lowest] = std::move(p);
  permit(local, remote);
  return lowest;
}

void Agent::Impl::recompute_priorities() {
  for (Pair& p : pairs) {
    const std::uint32_t lp = locals[p.local].c.priority;
    const std::uint32_t rp = remotes[p.remote].priority;
    p.priority = role == Role::controlling ? pair_priority(lp, rp) : pair_priority(rp, lp);
  }
}

// §7.3.1.4: a check answered by the peer is checked back at once (ahead of the ordinary ones).
void Agent::Impl::enqueue_triggered(std::size_t pair) {
  Pair& p = pairs[pair];
  if (p.state == PairState::in_progress || p.state == PairState::succeeded) return;
  p.state = PairState::waiting;
  if (std::find(triggered.begin(), triggered.end(), pair) != triggered.end()) return;
  if (triggered.size() >= config.limits.triggered) return;
  triggered.push_back(pair);
}

// §7.2.5.3.3: a success unfreezes the pairs of the same foundation.
void Agent::Impl::unfreeze_foundation(const std::string& foundation) {
  for (Pair& p : pairs)
    if (p.foundation == foundation && p.state == PairState::frozen) p.state = PairState::waiting;
}

bool Agent::Impl::checks_pending() const {
  return !triggered.empty() || std::any_of(pairs.begin(), pairs.end(), [](const Pair& p) {
    return p.state == PairState::frozen || p.state == PairState::waiting || p.state == PairState::in_progress;
  });
}

bool Agent::Impl::can_send_check() const {
  // A full transaction table waits for checks to finish (their timers wake the agent).
  if (transactions.size() >= config.limits.transactions) return false;
  if (!triggered.empty()) return true;
  for (const Pair& p : pairs) {
    if (p.state == PairState::waiting) return true;
    if (p.state == PairState::frozen && std::none_of(pairs.begin(), pairs.end(), [&](const Pair& q) {
          return q.foundation == p.foundation &&
                 (q.state == PairState::waiting || q.state == PairState::in_progress);
        }))
      return true;
  }
  return false;
}

// §6.1.4.2: every Ta, one check — a triggered one first, else the best waiting pair, else the best frozen
// pair of a foundation that has nothing waiting or in progress.
void Agent::Impl::run_checks(TimePoint now) {
  if (!remote_pwd || !remote_ufrag || now < next_check || transactions.size() >= config.limits.transactions)
    return;
  std::optional<std::size_t> chosen;
  while (!triggered.empty() && !chosen) {
    const std::size_t i = triggered.front();
    triggered.pop_front();
    if (i >= pairs.size()) continue;
    const Pair& p = pairs[i];
    if (p.state == PairState::waiting || (p.use_candidate && p.state == PairState::succeeded)) chosen = i;
  }
  const auto best = [&](PairState s) {
    std::optional<std::size_t> b;
    for (std::size_t i = 0; i < pairs.size(); ++i)
      if (pairs[i].state == s && (!b || pairs[i].priority > pairs[*b].priority)) b = i;
    return b;
  };
  if (!chosen) chosen = best(PairState::waiting);
  if (!chosen) {
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      Pair& p = pairs[i];
      if (p.state != PairState::frozen) continue;
      const bool busy = std::any_of(pairs.begin(), pairs.end(), [&](const Pair& q) {
        return q.foundation == p.foundation &&
               (q.state == PairState::waiting || q.state == PairState::in_progress);
      });
      if (!busy && (!chosen || p.priority > pairs[*chosen].priority)) chosen = i;
    }
  }
  if (!chosen) return;
  start_check(now, *chosen);
  next_check = now + kTa;
}

void Agent::Impl::start_check(TimePoint now, std::size_t pair) {
  Pair& p = pairs[pair];
  std::erase_if(transactions,
                [&](const Transaction& t) { return t.kind == Transaction::Kind::check && t.pair == pair; });
  const LocalCand& local = locals[p.local];
  Transaction t;
  t.kind = Transaction::Kind::check;
  t.id = new_transaction_id();
  t.pair = pair;
  t.base_id = local.base_id;
  t.source = local.base;
  t.destination = remotes[p.remote].address;
  t.key = *remote_pwd;
  t.role = role;
  t.use_candidate = p.use_candidate && role == Role::controlling;
  // §7.1.1: PRIORITY is what a peer-reflexive candidate from this base would have.
  t.priority = candidate_priority(CandidateType::prflx, local.local_preference);
  t.bytes = check_request(t.id, *remote_ufrag + ":" + ufrag, t.priority, t.use_candidate, t.key);
  t.next_send = now;
  p.state = PairState::in_progress;
  add_transaction(std::move(t));
  run_transactions(now);
}

// §8.1.1: the controlling agent nominates one valid pair, with a check that carries USE-CANDIDATE.
void Agent::Impl::nominate(TimePoint now) {
  if (role != Role::controlling || nominating || !remote_pwd) return;
  if (std::any_of(pairs.begin(), pairs.end(), [](const Pair& p) { return p.nominated; })) {
    first_valid.reset();
    return;
  }
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < pairs.size(); ++i)
    if (pairs[i].valid && pairs[i].state == PairState::succeeded &&
        (!best || pairs[i].priority > pairs[*best].priority))
      best = i;
  if (!best) {
    first_valid.reset();
    return;
  }
  if (!first_valid) first_valid = now;
  const bool better_possible = std::any_of(pairs.begin(), pairs.end(), [&](const Pair& p) {
    return p.priority > pairs[*best].priority &&
           (p.state == PairState::frozen || p.state == PairState::waiting ||
            p.state == PairState::in_progress);
  });
  if (better_possible && now < *first_valid + kNominationDelay) return;
  pairs[*best].use_candidate = true;
  nominating = *best;
  std::erase(triggered, *best);
  triggered.push_front(*best);
  // The nomination goes out at once rather than a Ta slot later: it repeats a check that just succeeded on
  // the same path, so it adds no new NAT binding for pacing to protect (RFC 8445 §14.2), and it is what the
  // data waits for.
  next_check = std::min(next_check, now);
}

void Agent::Impl::nominated(TimePoint now, std::size_t pair) {
  pairs[pair].nominated = true;
  if (role == Role::controlling) {
    nominating.reset();
    first_valid.reset();
  }
  select_best_nominated(now);
}

// The controlled agent may see several nominations (§8.1.1 allows it): the best one carries the data.
void Agent::Impl::select_best_nominated(TimePoint now) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < pairs.size(); ++i)
    if (pairs[i].nominated && pairs[i].valid && (!best || pairs[i].priority > pairs[*best].priority))
      best = i;
  if (!best) return;
  const Pair& p = pairs[*best];
  const LocalCand& local = locals[p.local];
  const Candidate& remote = remotes[p.remote];
  if (selected && !selected->expired && selected->base_key == local.base_id &&
      selected->info.remote.address == remote.address && selected->info.local.address == local.c.address &&
      selected->local_ufrag == ufrag)
    return;
  Selected s;
  const bool relayed = is_relay_key(local.base_id);
  std::optional<std::uint32_t> socket = static_cast<std::uint32_t>(local.base_id);
  if (relayed) {
    Relay& r = relays[local.base_id & 0xFFFFFFFFU];
    socket = r.base_id;
    // Data on the selected pair travels as ChannelData (4 bytes of overhead, not 36).
    if (!r.client.channel(remote.address)) r.client.bind_channel(now, remote.address);
    drain_relay(local.base_id & 0xFFFFFFFFU);
  }
  s.info = PairInfo{local.c, remote, socket.value_or(0), relayed};
  s.base_key = local.base_id;
  s.base = local.base;
  s.check_priority = candidate_priority(CandidateType::prflx, local.local_preference);
  s.remote_ufrag = remote_ufrag.value_or("");
  s.remote_pwd = remote_pwd.value_or("");
  s.local_ufrag = ufrag;
  s.last_received = s.last_consent = s.last_sent = now;
  s.next_consent = now + jitter(kConsentInterval);
  selected = std::move(s);
  // The restart is over: the credentials of the previous generation stop working.
  old_ufrag.clear();
  old_pwd.clear();
  emit(event::SelectedPairChanged{selected->info});
}

}  // namespace peerhub::ice
