// Drives a turn::Server in-process: a FakeHost that records what the core sends and which relays it opens, a
// virtual clock, and a Client that builds requests with the codec (credentials, integrity, the 401 dance).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stun/attributes.hpp"
#include "stun/builder.hpp"
#include "stun/channel_data.hpp"
#include "stun/credentials.hpp"
#include "stun/error_code.hpp"
#include "stun/integrity.hpp"
#include "stun/message.hpp"
#include "turn/server.hpp"

namespace peerhub::turn::testing {

using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

inline stun::Address ip4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                         std::uint16_t port = 0) {
  return stun::Address::v4({a, b, c, d}, port);
}
// "[2001:db8::1]:5000" or "2001:db8::1" (port 0).
inline stun::Address addr(const std::string& text) {
  auto a = stun::Address::parse(text);
  if (!a)
    a = stun::Address::parse(std::count(text.begin(), text.end(), ':') >= 2 ? "[" + text + "]:0"
                                                                            : text + ":0");
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(stun::Address{});
}

inline std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct ClientSend {
  FiveTuple to;
  Bytes bytes;
  ToClient kind = ToClient::response;
};
struct PeerSend {
  RelayId relay = 0;
  stun::Address peer;
  Bytes bytes;
};

// Relays at 203.0.113.7 and 2001:db8::7 with ports counted up from 50000; a family can be made to run out.
class FakeHost : public Host {
 public:
  std::vector<ClientSend> to_clients;
  std::vector<PeerSend> to_peers;
  std::vector<std::pair<stun::Family, PortRequest>> opened;  // every open_relay call, granted or not
  std::map<RelayId, Relay> open;
  std::vector<RelayId> closed;
  std::vector<std::pair<stun::Family, std::uint16_t>> released;
  bool full_ipv4 = false;
  bool full_ipv6 = false;
  std::uint16_t next_port = 50000;
  RelayId next_id = 1;
  stun::Address ipv4_relay = ip4(203, 0, 113, 7);
  stun::Address ipv6_relay = addr("2001:db8::7");

  void send_to_client(const FiveTuple& to, std::span<const std::uint8_t> bytes, ToClient kind) override {
    to_clients.push_back({to, Bytes(bytes.begin(), bytes.end()), kind});
  }
  void send_to_peer(RelayId relay, const stun::Address& peer, std::span<const std::uint8_t> bytes) override {
    EXPECT_TRUE(open.count(relay)) << "send on a relay that is not open";
    to_peers.push_back({relay, peer, Bytes(bytes.begin(), bytes.end())});
  }
  std::optional<Relay> open_relay(stun::Family family, const PortRequest& request) override {
    opened.emplace_back(family, request);
    if (family == stun::Family::ipv4 ? full_ipv4 : full_ipv6) return std::nullopt;
    std::uint16_t port = next_port;
    if (request.reserved) {
      port = *request.reserved;
    } else {
      if (request.even && port % 2 != 0) ++port;
      next_port = static_cast<std::uint16_t>(port + (request.reserve_next ? 2 : 1));
    }
    Relay r;
    r.id = next_id++;
    r.address = family == stun::Family::ipv4 ? ipv4_relay : ipv6_relay;
    r.address.port = port;
    open[r.id] = r;
    return r;
  }
  void close_relay(RelayId relay) override {
    EXPECT_TRUE(open.erase(relay)) << "closing a relay twice";
    closed.push_back(relay);
  }
  void release_reserved_port(stun::Family family, std::uint16_t port) override {
    released.emplace_back(family, port);
  }
};

// A received message that owns its bytes.
struct Response {
  Bytes bytes;
  stun::Message message() const {
    const auto m = stun::Message::parse(std::span<const std::uint8_t>(bytes));
    EXPECT_TRUE(m.ok()) << "not STUN";
    return *m;
  }
  stun::Class cls() const { return message().cls(); }
  bool success() const { return !bytes.empty() && cls() == stun::Class::success; }
  // The ERROR-CODE, or 0.
  std::uint16_t code() const {
    if (bytes.empty()) return 0;
    const auto e = message().get<stun::attr::ErrorCode>();
    return e ? e->code : 0;
  }
  template <class A>
  auto get() const {
    return message().get<A>();
  }
  bool has(stun::AttrType t) const { return message().has(t); }
};

inline const std::array<std::uint8_t, 32> kNonceKey = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11,
                                                       12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                                       23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
inline constexpr std::int64_t kUnixStart = 1'700'000'000;

inline ServerConfig default_config() {
  ServerConfig c;
  c.realm = "example.org";
  c.users = {{"alice", "alice-pass"}, {"bob", "bob-pass"}};
  c.rest_secret = "rest-secret";
  return c;
}

class Harness {
 public:
  // Pass another Harness's shared() to make a second worker of the same server.
  explicit Harness(ServerConfig config = default_config(), std::optional<SharedState> shared = std::nullopt)
      : shared_(shared ? *shared : SharedState(kNonceKey)), config_(config) {
    now_.steady = TimePoint{} + 10h;
    now_.unix_s = kUnixStart;
    server_ = std::make_unique<Server>(std::move(config), host_, shared_);
  }

  Server& server() { return *server_; }
  FakeHost& host() { return host_; }
  SharedState& shared() { return shared_; }
  const ServerConfig& config() const { return config_; }
  const Metrics& metrics() const { return server_->metrics(); }
  Now& now() { return now_; }
  void advance(std::chrono::milliseconds d) {
    now_.steady += d;
    now_.unix_s = kUnixStart +
                  std::chrono::duration_cast<std::chrono::seconds>(now_.steady - (TimePoint{} + 10h)).count();
  }
  TimePoint tick() { return server_->on_tick(now_); }

  static FiveTuple tuple(std::uint8_t n, Transport transport = Transport::udp) {
    return FiveTuple{ip4(198, 51, 100, n, static_cast<std::uint16_t>(40000 + n)), ip4(192, 0, 2, 1, 3478),
                     transport};
  }
  static FiveTuple tuple6(std::uint8_t n) {
    auto client = addr("[2001:db8:1::" + std::to_string(n) + "]:4000" + std::to_string(n % 10));
    return FiveTuple{client, addr("[2001:db8::1]:3478"), Transport::udp};
  }

  // Hands `bytes` to the server from `from` and returns what it sent back to that tuple (every message).
  std::vector<Response> send(const FiveTuple& from, std::span<const std::uint8_t> bytes) {
    const std::size_t before = host_.to_clients.size();
    server_->on_client_data(from, bytes, now_);
    std::vector<Response> out;
    for (std::size_t i = before; i < host_.to_clients.size(); ++i) {
      EXPECT_EQ(host_.to_clients[i].to, from) << "answer sent to another tuple";
      EXPECT_EQ(host_.to_clients[i].kind, ToClient::response)
          << "an answer the shell may drop as relayed data";
      out.push_back({host_.to_clients[i].bytes});
    }
    return out;
  }
  // The one answer to `bytes` (empty Response when there was none).
  Response exchange(const FiveTuple& from, std::span<const std::uint8_t> bytes) {
    auto all = send(from, bytes);
    EXPECT_LE(all.size(), 1U);
    return all.empty() ? Response{} : all.front();
  }

  // A datagram from `peer` on relay `relay`; returns what went to clients because of it.
  std::vector<ClientSend> from_peer(RelayId relay, const stun::Address& peer,
                                    std::span<const std::uint8_t> data) {
    const std::size_t before = host_.to_clients.size();
    server_->on_peer_data(relay, peer, data, now_);
    for (std::size_t i = before; i < host_.to_clients.size(); ++i)
      EXPECT_EQ(host_.to_clients[i].kind, ToClient::relayed) << "relayed data the shell must not drop";
    return {host_.to_clients.begin() + static_cast<std::ptrdiff_t>(before), host_.to_clients.end()};
  }

 private:
  FakeHost host_;
  SharedState shared_;
  ServerConfig config_;
  std::unique_ptr<Server> server_;
  Now now_;
};

struct Credentials {
  std::string username = "alice";
  std::string password = "alice-pass";
  stun::PasswordAlgorithm algorithm = stun::PasswordAlgorithm::md5;
  bool send_algorithms = false;   // PASSWORD-ALGORITHMS + PASSWORD-ALGORITHM, as an RFC 8489 client does
  bool sha256_integrity = false;  // MESSAGE-INTEGRITY-SHA256 instead of MESSAGE-INTEGRITY
  bool userhash = false;          // USERHASH instead of USERNAME
  std::string realm;              // empty: the one the server announced
};

using AddAttributes = std::function<void(stun::Builder&)>;

// One client on one 5-tuple. request() sends what it is told; call() does the 401 / 438 dance first.
class Client {
 public:
  Client(Harness& h, FiveTuple tuple, Credentials credentials = {})
      : h_(h), tuple_(tuple), credentials_(std::move(credentials)) {}

  FiveTuple& tuple() { return tuple_; }
  Credentials& credentials() { return credentials_; }
  std::string& nonce() { return nonce_; }
  stun::TransactionId last_id() const { return last_id_; }

  stun::TransactionId new_id() {
    stun::TransactionId id{};
    const std::uint32_t n = ++ids_;
    id[0] = tuple_.client.bytes[3];
    id[8] = static_cast<std::uint8_t>(n >> 24);
    id[9] = static_cast<std::uint8_t>(n >> 16);
    id[10] = static_cast<std::uint8_t>(n >> 8);
    id[11] = static_cast<std::uint8_t>(n);
    return id;
  }

  // The bytes of a request (or indication): `add`'s attributes, then, once a nonce is known and `sign`,
  // the credentials and the integrity; FINGERPRINT when asked.
  Bytes build(stun::Method method, const AddAttributes& add = {}, bool sign = true, bool fingerprint = false,
              stun::Class cls = stun::Class::request, std::optional<stun::TransactionId> id = std::nullopt) {
    last_id_ = id.value_or(new_id());
    Bytes out;
    stun::Builder b(out, method, cls, last_id_);
    if (add) add(b);
    if (sign && !nonce_.empty()) {
      const std::string& realm = credentials_.realm.empty() ? realm_ : credentials_.realm;
      if (credentials_.userhash) {
        b.add<stun::attr::Userhash>(*stun::userhash(credentials_.username, realm));
      } else {
        b.add<stun::attr::Username>(credentials_.username);
      }
      b.add<stun::attr::Realm>(realm);
      b.add<stun::attr::Nonce>(nonce_);
      if (credentials_.send_algorithms) {
        const stun::PasswordAlgorithmEntry offered[] = {{2, {}}, {1, {}}};
        b.add<stun::attr::PasswordAlgorithms>(offered);
        b.add<stun::attr::PasswordAlgorithm>({static_cast<std::uint16_t>(credentials_.algorithm), {}});
      }
      const auto key =
          stun::long_term_key(credentials_.username, realm, credentials_.password, credentials_.algorithm);
      EXPECT_TRUE(key.ok());
      if (credentials_.sha256_integrity)
        b.add_message_integrity_sha256(key->bytes());
      else
        b.add_message_integrity(key->bytes());
    }
    if (fingerprint) b.add_fingerprint();
    EXPECT_TRUE(b.ok()) << stun::to_string(b.error());
    return out;
  }

  Response request(stun::Method method, const AddAttributes& add = {}, bool sign = true,
                   bool fingerprint = false) {
    const Bytes bytes = build(method, add, sign, fingerprint);
    return h_.exchange(tuple_, bytes);
  }

  // Learns REALM and NONCE from a 401 / 438.
  void learn(const Response& r) {
    if (const auto n = r.get<stun::attr::Nonce>()) nonce_ = std::string(*n);
    if (const auto realm = r.get<stun::attr::Realm>()) realm_ = std::string(*realm);
  }

  // A request that goes through authentication: without a nonce it is sent once bare (401), then again with
  // the credentials; a 438 gets one more try with the fresh nonce.
  Response call(stun::Method method, const AddAttributes& add = {}) {
    Response r = request(method, add);
    for (int i = 0; i < 2 && (r.code() == 401 || r.code() == 438) && r.has(stun::AttrType::nonce); ++i) {
      const std::string old = nonce_;
      learn(r);
      if (r.code() == 401 && !old.empty()) break;  // the credentials were refused, not missing
      r = request(method, add);
    }
    return r;
  }

  // Allocate with REQUESTED-TRANSPORT UDP and whatever `add` puts in.
  Response allocate(const AddAttributes& add = {}) {
    return call(stun::Method::allocate, [&](stun::Builder& b) {
      b.add<stun::attr::RequestedTransport>(stun::attr::RequestedTransport::kUdp);
      if (add) add(b);
    });
  }
  // Allocates and returns the (first) relayed address.
  stun::Address allocated() {
    const Response r = allocate();
    EXPECT_TRUE(r.success()) << "Allocate failed with " << r.code();
    const auto relayed = r.get<stun::attr::XorRelayedAddress>();
    return relayed ? *relayed : stun::Address{};
  }
  Response permit(std::initializer_list<stun::Address> peers) {
    return call(stun::Method::create_permission, [&](stun::Builder& b) {
      for (const auto& p : peers)
        b.add<stun::attr::XorPeerAddress>(p);
    });
  }
  Response bind(std::uint16_t channel, const stun::Address& peer) {
    return call(stun::Method::channel_bind, [&](stun::Builder& b) {
      b.add<stun::attr::ChannelNumber>(channel);
      b.add<stun::attr::XorPeerAddress>(peer);
    });
  }
  Response refresh(std::optional<std::uint32_t> lifetime) {
    return call(stun::Method::refresh, [&](stun::Builder& b) {
      if (lifetime) b.add<stun::attr::Lifetime>(*lifetime);
    });
  }
  // A Send indication (never authenticated).
  void send(const stun::Address& peer, std::span<const std::uint8_t> data, const AddAttributes& more = {}) {
    const Bytes bytes = build(
        stun::Method::send,
        [&](stun::Builder& b) {
          b.add<stun::attr::XorPeerAddress>(peer);
          b.add<stun::attr::Data>(data);
          if (more) more(b);
        },
        false, false, stun::Class::indication);
    EXPECT_TRUE(h_.send(tuple_, bytes).empty()) << "an indication got an answer";
  }
  // ChannelData (padded to 4 when the tuple is a stream, as a stream needs).
  void channel_data(std::uint16_t channel, std::span<const std::uint8_t> data) {
    Bytes frame(4 + data.size() + 3);
    const auto t = tuple_.transport == Transport::udp ? stun::Transport::udp : stun::Transport::stream;
    const auto n = stun::write_channel_data(frame, channel, data, t);
    ASSERT_TRUE(n.ok());
    frame.resize(*n);
    EXPECT_TRUE(h_.send(tuple_, frame).empty());
  }

 private:
  Harness& h_;
  FiveTuple tuple_;
  Credentials credentials_;
  std::string nonce_;
  std::string realm_;
  std::uint32_t ids_ = 0;
  stun::TransactionId last_id_{};
};

}  // namespace peerhub::turn::testing
