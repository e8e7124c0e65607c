// Consent freshness (RFC 7675) and keepalives (RFC 8445 §11) on the selected pair.
#include <algorithm>

#include "ice/agent_impl.hpp"

namespace peerhub::ice {

// RFC 7675 §5.1: consent checks on the selected pair; the peer's answers (and any data from it) keep the pair
// alive. Also the disconnected / failed timers and §11 keepalives.
void Agent::Impl::run_consent(TimePoint now) {
  if (!selected || selected->expired) return;
  Selected& s = *selected;
  const TimePoint last_ok = config.lite ? s.last_received : s.last_consent;
  if (now >= last_ok + kConsentExpiry) return lose_consent();
  if (!s.disconnected && now >= s.last_received + kDisconnectedAfter) s.disconnected = true;
  if (!config.lite && now >= s.next_consent) {
    Transaction t;
    t.kind = Transaction::Kind::consent;
    t.id = new_transaction_id();
    t.base_id = s.base_key;
    t.source = s.base;
    t.destination = s.info.remote.address;
    t.key = s.remote_pwd;
    t.role = role;
    t.priority = s.check_priority;
    t.bytes = check_request(t.id, s.remote_ufrag + ":" + s.local_ufrag, t.priority, false, t.key);
    t.next_send = now;
    add_transaction(std::move(t));
    s.next_consent = now + jitter(s.disconnected ? kConsentIntervalDisconnected : kConsentInterval);
    run_transactions(now);
  }
  if (now >= s.last_sent + kKeepalive) {
    transmit(s.base_key, s.base, s.info.remote.address, binding_indication(new_transaction_id()));
    s.last_sent = now;
  }
}

void Agent::Impl::lose_consent() {
  if (!selected) return;
  selected->expired = true;
  consent_failed = true;
  std::erase_if(transactions, [](const Transaction& t) { return t.kind == Transaction::Kind::consent; });
}

}  // namespace peerhub::ice
