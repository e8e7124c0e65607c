// turn::Client's requests (RFC 8489 §6.2 transactions, RFC 8656's methods): building them, resending them
// over UDP, matching answers by transaction id, and the authentication dance every method shares.
#include <openssl/rand.h>
#include <algorithm>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/error_code.hpp"
#include "stun/integrity.hpp"
#include "turn/client_impl.hpp"

namespace peerhub::turn {

using namespace client_detail;
namespace {

stun::Method method_of(Purpose p) {
  switch (p) {
    case Purpose::allocate:
      return stun::Method::allocate;
    case Purpose::refresh:
    case Purpose::close:
      return stun::Method::refresh;
    case Purpose::permission:
      return stun::Method::create_permission;
    case Purpose::channel:
      return stun::Method::channel_bind;
  }
  return stun::Method::refresh;
}

// The ERROR-CODE's phrase as the server wrote it, kept printable (it came off the wire), or the RFC's.
std::string phrase(const stun::Message& m, std::uint16_t code) {
  std::string out;
  if (const auto e = m.get<stun::attr::ErrorCode>())
    for (char c : e->reason.substr(0, 128))
      out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  if (out.empty()) out = std::string(stun::reason_phrase(code));
  return out;
}

std::string what(Purpose p) {
  switch (p) {
    case Purpose::allocate:
      return "Allocate";
    case Purpose::refresh:
      return "Refresh";
    case Purpose::close:
      return "Refresh (LIFETIME 0, closing)";
    case Purpose::permission:
      return "CreatePermission";
    case Purpose::channel:
      return "ChannelBind";
  }
  return "request";
}

// "Allocate refused: 486 Allocation Quota Reached (...)": the code, its phrase and what it means here.
std::string refusal(Purpose p, std::uint16_t code, const std::string& reason, const stun::Message& m) {
  std::string words = what(p) + " refused: " + std::to_string(code) + " " + reason;
  if (code == stun::kTryAlternate) {
    const auto alternate = m.get<stun::attr::AlternateServer>();
    words += " (the server redirects to " +
             (alternate ? stun::to_string(*alternate) : std::string("another server")) +
             "; this client does not follow redirections: configure that server instead)";
  } else if (code == stun::kAllocationQuotaReached) {
    words += " (the server's allocation quota for this user or in total is used up)";
  } else if (code == stun::kInsufficientCapacity) {
    words += " (the server has no relay port or table room left)";
  } else if (code == stun::kAddressFamilyNotSupported) {
    words += " (the server does not relay this address family)";
  } else if (code == stun::kForbidden && (p == Purpose::permission || p == Purpose::channel)) {
    words += " (the server's policy does not allow relaying to this peer)";
  } else if (code == stun::kAllocationMismatch && p != Purpose::allocate) {
    words += " (the server no longer has this allocation)";
  }
  return words;
}

}  // namespace

stun::TransactionId Client::Impl::new_id() {
  stun::TransactionId id{};
  if (config.random_fill)
    config.random_fill(id);
  else if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1)
    // Ids only need to be unpredictable enough to match answers; a failed RNG must not stall the client.
    for (std::size_t i = 0; i < id.size(); ++i)
      id[i] = static_cast<std::uint8_t>(recent_next * 31 + i + transactions.size());
  return id;
}

stun::TransactionId Client::Impl::indication_id() {
  if (!indication_prefix) indication_prefix = new_id();
  stun::TransactionId id = *indication_prefix;
  const std::uint32_t n = ++indications;
  for (std::size_t i = 0; i < 4; ++i)
    id[8 + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
  return id;
}

bool Client::Impl::build(Transaction& t) {
  t.id = new_id();
  stun::Builder b(t.bytes, method_of(t.purpose), stun::Class::request, t.id);
  switch (t.purpose) {
    case Purpose::allocate:
      // RFC 8656 §7.1: REQUESTED-TRANSPORT UDP; REQUESTED-ADDRESS-FAMILY only for IPv6 (IPv4 is the default).
      b.add<stun::attr::RequestedTransport>(stun::attr::RequestedTransport::kUdp);
      if (config.family == stun::Family::ipv6) b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv6);
      b.add<stun::attr::Lifetime>(static_cast<std::uint32_t>(config.lifetime.count()));
      break;
    case Purpose::refresh:
      b.add<stun::attr::Lifetime>(static_cast<std::uint32_t>(config.lifetime.count()));
      break;
    case Purpose::close:
      // §8.1: a LIFETIME of 0 deletes the allocation.
      b.add<stun::attr::Lifetime>(0);
      break;
    case Purpose::permission:
      b.add<stun::attr::XorPeerAddress>(t.peer);
      break;
    case Purpose::channel:
      b.add<stun::attr::ChannelNumber>(t.channel);
      b.add<stun::attr::XorPeerAddress>(t.peer);
      break;
  }
  if (!config.software.empty()) b.add<stun::attr::Software>(config.software);
  t.signed_request = auth.ready();
  if (t.signed_request) auth.sign(b);
  return b.ok();
}

bool Client::Impl::request(TimePoint now, Purpose purpose, const stun::Address& peer, std::uint16_t channel) {
  if (transactions.size() >= config.max_transactions) return false;
  Transaction t;
  t.purpose = purpose;
  t.peer = peer;
  t.channel = channel;
  if (!build(t)) return false;
  t.deadline = now + kTransactionTimeout;
  transactions.push_back(std::move(t));
  send(now, transactions.back());
  return true;
}

// §6.2.1: over UDP the request goes out at 0, RTO, 3 RTO, ... (doubling), Rc = 7 times in all; after the
// last, the client waits Rm × RTO before giving up. §6.2.2: a stream is reliable, so one send.
void Client::Impl::send(TimePoint now, Transaction& t) {
  if (transmits.size() < kMaxQueuedTransmits) transmits.push_back(Transmit{config.server, t.bytes});
  ++t.sends;
  if (wire == stun::Transport::udp && t.sends < kMaxSends) {
    t.next_send = now + t.rto;
    t.rto *= 2;
  } else {
    t.next_send = TimePoint::max();
  }
  if (wire == stun::Transport::udp && t.sends == kMaxSends) t.deadline = now + kLastWait;
}

void Client::Impl::retransmit(TimePoint now) {
  for (std::size_t i = 0; i < transactions.size();) {
    Transaction& t = transactions[i];
    if (t.deadline <= now) {
      const Transaction gone = std::move(t);
      transactions.erase(transactions.begin() + static_cast<std::ptrdiff_t>(i));
      forget(gone.id);
      transaction_failed(gone, 0,
                         "no answer from the TURN server at " + stun::to_string(config.server) + " to " +
                             what(gone.purpose) + " within 39.5 s");
      if (state == State::failed || state == State::closed) return;
      continue;
    }
    if (t.next_send <= now) send(now, t);
    ++i;
  }
}

void Client::Impl::forget(const stun::TransactionId& id) {
  recent[recent_next] = id;
  recent_next = (recent_next + 1) % recent.size();
}

bool Client::Impl::recently_ended(const stun::TransactionId& id) const {
  return std::find(recent.begin(), recent.end(), id) != recent.end() && id != stun::TransactionId{};
}

Received Client::Impl::answer(TimePoint now, const stun::Message& m) {
  const auto it = std::find_if(transactions.begin(), transactions.end(),
                               [&](const Transaction& t) { return t.id == m.transaction_id(); });
  if (it == transactions.end())
    return {recently_ended(m.transaction_id()) ? Received::Kind::consumed : Received::Kind::not_mine, {}, {}};
  if (m.method() != method_of(it->purpose)) return {Received::Kind::consumed, {}, {}};
  // RFC 8489 §7.3.3: a FINGERPRINT that is there must match; otherwise the answer is not STUN's.
  if (m.has(stun::AttrType::fingerprint) && stun::verify_fingerprint(m) != stun::Error::none)
    return {Received::Kind::consumed, {}, {}};

  const bool error = m.cls() == stun::Class::error;
  // §9.2.5: a success answer to a signed request must carry a valid integrity; one that does not could
  // come from anyone and is dropped (the transaction goes on: the real answer may follow). An error answer
  // may be unsigned (401, 438 and others sent before the server checked the credentials), but one that is
  // signed must verify.
  const bool signed_answer =
      m.has(stun::AttrType::message_integrity) || m.has(stun::AttrType::message_integrity_sha256);
  if (!error && (!it->signed_request || !auth.verify(m))) return {Received::Kind::consumed, {}, {}};
  if (error && signed_answer && it->signed_request && !auth.verify(m))
    return {Received::Kind::consumed, {}, {}};

  Transaction t = std::move(*it);
  transactions.erase(it);
  forget(t.id);
  if (error)
    error_answer(now, std::move(t), m);
  else
    success_answer(now, t, m);
  return {Received::Kind::consumed, {}, {}};
}

void Client::Impl::error_answer(TimePoint now, Transaction t, const stun::Message& m) {
  const auto e = m.get<stun::attr::ErrorCode>();
  if (!e) return transaction_failed(t, 0, what(t.purpose) + " was refused with an unreadable ERROR-CODE");
  const std::uint16_t code = e->code;
  const std::string reason = phrase(m, code);

  // RFC 8489 §9.2.5: the first 401 is the challenge; the request goes again with the credentials. A 438
  // brings a fresh nonce: one more try with it. A 401 to a signed request means the credentials are wrong.
  const bool challenge = code == stun::kUnauthenticated && !t.signed_request;
  const bool stale = code == stun::kStaleNonce && !t.retried_stale;
  if (challenge || stale) {
    if (auto why = auth.learn(m)) return transaction_failed(t, code, *why);
    t.retried_stale = t.retried_stale || stale;
    t.sends = 0;
    t.rto = kInitialRto;
    t.bytes.clear();
    if (!build(t)) return transaction_failed(t, 0, what(t.purpose) + " could not be built");
    t.deadline = now + kTransactionTimeout;
    transactions.push_back(std::move(t));
    return send(now, transactions.back());
  }
  std::string words = refusal(t.purpose, code, reason, m);
  if (code == stun::kUnauthenticated)
    words += " (the server did not accept user '" + config.username + "' with this password in realm '" +
             auth.realm() + "': wrong password, unknown user or an expired REST credential)";
  // §8.2, §9.2, §11.2: 437 to a request on an allocation means the server no longer has it.
  if (code == stun::kAllocationMismatch && t.purpose != Purpose::allocate && t.purpose != Purpose::close)
    return fail(code, std::move(words));
  transaction_failed(t, code, std::move(words));
}

void Client::Impl::transaction_failed(const Transaction& t, std::uint16_t code, std::string reason) {
  switch (t.purpose) {
    case Purpose::allocate:
    case Purpose::refresh:
      return fail(code, std::move(reason));
    case Purpose::close:
      return finish_close();
    case Purpose::permission:
      return permission_answer(TimePoint{}, t.peer, code, std::move(reason));
    case Purpose::channel:
      return channel_answer(TimePoint{}, t.peer, t.channel, code, std::move(reason));
  }
}

void Client::Impl::success_answer(TimePoint now, const Transaction& t, const stun::Message& m) {
  switch (t.purpose) {
    case Purpose::allocate:
      return on_allocated(now, m);
    case Purpose::refresh:
      return on_refreshed(now, m);
    case Purpose::close:
      return finish_close();
    case Purpose::permission:
      return permission_answer(now, t.peer, std::nullopt, {});
    case Purpose::channel:
      return channel_answer(now, t.peer, t.channel, std::nullopt, {});
  }
}

}  // namespace peerhub::turn
