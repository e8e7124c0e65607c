// What an allocation costs the core in memory: the target is 4 KiB per allocation, all in. Counted
// here: the heap the Server and SharedState hold for allocations as a browser makes them (REST credentials of
// their own user, two permissions, two channels). The kernel's socket buffers are the shell's and not
// counted.
#include <malloc.h>

#include "turn/allocation.hpp"
#include "turn/rest_password.hpp"
#include "turn_harness.hpp"

namespace peerhub::turn::testing {
namespace {

// A Host that keeps nothing, so that only the core's memory is measured.
class LeanHost : public Host {
 public:
  Bytes last;
  void send_to_client(const FiveTuple&, std::span<const std::uint8_t> bytes, ToClient) override {
    last.assign(bytes.begin(), bytes.end());
  }
  void send_to_peer(RelayId, const stun::Address&, std::span<const std::uint8_t>) override {}
  std::optional<Relay> open_relay(stun::Family, const PortRequest&) override {
    Relay r;
    r.id = next_++;
    r.address = ip4(203, 0, 113, 7, static_cast<std::uint16_t>(r.id));
    return r;
  }
  void close_relay(RelayId) override {}

 private:
  RelayId next_ = 1;
};

std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

TEST(TurnFootprint, AnAllocationWithTwoPermissionsAndTwoChannelsIsWellUnder4KiB) {
  constexpr int kAllocations = 4000;
  ServerConfig config = default_config();
  config.limits.allocations_total = kAllocations + 10;
  LeanHost host;
  SharedState shared(kNonceKey);
  Server server(config, host, shared);
  Now now;
  now.steady = TimePoint{} + 10h;
  now.unix_s = kUnixStart;
  host.last.reserve(1024);

  // Requests are built beforehand so that only the server's memory moves while they are handled.
  const auto build = [&](int i, const std::string& nonce, const AddAttributes& add, stun::Method method) {
    const std::string user = std::to_string(kUnixStart + 3600) + ":user-" + std::to_string(i);
    Bytes out;
    stun::TransactionId id{};
    id[0] = static_cast<std::uint8_t>(i);
    id[1] = static_cast<std::uint8_t>(i >> 8);
    id[2] = static_cast<std::uint8_t>(method);
    stun::Builder b(out, method, stun::Class::request, id);
    add(b);
    b.add<stun::attr::Username>(user);
    b.add<stun::attr::Realm>(config.realm);
    b.add<stun::attr::Nonce>(nonce);
    const auto password =
        rest_password(config.rest_secret, user);  // checked against Python in turn_auth_test
    const std::string pw(password->begin(), password->end());
    const auto key = stun::long_term_key(user, config.realm, pw);
    b.add_message_integrity(key->bytes());
    EXPECT_TRUE(b.ok());
    return out;
  };
  const auto tuple = [](int i) {
    return FiveTuple{ip4(10, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i), 1, 5000),
                     ip4(192, 0, 2, 1, 3478), Transport::udp};
  };

  std::vector<std::vector<Bytes>> requests(kAllocations + 1);
  for (int i = 0; i <= kAllocations; ++i) {
    // The nonce comes from the server's challenge to this client.
    Bytes hello;
    {
      stun::Builder b(hello, stun::Method::allocate, stun::Class::request, stun::TransactionId{});
      b.add<stun::attr::RequestedTransport>(17);
    }
    server.on_client_data(tuple(i), hello, now);
    const std::string nonce(*Response{host.last}.get<stun::attr::Nonce>());
    auto& r = requests[static_cast<std::size_t>(i)];
    r.push_back(build(
        i, nonce, [](stun::Builder& b) { b.add<stun::attr::RequestedTransport>(17); },
        stun::Method::allocate));
    r.push_back(build(
        i, nonce,
        [&](stun::Builder& b) {
          b.add<stun::attr::XorPeerAddress>(ip4(8, 8, static_cast<std::uint8_t>(i), 1, 1));
          b.add<stun::attr::XorPeerAddress>(ip4(8, 9, static_cast<std::uint8_t>(i), 2, 1));
        },
        stun::Method::create_permission));
    r.push_back(build(
        i, nonce,
        [&](stun::Builder& b) {
          b.add<stun::attr::ChannelNumber>(0x4000);
          b.add<stun::attr::XorPeerAddress>(ip4(8, 8, static_cast<std::uint8_t>(i), 1, 1000));
        },
        stun::Method::channel_bind));
    r.push_back(build(
        i, nonce,
        [&](stun::Builder& b) {
          b.add<stun::attr::ChannelNumber>(0x4001);
          b.add<stun::attr::XorPeerAddress>(ip4(8, 9, static_cast<std::uint8_t>(i), 2, 1000));
        },
        stun::Method::channel_bind));
  }
  const auto run = [&](int i) {
    for (const Bytes& b : requests[static_cast<std::size_t>(i)]) {
      server.on_client_data(tuple(i), b, now);
      ASSERT_TRUE(Response{host.last}.success()) << i;
    }
  };
  run(kAllocations);  // warms the tables' first buckets up
  const std::size_t before = heap_in_use();
  for (int i = 0; i < kAllocations; ++i)
    run(i);
  const std::size_t after = heap_in_use();
  EXPECT_EQ(server.allocation_count(), static_cast<std::size_t>(kAllocations + 1));
  EXPECT_EQ(server.metrics().channels, static_cast<std::uint64_t>(2 * (kAllocations + 1)));
  if (after <= before) GTEST_SKIP() << "heap statistics unavailable (sanitizer allocator)";
  const std::size_t per_allocation = (after - before) / kAllocations;
  std::printf(
      "[ footprint] sizeof(Allocation) = %zu; %zu bytes of heap per allocation (2 permissions, 2 channels)\n",
      sizeof(Allocation), per_allocation);
  EXPECT_LE(per_allocation, 1024U);
}

}  // namespace
}  // namespace peerhub::turn::testing
