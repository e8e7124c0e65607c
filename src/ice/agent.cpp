// The public verbs of the agent, its events, its connection state and its one timer.
#include "ice/agent.hpp"

#include <algorithm>

#include "ice/agent_impl.hpp"
#include "stun/integrity.hpp"

namespace peerhub::ice {

std::string_view to_string(State state) {
  switch (state) {
    case State::new_:
      return "new";
    case State::checking:
      return "checking";
    case State::connected:
      return "connected";
    case State::completed:
      return "completed";
    case State::failed:
      return "failed";
    case State::disconnected:
      return "disconnected";
    case State::closed:
      return "closed";
  }
  return "new";
}

Agent::Impl::Impl(Config c) : config(std::move(c)) {
  if (!config.random) config.random = default_random_fill;
  // RFC 8445 §5.3: ufrag at least 24 bits and pwd at least 128 bits of randomness (4 and 22 ice-chars).
  ufrag = config.ufrag.empty() ? random_ice_chars(config.random, 4) : config.ufrag;
  pwd = config.pwd.empty() ? random_ice_chars(config.random, 24) : config.pwd;
  // A lite agent is always controlled when its peer is full (§6.1.1).
  role = config.lite ? Role::controlled : config.role;
  tie_breaker = config.tie_breaker ? *config.tie_breaker : random_u64(config.random);
}

void Agent::Impl::emit(Event e) {
  // Relay-only: the other side learns only relayed candidates (host and reflexive ones still serve as bases).
  if (const auto* c = std::get_if<event::LocalCandidate>(&e);
      c != nullptr && config.relay_only && c->candidate.type != CandidateType::relay) {
    return;
  }
  if (events.size() >= config.limits.events) events.pop_front();
  events.push_back(std::move(e));
}

bool Agent::Impl::transmit(std::uint64_t base_id, const stun::Address& source,
                           const stun::Address& destination, std::vector<std::uint8_t> bytes) {
  if (bytes.empty()) return false;
  // RFC 8445 §11: anything sent on the selected pair counts for the keepalive timer.
  if (selected && selected->base_key == base_id && selected->info.remote.address == destination)
    selected->last_sent = clock;
  if (is_relay_key(base_id)) {
    const std::size_t i = base_id & 0xFFFFFFFFU;
    if (i >= relays.size() || relays[i].failed || transmits.size() >= config.limits.transmits) return false;
    const bool sent = relays[i].client.send_to(clock, destination, bytes);
    drain_relay(i);
    return sent;
  }
  // A full queue refuses (the shell drains it after every call; only a burst of send()s can fill it).
  if (transmits.size() >= config.limits.transmits) return false;
  transmits.push_back(
      Transmit{static_cast<std::uint32_t>(base_id), source, destination, std::move(bytes), {}});
  return true;
}

bool Agent::Impl::gathering() const {
  return std::any_of(transactions.begin(), transactions.end(),
                     [](const Transaction& t) { return t.kind == Transaction::Kind::gather; }) ||
         std::any_of(relays.begin(), relays.end(),
                     [&](const Relay& r) { return !r.allocated && !r.failed && clock < r.give_up; });
}

void Agent::Impl::set_state(State s) {
  if (s == state) return;
  state = s;
  emit(event::StateChanged{s});
}

const LocalBase* Agent::Impl::base(std::uint32_t id) const {
  for (const LocalBase& b : bases)
    if (b.id == id) return &b;
  return nullptr;
}

bool Agent::Impl::remote_known(const stun::Address& from) const {
  if (selected && selected->info.remote.address == from) return true;
  return std::any_of(remotes.begin(), remotes.end(), [&](const Candidate& c) { return c.address == from; });
}

stun::TransactionId Agent::Impl::new_transaction_id() {
  stun::TransactionId id{};
  config.random(id);
  return id;
}

// d * [0.8, 1.2), from 16 random bits.
Duration Agent::Impl::jitter(Duration d) {
  std::array<std::uint8_t, 2> r{};
  config.random(r);
  const auto x = static_cast<std::int64_t>((r[0] << 8) | r[1]);  // 0..65535
  const auto ticks = d.count();
  return Duration(ticks * 4 / 5 + ticks * 2 / 5 * x / 65536);
}

// The connection state from what is known; only "closed" and a lost consent are sticky.
void Agent::Impl::update_state(TimePoint now) {
  (void)now;
  if (closed) return set_state(State::closed);
  if (consent_failed) return set_state(State::failed);
  if (selected && !selected->expired) {
    if (selected->disconnected) return set_state(State::disconnected);
    const bool gathering_done = !gathering();
    // Completed (§8.1.2 and W3C): nominated, no more candidates coming, nothing left to check.
    if (remote_eoc && gathering_done && !checks_pending() && old_ufrag.empty())
      return set_state(State::completed);
    return set_state(State::connected);
  }
  // Relay-only, gathering over and no relayed candidate came (every TURN allocation failed): no pair can ever
  // form, whatever the other side sends. Failed now, as browsers do, rather than waiting for the remote
  // end-of-candidates, which many applications never signal.
  if (!config.lite && config.relay_only && !bases.empty() && !gathering() &&
      std::none_of(locals.begin(), locals.end(),
                   [](const LocalCand& l) { return l.c.type == CandidateType::relay; }))
    return set_state(State::failed);
  if (state == State::new_) {
    if (config.lite ? false : (remote_pwd && !pairs.empty())) set_state(State::checking);
    return;
  }
  if (state == State::checking || state == State::failed) {
    const bool gathering_done = !gathering();
    const bool all_failed =
        std::all_of(pairs.begin(), pairs.end(), [](const Pair& p) { return p.state == PairState::failed; });
    // §8.1.2: every pair failed and no more candidates will come.
    if (remote_eoc && gathering_done && all_failed && triggered.empty()) return set_state(State::failed);
    return set_state(State::checking);
  }
}

Agent::Agent(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Agent::~Agent() = default;
Agent::Agent(Agent&&) noexcept = default;
Agent& Agent::operator=(Agent&&) noexcept = default;

const std::string& Agent::local_ufrag() const {
  return impl_->ufrag;
}
const std::string& Agent::local_pwd() const {
  return impl_->pwd;
}
Role Agent::role() const {
  return impl_->role;
}
State Agent::state() const {
  return impl_->state;
}
std::optional<PairInfo> Agent::selected_pair() const {
  if (!impl_->selected || impl_->selected->expired) return std::nullopt;
  return impl_->selected->info;
}

std::vector<Candidate> Agent::local_candidates() const {
  std::vector<Candidate> out;
  for (const LocalCand& l : impl_->locals)
    if (l.c.type != CandidateType::prflx) out.push_back(l.c);
  return out;
}

void Agent::add_local_base(TimePoint now, const LocalBase& b) {
  Impl& a = *impl_;
  a.clock = now;
  if (a.closed || b.transport != Transport::udp || a.base(b.id) != nullptr) return;
  if (a.locals.size() >= a.config.limits.local_candidates) return;
  a.bases.push_back(b);
  LocalCand host;
  host.base_id = b.id;
  host.base = b.address;
  // Earlier bases are preferred (the shell lists its best interface first).
  host.local_preference = static_cast<std::uint16_t>(65535 - std::min<std::size_t>(a.bases.size() - 1, 1000));
  host.c.foundation = compute_foundation(CandidateType::host, b.address, std::nullopt, Transport::udp);
  host.c.address = b.address;
  host.c.type = CandidateType::host;
  const std::size_t index = a.add_local(std::move(host));
  a.gathering_announced = false;
  a.pair_local(index);
  if (!a.config.lite) {
    a.start_gathering(now, b, index);
    a.start_relays(now, b);
  }
  a.update_state(now);
}

void Agent::set_remote_credentials(std::string_view ufrag, std::string_view pwd) {
  Impl& a = *impl_;
  if (a.closed || ufrag.empty() || pwd.empty() || ufrag.size() > 256 || pwd.size() > 256) return;
  a.remote_ufrag = std::string(ufrag);
  a.remote_pwd = std::string(pwd);
}

AddCandidateResult Agent::add_remote_candidate(TimePoint now, const Candidate& c) {
  Impl& a = *impl_;
  a.clock = now;
  if (a.closed) return AddCandidateResult::closed;
  if (!c.resolvable()) return AddCandidateResult::unresolvable;
  if (c.transport != Transport::udp || c.component != 1) return AddCandidateResult::unsupported;
  if (a.remote_ufrag && !c.ufrag.empty() && c.ufrag != *a.remote_ufrag) return AddCandidateResult::stale;
  for (std::size_t i = 0; i < a.remotes.size(); ++i) {
    Candidate& known = a.remotes[i];
    if (known.address != c.address) continue;
    // RFC 8445 §7.3.1.3: a signalled candidate replaces the peer-reflexive one learned from a check.
    if (known.type != CandidateType::prflx || c.type == CandidateType::prflx)
      return AddCandidateResult::duplicate;
    known = c;
    for (Pair& p : a.pairs)
      if (p.remote == i) p.foundation = a.locals[p.local].c.foundation + ":" + c.foundation;
    a.recompute_priorities();
    return AddCandidateResult::added;
  }
  if (a.remotes.size() >= a.config.limits.remote_candidates) return AddCandidateResult::too_many;
  a.remotes.push_back(c);
  if (!a.config.lite) a.pair_remote(a.remotes.size() - 1);
  a.update_state(now);
  return AddCandidateResult::added;
}

void Agent::remote_end_of_candidates(TimePoint now) {
  impl_->clock = now;
  impl_->remote_eoc = true;
  impl_->update_state(now);
}

void Agent::restart(TimePoint now, std::string ufrag, std::string pwd) {
  Impl& a = *impl_;
  a.clock = now;
  if (a.closed) return;
  if (a.selected) {
    a.old_ufrag = a.ufrag;
    a.old_pwd = a.pwd;
  }
  a.ufrag = ufrag.empty() ? random_ice_chars(a.config.random, 4) : std::move(ufrag);
  a.pwd = pwd.empty() ? random_ice_chars(a.config.random, 24) : std::move(pwd);
  a.remote_ufrag.reset();
  a.remote_pwd.reset();
  a.remote_eoc = false;
  a.remotes.clear();
  a.pairs.clear();
  a.triggered.clear();
  a.nominating.reset();
  a.first_valid.reset();
  a.consent_failed = false;
  std::erase_if(a.transactions, [](const Transaction& t) { return t.kind != Transaction::Kind::consent; });
  if (a.selected && a.selected->expired) a.selected.reset();
  // Host and relayed candidates stay (with the new ufrag; the allocations live on); reflexive ones are
  // gathered again.
  std::erase_if(a.locals, [](const LocalCand& l) {
    return l.c.type == CandidateType::srflx || l.c.type == CandidateType::prflx;
  });
  a.gathering_announced = false;
  for (std::size_t i = 0; i < a.locals.size(); ++i) {
    a.locals[i].c.ufrag = a.ufrag;
    a.emit(event::LocalCandidate{a.locals[i].c});
    if (is_relay_key(a.locals[i].base_id)) continue;
    const LocalBase* b = a.base(static_cast<std::uint32_t>(a.locals[i].base_id));
    if (b != nullptr && !a.config.lite) a.start_gathering(now, *b, i);
  }
  if (!a.selected) a.set_state(State::new_);
  a.update_state(now);
}

void Agent::close() {
  Impl& a = *impl_;
  if (a.closed) return;
  a.closed = true;
  a.transactions.clear();
  a.triggered.clear();
  a.transmits.clear();
  a.selected.reset();
  a.close_relays(a.clock);
  a.set_state(State::closed);
}

void Agent::handle_timeout(TimePoint now) {
  Impl& a = *impl_;
  a.clock = now;
  if (a.closed) return;
  a.run_relays(now);
  a.run_transactions(now);
  if (!a.config.lite) {
    a.nominate(now);
    a.run_checks(now);
  }
  a.run_consent(now);
  a.update_state(now);
}

bool Agent::send(TimePoint now, std::span<const std::uint8_t> bytes) {
  return send(now, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

bool Agent::send(TimePoint now, std::vector<std::uint8_t>&& bytes) {
  Impl& a = *impl_;
  a.clock = now;
  if (a.closed || !a.selected || a.selected->expired || bytes.empty()) return false;
  return a.transmit(a.selected->base_key, a.selected->base, a.selected->info.remote.address,
                    std::move(bytes));
}

std::optional<Transmit> Agent::poll_transmit() {
  Impl& a = *impl_;
  if (a.transmits.empty()) return std::nullopt;
  Transmit t = std::move(a.transmits.front());
  a.transmits.pop_front();
  return t;
}

std::optional<Event> Agent::poll_event() {
  Impl& a = *impl_;
  if (a.events.empty() && !a.gathering_announced && !a.bases.empty() && !a.closed && !a.gathering()) {
    // Announced once the queue has been drained, so that bases added one after another in one go are one
    // gathering.
    a.gathering_announced = true;
    return event::GatheringComplete{};
  }
  if (a.events.empty()) return std::nullopt;
  Event e = std::move(a.events.front());
  a.events.pop_front();
  return e;
}

std::optional<TimePoint> Agent::next_timeout() const {
  const Impl& a = *impl_;
  if (a.closed) return std::nullopt;
  std::optional<TimePoint> t;
  const auto earliest = [&t](TimePoint x) {
    if (!t || x < *t) t = x;
  };
  for (const Transaction& x : a.transactions) {
    earliest(x.next_send);
    if (x.kind == Transaction::Kind::gather) earliest(x.give_up);
  }
  for (const Relay& r : a.relays) {
    if (r.failed) continue;
    if (const auto due = r.client.next_timeout()) earliest(*due);
    if (!r.allocated && a.clock < r.give_up) earliest(r.give_up);
  }
  if (!a.config.lite && a.remote_pwd && a.can_send_check()) earliest(a.next_check);
  if (a.first_valid && !a.nominating && a.role == Role::controlling && !a.config.lite)
    earliest(*a.first_valid + kNominationDelay);
  if (a.selected && !a.selected->expired) {
    const Selected& s = *a.selected;
    if (!a.config.lite) {
      earliest(s.next_consent);
      earliest(s.last_consent + kConsentExpiry);
    } else {
      earliest(s.last_received + kConsentExpiry);
    }
    if (!s.disconnected) earliest(s.last_received + kDisconnectedAfter);
    earliest(s.last_sent + kKeepalive);
  }
  return t;
}

}  // namespace peerhub::ice
