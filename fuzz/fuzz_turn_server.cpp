// libFuzzer target for the TURN server core (src/turn): a Server with a recording Host, driven by a script
// the fuzzer writes. Raw bytes alone would never pass MESSAGE-INTEGRITY, so the script mostly names requests
// that this target builds and signs itself (from four client 5-tuples, with the nonces the server handed
// out), and mixes in raw client bytes, Send indications, ChannelData, peer datagrams, clock steps and closed
// connections.
//
// Script: a sequence of operations, each an op byte and its arguments (see run()); missing bytes read as 0.
// Invariants checked after every step:
//   - nothing goes to a peer unless a CreatePermission or ChannelBind for that IP succeeded on the relay's
//     allocation less than 300 s ago (the model below learns only from success answers), and never to a peer
//     the default policy denies;
//   - data goes only out of relays that are open;
//   - allocations never exceed the total quota, and the Server, its metrics, the SharedState and the open
//     relays agree on how many there are;
//   - on_tick asks to be called again in the future.
// Seeds: fuzz/corpus/fuzz_turn_server/ (written by fuzz/make_turn_corpus.py, which also spells out the
// script).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/channel_data.hpp"
#include "stun/credentials.hpp"
#include "stun/message.hpp"
#include "turn/peer_policy.hpp"
#include "turn/rest_password.hpp"
#include "turn/server.hpp"

namespace {

using namespace peerhub;
using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

void check(bool ok) {
  if (!ok) std::abort();
}

stun::Address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, std::uint16_t port) {
  return stun::Address::v4({a, b, c, d}, port);
}

const turn::FiveTuple kTuples[4] = {
    {v4(198, 51, 100, 1, 40001), v4(192, 0, 2, 1, 3478), turn::Transport::udp},
    {v4(198, 51, 100, 2, 40002), v4(192, 0, 2, 1, 3478), turn::Transport::tcp},
    {*stun::Address::parse("[2001:db8:1::3]:40003"), *stun::Address::parse("[2001:db8::1]:3478"),
     turn::Transport::udp},
    {v4(198, 51, 100, 1, 40004), v4(192, 0, 2, 1, 3478), turn::Transport::tls},
};

const stun::Address kPeers[8] = {
    v4(8, 8, 8, 8, 53),      v4(1, 1, 1, 1, 1000),
    v4(8, 8, 8, 8, 54),      *stun::Address::parse("[2001:db8:7::1]:7000"),
    v4(127, 0, 0, 1, 80),  // this server's relay address, but not a relay port
    v4(10, 0, 0, 1, 1),      *stun::Address::parse("[::ffff:127.0.0.1]:5"),
    v4(127, 0, 0, 1, 50004),  // another allocation's relay on this server (TURN-to-TURN)
};

std::size_t tuple_index(const turn::FiveTuple& t) {
  for (std::size_t i = 0; i < 4; ++i)
    if (kTuples[i] == t) return i;
  std::abort();
}

struct Model {
  turn::TimePoint now{};
  std::map<turn::RelayId, std::size_t> relay_owner;  // relay -> tuple index
  std::array<std::vector<std::pair<stun::Address, turn::TimePoint>>, 4> permissions;
  turn::PeerPolicy policy;

  bool permitted(std::size_t tuple, const stun::Address& peer) const {
    for (const auto& [ip, expires] : permissions[tuple])
      if (ip.family == peer.family && ip.bytes == peer.bytes && expires > now) return true;
    return false;
  }
};

class FuzzHost : public turn::Host {
 public:
  explicit FuzzHost(Model& model) : model_(model) {}
  std::map<turn::RelayId, turn::Relay> open;
  std::array<Bytes, 4> last;  // the last message sent to each tuple
  std::vector<turn::RelayId> opened_now;
  bool full = false;

  void send_to_client(const turn::FiveTuple& to, std::span<const std::uint8_t> bytes,
                      turn::ToClient) override {
    check(!bytes.empty());
    last[tuple_index(to)].assign(bytes.begin(), bytes.end());
  }
  void send_to_peer(turn::RelayId relay, const stun::Address& peer, std::span<const std::uint8_t>) override {
    check(open.count(relay) == 1);
    check(open[relay].address.family == peer.family);
    const auto owner = model_.relay_owner.find(relay);
    check(owner != model_.relay_owner.end());
    check(model_.permitted(owner->second, peer));
    const turn::PeerVerdict verdict = turn::check_peer(model_.policy, peer);
    check(verdict != turn::PeerVerdict::denied);
    check(verdict != turn::PeerVerdict::own_relay || turn::own_relay_port(model_.policy, peer.port));
  }
  std::optional<turn::Relay> open_relay(stun::Family family, const turn::PortRequest& request) override {
    if (full || open.size() >= 16) return std::nullopt;
    turn::Relay r;
    r.id = next_id_++;
    r.address = family == stun::Family::ipv4 ? v4(127, 0, 0, 1, 0) : *stun::Address::parse("[2001:db8::7]:0");
    r.address.port = request.reserved ? *request.reserved : static_cast<std::uint16_t>(50000 + 2 * r.id);
    open[r.id] = r;
    opened_now.push_back(r.id);
    return r;
  }
  void close_relay(turn::RelayId relay) override {
    check(open.erase(relay) == 1);
    model_.relay_owner.erase(relay);
  }

 private:
  Model& model_;
  turn::RelayId next_id_ = 1;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> data) : data_(data) {}
  bool done() const { return at_ >= data_.size(); }
  std::uint8_t u8() { return at_ < data_.size() ? data_[at_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>((u8() << 8) | u8()); }
  std::uint32_t u32() { return (std::uint32_t{u16()} << 16) | u16(); }
  Bytes take(std::size_t n) {
    n = std::min(n, data_.size() - std::min(at_, data_.size()));
    Bytes out(data_.begin() + static_cast<std::ptrdiff_t>(at_),
              data_.begin() + static_cast<std::ptrdiff_t>(at_ + n));
    at_ += n;
    return out;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t at_ = 0;
};

constexpr std::string_view kRealm = "fuzz.example";
constexpr std::string_view kSecret = "fuzz-secret";
constexpr std::int64_t kUnix = 1'700'000'000;

class Driver {
 public:
  Driver() : host_(model_), shared_(kKey) {
    turn::ServerConfig config;
    config.realm = std::string(kRealm);
    config.users = {{"alice", "alice-pass"}};
    config.rest_secret = std::string(kSecret);
    config.limits.allocations_total = 3;
    config.limits.allocations_per_user = 2;
    config.limits.permissions_per_allocation = 4;
    config.limits.channels_per_allocation = 3;
    config.limits.bandwidth_bytes_per_second = 4000;
    config.peers.own_relays = {v4(127, 0, 0, 1, 0)};
    config.peers.own_port_min = 50000;
    config.peers.own_port_max = 50100;
    model_.policy = config.peers;
    limit_ = config.limits.allocations_total;
    start_ = turn::TimePoint{} + 100h;
    now_.steady = start_;
    now_.unix_s = kUnix;
    model_.now = now_.steady;
    server_.emplace(config, host_, shared_);
  }

  void run(Reader& in) {
    while (!in.done()) {
      const std::uint8_t op = in.u8();
      switch (op % 8) {
        case 0: {  // raw bytes from a client
          const std::size_t t = in.u8() % 4;
          const Bytes bytes = in.take(in.u8());
          server_->on_client_data(kTuples[t], bytes, now_);
          break;
        }
        case 1:
          signed_request(in);
          break;
        case 2:
          send_indication(in);
          break;
        case 3:
          channel_data(in);
          break;
        case 4:
          peer_data(in);
          break;
        case 5: {  // time passes
          const std::uint8_t n = in.u8();
          advance((n & 0x80) ? std::chrono::milliseconds((n & 0x7F) * 10) : std::chrono::seconds(n * 5));
          const turn::TimePoint next = server_->on_tick(now_);
          check(next > now_.steady);
          break;
        }
        case 6: {  // a stream closes
          const std::size_t t = in.u8() % 4;
          server_->on_connection_closed(kTuples[t], now_);
          model_.permissions[t].clear();
          break;
        }
        default: {  // Binding
          const std::size_t t = in.u8() % 4;
          Bytes b;
          stun::Builder builder(b, stun::Method::binding, stun::Class::request, next_id());
          if (in.u8() & 1) builder.add_fingerprint();
          server_->on_client_data(kTuples[t], b, now_);
          break;
        }
      }
      invariants();
    }
  }

 private:
  static constexpr std::array<std::uint8_t, 32> kKey = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                                        7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};

  stun::TransactionId next_id() {
    stun::TransactionId id{};
    const std::uint32_t n = ++ids_;
    for (std::size_t i = 0; i < 4; ++i)
      id[8 + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
    return id;
  }

  void advance(std::chrono::milliseconds d) {
    now_.steady += d;
    now_.unix_s = kUnix + std::chrono::duration_cast<std::chrono::seconds>(now_.steady - start_).count();
    model_.now = now_.steady;
  }

 public:
  void debug() {
    const auto& m = server_->metrics();
    std::fprintf(
        stderr,
        "alloc created %lu live %zu to_peers %lu to_clients %lu perms %lu chans %lu dropped %lu bw %lu "
        "noperm %lu refused_peer %lu quota %lu auth %lu\n",
        (unsigned long)m.allocations_created, server_->allocation_count(), (unsigned long)m.packets_to_peers,
        (unsigned long)m.packets_to_clients, (unsigned long)m.permissions, (unsigned long)m.channels,
        (unsigned long)m.dropped, (unsigned long)m.dropped_bandwidth, (unsigned long)m.dropped_no_permission,
        (unsigned long)m.refused_peer, (unsigned long)m.refused_quota, (unsigned long)m.refused_auth);
    for (std::size_t i = 0; i < peerhub::turn::Metrics::kErrorCodes.size(); ++i)
      if (m.errors_by_code[i])
        std::fprintf(stderr, "  %u x%lu\n", peerhub::turn::Metrics::kErrorCodes[i],
                     (unsigned long)m.errors_by_code[i]);
  }

 private:
  void invariants() {
    const std::size_t n = server_->allocation_count();
    check(n <= limit_);
    check(shared_.allocations() == n);
    check(server_->metrics().allocations == n);
    check(host_.open.size() <= 2 * n);
  }

  // Learns a nonce from a challenge (401/438) the tuple received.
  void learn(std::size_t t) {
    const auto m = stun::Message::parse(std::span<const std::uint8_t>(host_.last[t]));
    if (!m) return;
    if (const auto nonce = m->get<stun::attr::Nonce>()) nonces_[t] = std::string(*nonce);
  }

  void signed_request(Reader& in) {
    const std::size_t t = in.u8() % 4;
    static constexpr stun::Method kMethods[] = {stun::Method::allocate, stun::Method::refresh,
                                                stun::Method::create_permission, stun::Method::channel_bind,
                                                static_cast<stun::Method>(0x0ABC)};
    const stun::Method method = kMethods[in.u8() % 5];
    const std::uint16_t flags = in.u16();
    std::vector<stun::Address> peers;
    const std::size_t count = in.u8() % 4;
    for (std::size_t i = 0; i < count; ++i)
      peers.push_back(kPeers[in.u8() % 8]);
    const std::uint16_t channel = in.u16();
    const std::uint32_t lifetime = (flags & 0x0002) ? in.u32() : in.u8() * 30U;

    Bytes b;
    stun::Builder builder(b, method, stun::Class::request, next_id());
    if (method == stun::Method::allocate)
      builder.add<stun::attr::RequestedTransport>((flags & 0x4000) ? 6 : 17);
    if (flags & 0x0001) builder.add<stun::attr::Lifetime>(lifetime);
    if (flags & 0x0004) builder.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv6);
    if (flags & 0x0008) builder.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv4);
    if (flags & 0x0010) builder.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6);
    if (flags & 0x0020) builder.add<stun::attr::EvenPort>((flags & 0x0040) != 0);
    if ((flags & 0x0080) && token_) builder.add<stun::attr::ReservationToken>(*token_);
    if (flags & 0x2000) builder.add<stun::attr::DontFragment>({});
    if (flags & 0x8000) {
      const std::uint8_t v[4] = {1, 2, 3, 4};
      builder.add_raw(0x7F00, v);
    }
    if (method == stun::Method::channel_bind) {
      const std::uint8_t raw[4] = {static_cast<std::uint8_t>(channel >> 8),
                                   static_cast<std::uint8_t>(channel), 0, 0};
      builder.add_raw(0x000C, raw);
    }
    for (const auto& p : peers)
      builder.add<stun::attr::XorPeerAddress>(p);

    // Credentials, once the tuple has a nonce.
    const bool rest = (flags & 0x1000) != 0;
    const std::string user = rest ? std::to_string(kUnix + 3000) + ":rest-user" : "alice";
    std::string password = "alice-pass";
    if (rest) {
      const auto p = turn::rest_password(kSecret, user);
      password.assign(p->begin(), p->end());
    }
    if (flags & 0x0800) password += "-wrong";
    const auto algorithm = (flags & 0x0100) ? stun::PasswordAlgorithm::sha256 : stun::PasswordAlgorithm::md5;
    if (!nonces_[t].empty()) {
      builder.add<stun::attr::Username>(user);
      builder.add<stun::attr::Realm>(kRealm);
      builder.add<stun::attr::Nonce>(nonces_[t]);
      if (flags & 0x0100) {
        const stun::PasswordAlgorithmEntry offered[] = {{2, {}}, {1, {}}};
        builder.add<stun::attr::PasswordAlgorithms>(offered);
        builder.add<stun::attr::PasswordAlgorithm>({2, {}});
      }
      const auto key = stun::long_term_key(user, kRealm, password, algorithm);
      if (flags & 0x0200)
        builder.add_message_integrity_sha256(key->bytes());
      else
        builder.add_message_integrity(key->bytes());
    }
    if (flags & 0x0400) builder.add_fingerprint();
    if (!builder.ok()) return;

    host_.opened_now.clear();
    host_.last[t].clear();
    server_->on_client_data(kTuples[t], b, now_);
    const auto answer = stun::Message::parse(std::span<const std::uint8_t>(host_.last[t]));
    // A request always gets an answer, and only when it authenticated does anything open.
    check(answer.ok());
    learn(t);
    if (answer->cls() != stun::Class::success) {
      check(host_.opened_now.empty() || method == stun::Method::allocate);
      return;
    }
    switch (method) {
      case stun::Method::allocate:
        model_.permissions[t].clear();
        for (const turn::RelayId id : host_.opened_now)
          if (host_.open.count(id)) model_.relay_owner[id] = t;
        if (const auto token = answer->get<stun::attr::ReservationToken>()) token_ = *token;
        break;
      case stun::Method::create_permission:
      case stun::Method::channel_bind:
        for (const auto& p : peers)
          model_.permissions[t].emplace_back(p, now_.steady + 300s);
        break;
      default:
        break;
    }
  }

  void send_indication(Reader& in) {
    const std::size_t t = in.u8() % 4;
    const stun::Address peer = kPeers[in.u8() % 8];
    const std::uint8_t flags = in.u8();
    const Bytes data = in.take(in.u8());
    Bytes b;
    stun::Builder builder(b, stun::Method::send, stun::Class::indication, next_id());
    builder.add<stun::attr::XorPeerAddress>(peer);
    if (!(flags & 1)) builder.add<stun::attr::Data>(data);
    if (flags & 2) builder.add<stun::attr::DontFragment>({});
    if (flags & 4) builder.add_fingerprint();
    server_->on_client_data(kTuples[t], b, now_);
  }

  void channel_data(Reader& in) {
    const std::size_t t = in.u8() % 4;
    const std::uint16_t channel = static_cast<std::uint16_t>(0x4000 + in.u16() % 0x4000);  // RFC 5766 range
    const Bytes data = in.take(in.u8());
    Bytes frame(4 + data.size() + 3);
    const auto transport =
        kTuples[t].transport == turn::Transport::udp ? stun::Transport::udp : stun::Transport::stream;
    const auto n = stun::write_channel_data(frame, channel, data, transport);
    if (!n) return;
    frame.resize(*n);
    server_->on_client_data(kTuples[t], frame, now_);
  }

  void peer_data(Reader& in) {
    const std::uint8_t which = in.u8();
    const stun::Address peer = kPeers[in.u8() % 8];
    const Bytes data = in.take(in.u8());
    turn::RelayId relay = which;  // possibly no relay at all
    if (!host_.open.empty() && (which & 0x80) == 0) {
      auto it = host_.open.begin();
      std::advance(it, which % host_.open.size());
      relay = it->first;
    }
    server_->on_peer_data(relay, peer, data, now_);
  }

  Model model_;
  FuzzHost host_;
  turn::SharedState shared_;
  std::optional<turn::Server> server_;
  turn::Now now_;
  turn::TimePoint start_{};
  std::size_t limit_ = 0;
  std::array<std::string, 4> nonces_;
  std::optional<turn::ReservationToken> token_;
  std::uint32_t ids_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in(std::span<const std::uint8_t>(data, size));
  Driver driver;
  driver.run(in);
  if (std::getenv("TURN_FUZZ_DEBUG")) driver.debug();
  return 0;
}
