#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

#include "common/config.hpp"
#include "common/settings.hpp"
#include "common/turn_config.hpp"
#include "config_errors.hpp"

namespace peerhub {
namespace {

TurnPlan plan_after(const std::function<void(Config&)>& change) {
  Config config;
  change(config);
  return plan_turn(config);
}

TEST(TurnConfig, DefaultsServeLoopbackWithTheWholeDynamicRange) {
  const auto plan = plan_turn(Config{});
  EXPECT_TRUE(plan.enabled);
  EXPECT_EQ(plan.listen.host, "127.0.0.1");
  EXPECT_EQ(plan.listen.port, 3478);
  EXPECT_FALSE(plan.tls);  // no certificate
  EXPECT_EQ(plan.relay_port_min, 49152);
  EXPECT_EQ(plan.relay_port_max, 65535);
  EXPECT_EQ(plan.relay_addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(plan.public_host, "127.0.0.1");
  EXPECT_TRUE(plan.allow_peers.empty());
}

TEST(TurnConfig, EmptyOrOffTurnsItOff) {
  EXPECT_FALSE(plan_after([](Config& c) { c.turn = ""; }).enabled);
  EXPECT_FALSE(plan_after([](Config& c) { c.turn = "off"; }).enabled);
  EXPECT_EQ(error_after([](Config& c) { c.turn = "off"; }), "(valid)");
  EXPECT_ERROR_MENTIONS(
      [](Config& c) {
        c.turn = "off";
        c.tls_cert = "c.pem";
        c.tls_key = "k.pem";
        c.turn_tls = "127.0.0.1:5349";
      },
      "turn.listen is off");
}

TEST(TurnConfig, TlsTakes5349BesideTheListenerOnlyWithACertificate) {
  auto with_cert = [](Config& c) {
    c.tls_cert = "c.pem";
    c.tls_key = "k.pem";
  };
  auto plan = plan_after(with_cert);
  ASSERT_TRUE(plan.tls);
  EXPECT_EQ(plan.tls->host, "127.0.0.1");
  EXPECT_EQ(plan.tls->port, 5349);
  plan = plan_after([&](Config& c) {
    with_cert(c);
    c.turn = "127.0.0.1:0";
  });
  ASSERT_TRUE(plan.tls);
  EXPECT_EQ(plan.tls->port, 0);  // a free port, like the listener's
  EXPECT_FALSE(plan_after([&](Config& c) {
                 with_cert(c);
                 c.turn_tls = "off";
               }).tls);
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_tls = "127.0.0.1:5349"; }, "no certificate");
  EXPECT_ERROR_MENTIONS(
      [&](Config& c) {
        with_cert(c);
        c.turn_tls = "127.0.0.1:3478";
      },
      "must differ from turn.listen");
  EXPECT_ERROR_MENTIONS(
      [&](Config& c) {
        with_cert(c);
        c.turn_tls = "5349";
      },
      "turn.tls_listen");
}

TEST(TurnConfig, RelayPorts) {
  auto plan = plan_after([](Config& c) { c.turn_relay_ports = "50000-50009"; });
  EXPECT_EQ(plan.relay_port_min, 50000);
  EXPECT_EQ(plan.relay_port_max, 50009);
  plan = plan_after([](Config& c) { c.turn_relay_ports = "40000-40000"; });
  EXPECT_EQ(plan.relay_port_min, plan.relay_port_max);
  for (const char* bad :
       {"", "50000", "50000-", "-50000", "0-10", "60000-50000", "1-70000", "a-b", "1 - 2"}) {
    SCOPED_TRACE(bad);
    EXPECT_ERROR_MENTIONS([&](Config& c) { c.turn_relay_ports = bad; }, "turn.relay_ports: expected MIN-MAX");
  }
}

TEST(TurnConfig, AWildcardListenerNeedsASpecificRelayAddress) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn = ":3478"; }, "turn.relay_address must name");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn = "[::]:3478"; }, "turn.relay_address must name");
  const auto plan = plan_after([](Config& c) {
    c.turn = "0.0.0.0:3478";
    c.turn_relay_addresses = {"192.0.2.10", "[2001:db8::10]"};
  });
  EXPECT_EQ(plan.relay_addresses, (std::vector<std::string>{"192.0.2.10", "2001:db8::10"}));
  EXPECT_EQ(plan.public_host, "192.0.2.10");  // the listener's IP says nothing to a client
}

TEST(TurnConfig, RelayAddressesAreSpecificIpsOnePerFamily) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_relay_addresses = {"0.0.0.0"}; }, "wildcard");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_relay_addresses = {"::"}; }, "wildcard");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_relay_addresses = {"relay.example.org"}; }, "not an IP");
  const auto two_v4 = [](Config& c) { c.turn_relay_addresses = {"127.0.0.1", "127.0.0.2"}; };
  EXPECT_ERROR_MENTIONS(two_v4, "one IPv4 and one IPv6");
  EXPECT_EQ(error_after([](Config& c) { c.turn_relay_addresses = {"127.0.0.2"}; }), "(valid)");
}

TEST(TurnConfig, PublicHost) {
  EXPECT_EQ(plan_after([](Config& c) { c.turn = "[::1]:3478"; }).public_host, "::1");
  EXPECT_EQ(plan_after([](Config& c) { c.turn_public_host = "turn.example.org"; }).public_host,
            "turn.example.org");
  EXPECT_EQ(plan_after([](Config& c) { c.turn_public_host = "[2001:db8::1]"; }).public_host, "2001:db8::1");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_public_host = "0.0.0.0"; }, "turn.public_host");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_public_host = "bad host"; }, "turn.public_host");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_public_host = "*.example.org"; }, "turn.public_host");
}

TEST(TurnConfig, UrlHostBracketsIpv6Only) {
  EXPECT_EQ(url_host("2001:db8::1"), "[2001:db8::1]");
  EXPECT_EQ(url_host("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(url_host("turn.example.org"), "turn.example.org");
}

TEST(TurnConfig, AllowedPeerRanges) {
  const auto plan = plan_after([](Config& c) {
    c.turn_allow_peers = {"10.1.2.3/8", "192.0.2.7", "fd00::1/8"};
  });
  ASSERT_EQ(plan.allow_peers.size(), 3u);
  EXPECT_EQ(plan.allow_peers[0].bytes, (std::vector<std::uint8_t>{10, 0, 0, 0}));  // host bits cleared
  EXPECT_EQ(plan.allow_peers[0].prefix, 8u);
  EXPECT_EQ(plan.allow_peers[1].prefix, 32u);
  EXPECT_EQ(plan.allow_peers[2].bytes.size(), 16u);
  EXPECT_EQ(plan.allow_peers[2].bytes[0], 0xfd);
  EXPECT_EQ(plan.allow_peers[2].bytes[15], 0);
  EXPECT_EQ(plan.allow_peers[2].prefix, 8u);
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_allow_peers = {"10.0.0.0/33"}; }, "turn.allow_peers");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_allow_peers = {"10.0.0.0/"}; }, "prefix length");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_allow_peers = {"intranet"}; }, "'intranet'");
  EXPECT_EQ(parse_ip_range("::/0").prefix, 0u);
}

TEST(TurnConfig, QuotasAndLifetimesMustBePositive) {
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_max_allocations = 0; }, "turn.max_allocations");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_max_allocations_per_user = 0; },
                        "turn.max_allocations_per_user");
  EXPECT_ERROR_MENTIONS([](Config& c) { c.turn_credential_ttl_s = 0; }, "turn.credential_ttl");
  EXPECT_EQ(error_after([](Config& c) { c.turn_bandwidth = 0; }), "(valid)");  // 0 = unlimited
}

TEST(TurnConfig, EveryTurnSettingHasAFlagAVariableAndAKey) {
  Config config;
  load_toml_text(R"([turn]
listen = "127.0.0.1:3479"
tls_listen = "127.0.0.1:5350"
relay_ports = "50000-50100"
relay_address = "127.0.0.1"
public_host = "turn.example.org"
allow_peers = ["10.0.0.0/8"]
max_allocations = 100
max_allocations_per_user = 2
bandwidth = 125000
credential_ttl = 600
)",
                 "test.toml", config);
  EXPECT_EQ(config.turn_tls, "127.0.0.1:5350");
  EXPECT_EQ(config.turn_relay_ports, "50000-50100");
  EXPECT_EQ(config.turn_relay_addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(config.turn_public_host, "turn.example.org");
  EXPECT_EQ(config.turn_allow_peers, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(config.turn_max_allocations, 100u);
  EXPECT_EQ(config.turn_max_allocations_per_user, 2u);
  EXPECT_EQ(config.turn_bandwidth, 125000u);
  EXPECT_EQ(config.turn_credential_ttl_s, 600u);

  std::string entries[] = {"PEERHUB_TURN_RELAY_ADDRESS=127.0.0.2,::1",
                           "PEERHUB_TURN_ALLOW_PEER=10.0.0.0/8,fd00::/8", "PEERHUB_TURN_BANDWIDTH=1000",
                           "PEERHUB_TURN_TLS=off"};
  char* env[] = {entries[0].data(), entries[1].data(), entries[2].data(), entries[3].data(), nullptr};
  EXPECT_TRUE(apply_environment(env, config).empty());
  EXPECT_EQ(config.turn_relay_addresses, (std::vector<std::string>{"127.0.0.2", "::1"}));
  EXPECT_EQ(config.turn_allow_peers.size(), 2u);
  EXPECT_EQ(config.turn_bandwidth, 1000u);
  EXPECT_EQ(config.turn_tls, "off");
}

TEST(TurnConfig, TheSecretIsNeverDescribed) {
  Config config;
  config.turn_secret = "hunter2";
  for (const auto& setting : settings()) {
    EXPECT_EQ(describe(setting, config).find("hunter2"), std::string::npos) << setting.flag;
  }
}

}  // namespace
}  // namespace peerhub
