// libFuzzer target for the TURN client core (src/turn/client.hpp): a started Client, over UDP or TCP (the
// first byte), driven by a script the fuzzer writes. Raw bytes alone would never pass MESSAGE-INTEGRITY, so
// besides raw datagrams (or frames) the script can answer the client's latest request with a 401/438
// challenge, a signed success or any error, advance the clock, issue commands, and send ChannelData and Data
// indications.
//
// Script: op byte, then its arguments (missing bytes read as 0):
//   0 L bytes[L]     a raw datagram / frame to handle_datagram()
//   1 c              answer the last request with 401 (c & 1: with the nonce cookie and PASSWORD-ALGORITHMS;
//                    c & 2: 438 instead)
//   2 l              answer the last request with a signed success (LIFETIME l * 10 s for Allocate/Refresh)
//   3 e              answer the last request with error 300 + e (unsigned)
//   4 t              advance the clock by t * 250 ms and call handle_timeout()
//   5 k p            command k % 4 (create_permission, bind_channel, send_to, close) for peer p % 4
//   6 c L bytes[L]   ChannelData on channel 0x4000 + c % 8
//   7 p L bytes[L]   a Data indication from peer p % 4
// Invariants checked after every step: transmits are well-formed STUN or ChannelData for the server; peer
// data handed back lies inside the caller's buffer; after handle_timeout(now) the next timeout is later than
// now; nothing is sent once the client has failed or closed; a permission is never reported for a peer no
// signed CreatePermission or ChannelBind answer covered.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/channel_data.hpp"
#include "stun/credentials.hpp"
#include "stun/framing.hpp"
#include "stun/message.hpp"
#include "turn/client.hpp"

namespace {

using namespace peerhub;
using Bytes = std::vector<std::uint8_t>;

void check(bool ok) {
  if (!ok) std::abort();
}

const stun::Address kServer = stun::Address::v4({192, 0, 2, 1}, 3478);
const stun::Address kPeers[4] = {
    stun::Address::v4({93, 184, 216, 34}, 5000), stun::Address::v4({93, 184, 216, 35}, 5001),
    *stun::Address::parse("[2001:db8::5]:5002"), stun::Address::v4({93, 184, 216, 34}, 5003)};

class Script {
 public:
  explicit Script(std::span<const std::uint8_t> in) : in_(in) {}
  bool done() const { return at_ >= in_.size(); }
  std::uint8_t byte() { return at_ < in_.size() ? in_[at_++] : 0; }
  std::span<const std::uint8_t> bytes(std::size_t n) {
    n = std::min(n, in_.size() - std::min(at_, in_.size()));
    const auto out = in_.subspan(std::min(at_, in_.size()), n);
    at_ += n;
    return out;
  }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t at_ = 0;
};

struct Run {
  turn::Client client;
  bool stream;
  TimePoint now = TimePoint{} + std::chrono::hours(1);
  Bytes last_request;                         // the last STUN request the client sent
  bool ended = false;                         // Failed or Closed was reported
  std::vector<stun::Address> answered_peers;  // peers a signed CreatePermission/ChannelBind success covered

  Run(turn::ClientConfig c, bool s) : client(std::move(c)), stream(s) {}

  void drain() {
    while (auto t = client.poll_transmit()) {
      check(t->destination == kServer);
      check(!ended);
      const std::span<const std::uint8_t> b(t->bytes);
      if (stun::looks_like_channel_data(b)) {
        check(stun::ChannelData::parse(b, stream ? stun::Transport::stream : stun::Transport::udp).ok());
        continue;
      }
      const auto m = stun::Message::parse(b);
      check(m.ok());
      if (stream) check(stun::next_frame(b).size == b.size());
      if (m->cls() == stun::Class::request) last_request = t->bytes;
    }
    while (auto e = client.poll_event()) {
      if (std::holds_alternative<turn::Failed>(*e) || std::holds_alternative<turn::Closed>(*e)) ended = true;
      if (const auto* p = std::get_if<turn::PermissionCreated>(&*e)) {
        bool known = false;
        for (const auto& a : answered_peers)
          known = known || (a.family == p->peer.family && a.bytes == p->peer.bytes);
        check(known);
      }
    }
  }

  void datagram(std::span<const std::uint8_t> bytes) {
    const turn::Received r = client.handle_datagram(now, bytes);
    if (r.kind == turn::Received::Kind::peer_data) {
      check(r.data.data() >= bytes.data() || r.data.empty());
      check(r.data.data() + r.data.size() <= bytes.data() + bytes.size() || r.data.empty());
    } else {
      check(r.data.empty());
    }
  }

  void answer(stun::Class cls, const std::function<void(stun::Builder&, const stun::Message&)>& add) {
    if (last_request.empty()) return;
    const auto request = stun::Message::parse(std::span<const std::uint8_t>(last_request));
    if (!request) return;
    Bytes out;
    stun::Builder b(out, request->method(), cls, request->transaction_id());
    add(b, *request);
    if (!b.ok()) return;
    datagram(out);
  }
};

void sign_like(stun::Builder& b, const stun::Message& request) {
  const auto realm = request.get<stun::attr::Realm>();
  if (!realm) return;
  const auto chosen = request.get<stun::attr::PasswordAlgorithm>();
  const auto algorithm =
      chosen ? static_cast<stun::PasswordAlgorithm>(chosen->algorithm) : stun::PasswordAlgorithm::md5;
  const auto key = stun::long_term_key("user", *realm, "pass", algorithm);
  if (!key) return;
  if (request.has(stun::AttrType::message_integrity_sha256))
    b.add_message_integrity_sha256(key->bytes());
  else
    b.add_message_integrity(key->bytes());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Script s({data, size});
  const bool stream = (s.byte() & 1) != 0;
  turn::ClientConfig config;
  config.server = kServer;
  config.transport = stream ? turn::Transport::tcp : turn::Transport::udp;
  config.username = "user";
  config.password = "pass";
  config.max_permissions = 3;
  config.max_channels = 3;
  config.max_transactions = 4;
  config.random_fill = [n = std::uint8_t{0}](std::span<std::uint8_t> out) mutable {
    for (auto& b : out)
      b = ++n;
  };
  Run run(std::move(config), stream);
  run.client.start(run.now);
  run.drain();

  for (int steps = 0; steps < 512 && !s.done(); ++steps) {
    switch (s.byte() % 8) {
      case 0: {
        const auto raw = s.bytes(s.byte());
        const Bytes copy(raw.begin(), raw.end());  // exactly sized, so reads past it are caught
        run.datagram(copy);
        break;
      }
      case 1: {
        const std::uint8_t c = s.byte();
        run.answer(stun::Class::error, [&](stun::Builder& b, const stun::Message&) {
          b.add<stun::attr::ErrorCode>({static_cast<std::uint16_t>((c & 2) != 0 ? 438 : 401), "x"});
          b.add<stun::attr::Realm>("fuzz");
          b.add<stun::attr::Nonce>((c & 1) != 0 ? "obMatJos2AAABnonce" : "plain");
          if ((c & 1) != 0) {
            const stun::PasswordAlgorithmEntry offered[] = {{2, {}}, {1, {}}};
            b.add<stun::attr::PasswordAlgorithms>(offered);
          }
        });
        break;
      }
      case 2: {
        const std::uint8_t l = s.byte();
        run.answer(stun::Class::success, [&](stun::Builder& b, const stun::Message& request) {
          if (request.method() == stun::Method::allocate) {
            b.add<stun::attr::XorRelayedAddress>(stun::Address::v4({203, 0, 113, 7}, 50000));
            b.add<stun::attr::XorMappedAddress>(stun::Address::v4({198, 51, 100, 1}, 40001));
          }
          if (request.method() == stun::Method::allocate || request.method() == stun::Method::refresh)
            b.add<stun::attr::Lifetime>(std::uint32_t{l} * 10);
          if ((request.method() == stun::Method::create_permission ||
               request.method() == stun::Method::channel_bind) &&
              request.has(stun::AttrType::realm))
            if (const auto peer = request.get<stun::attr::XorPeerAddress>())
              run.answered_peers.push_back(*peer);
          sign_like(b, request);
        });
        break;
      }
      case 3: {
        const std::uint8_t e = s.byte();
        run.answer(stun::Class::error, [&](stun::Builder& b, const stun::Message&) {
          b.add<stun::attr::ErrorCode>({static_cast<std::uint16_t>(300 + e), "error"});
        });
        break;
      }
      case 4: {
        run.now += std::chrono::milliseconds(250) * s.byte();
        run.client.handle_timeout(run.now);
        const auto next = run.client.next_timeout();
        check(!next || *next > run.now);
        break;
      }
      case 5: {
        const std::uint8_t k = s.byte();
        const stun::Address& peer = kPeers[s.byte() % 4];
        const Bytes payload(k, 0x42);
        switch (k % 4) {
          case 0:
            run.client.create_permission(run.now, peer);
            break;
          case 1:
            run.client.bind_channel(run.now, peer);
            break;
          case 2: {
            const bool sent = run.client.send_to(run.now, peer, payload);
            check(!sent || run.client.has_permission(peer));
            break;
          }
          default:
            run.client.close(run.now);
            break;
        }
        break;
      }
      case 6: {
        const auto channel = static_cast<std::uint16_t>(0x4000 + s.byte() % 8);
        const auto payload = s.bytes(s.byte());
        Bytes frame(
            stun::channel_data_size(payload.size(), stream ? stun::Transport::stream : stun::Transport::udp));
        if (stun::write_channel_data(frame, channel, payload,
                                     stream ? stun::Transport::stream : stun::Transport::udp))
          run.datagram(frame);
        break;
      }
      default: {
        const stun::Address& peer = kPeers[s.byte() % 4];
        const auto payload = s.bytes(s.byte());
        Bytes out;
        stun::Builder b(out, stun::Method::data, stun::Class::indication, stun::TransactionId{7});
        b.add<stun::attr::XorPeerAddress>(peer);
        b.add<stun::attr::Data>(payload);
        if (b.ok()) run.datagram(out);
        break;
      }
    }
    run.drain();
  }
  return 0;
}
