// turn::Client's allocation against peerhub's own TURN server: the 401 dance, REST credentials, refusals
// in words, retransmissions, refreshes and close.
#include <gtest/gtest.h>

#include "stun/attributes.hpp"
#include "turn_client_harness.hpp"

namespace peerhub::turn::testing {
namespace {

using namespace std::chrono_literals;

TEST(TurnClientAllocate, LongTermUserGetsRelayedAndMappedAddressAfterThe401) {
  Harness h;
  Link link(h, client_config());
  const Allocated a = link.allocate();
  EXPECT_EQ(link.client.state(), TurnClient::State::allocated);
  // The relay the server opened, and the client's address as the server saw it.
  ASSERT_EQ(h.host().open.size(), 1U);
  EXPECT_EQ(a.relayed, h.host().open.begin()->second.address);
  EXPECT_EQ(a.mapped, Harness::tuple(1).client);
  EXPECT_EQ(a.lifetime, 600s);
  EXPECT_EQ(link.client.relayed_address(), a.relayed);
  EXPECT_EQ(h.server().allocation_count(), 1U);
  // Two Allocates: the bare one the 401 answered, then the signed one.
  ASSERT_EQ(link.count_sent(stun::Method::allocate), 2U);
  const Response first{link.sent[0]};
  EXPECT_FALSE(first.has(stun::AttrType::message_integrity));
  EXPECT_FALSE(first.has(stun::AttrType::message_integrity_sha256));
  EXPECT_EQ(first.get<stun::attr::RequestedTransport>().value_or(0), stun::attr::RequestedTransport::kUdp);
  EXPECT_FALSE(first.has(stun::AttrType::requested_address_family));
  EXPECT_EQ(first.get<stun::attr::Software>().value_or(""), "peerhub");
  EXPECT_EQ(link.seen.front().kind, Received::Kind::consumed);
}

TEST(TurnClientAllocate, PrefersSha256WhenTheServerOffersIt) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  const Response second{link.sent[1]};
  EXPECT_EQ(second.get<stun::attr::Username>().value_or(""), "alice");
  EXPECT_EQ(second.get<stun::attr::Realm>().value_or(""), "example.org");
  const auto algorithm = second.get<stun::attr::PasswordAlgorithm>();
  ASSERT_TRUE(algorithm.ok());
  EXPECT_EQ(algorithm->algorithm, static_cast<std::uint16_t>(stun::PasswordAlgorithm::sha256));
  EXPECT_TRUE(second.has(stun::AttrType::password_algorithms));
  EXPECT_TRUE(second.has(stun::AttrType::message_integrity_sha256));
}

TEST(TurnClientAllocate, RestCredentialAllocates) {
  Harness h;
  const RestCredential rest = rest_credential("rest-secret", "carol", kUnixStart + 3600);
  Link link(h, client_config(rest.username, rest.password));
  link.allocate();
  EXPECT_EQ(h.server().allocation_count(), 1U);
}

TEST(TurnClientAllocate, ExpiredRestCredentialFailsWith401Words) {
  Harness h;
  const RestCredential rest = rest_credential("rest-secret", "carol", kUnixStart - 10);
  Link link(h, client_config(rest.username, rest.password));
  link.start();
  const auto f = link.last<Failed>();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 401);
  EXPECT_NE(f->reason.find("expired REST credential"), std::string::npos) << f->reason;
}

TEST(TurnClientAllocate, WrongPasswordFailsWith401InWordsAndNeverShowsThePassword) {
  Harness h;
  Link link(h, client_config("alice", "not-her-password"));
  link.start();
  EXPECT_FALSE(link.last<Allocated>());
  const auto f = link.last<Failed>();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 401);
  EXPECT_NE(f->reason.find("Allocate refused: 401"), std::string::npos) << f->reason;
  EXPECT_NE(f->reason.find("'alice'"), std::string::npos) << f->reason;
  EXPECT_NE(f->reason.find("wrong password"), std::string::npos) << f->reason;
  EXPECT_EQ(f->reason.find("not-her-password"), std::string::npos);
  EXPECT_EQ(link.client.state(), TurnClient::State::failed);
  EXPECT_EQ(h.server().allocation_count(), 0U);
  // Exactly one signed try: a refused password is not retried.
  EXPECT_EQ(link.count_sent(stun::Method::allocate), 2U);
  EXPECT_FALSE(link.client.next_timeout());
}

TEST(TurnClientAllocate, QuotaRefusalIsFailedWithWords) {
  ServerConfig config = default_config();
  config.limits.allocations_per_user = 1;
  Harness h(config);
  Link first(h, client_config(), Harness::tuple(1));
  first.allocate();
  Link second(h, client_config(), Harness::tuple(2));
  second.start();
  const auto f = second.last<Failed>();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 486);
  EXPECT_NE(f->reason.find("486 Allocation Quota Reached"), std::string::npos) << f->reason;
  EXPECT_NE(f->reason.find("quota"), std::string::npos) << f->reason;
}

TEST(TurnClientAllocate, UnsupportedFamilyIs440) {
  ServerConfig config = default_config();
  config.relay_ipv6 = false;
  Harness h(config);
  ClientConfig c = client_config();
  c.family = stun::Family::ipv6;
  Link link(h, c);
  link.start();
  ASSERT_TRUE(link.last<Failed>());
  EXPECT_EQ(link.last<Failed>()->code, 440);
  const Response first{link.sent[0]};
  EXPECT_EQ(first.get<stun::attr::RequestedAddressFamily>().value_or(stun::Family::ipv4), stun::Family::ipv6);
}

TEST(TurnClientAllocate, Ipv6RelayWhenAsked) {
  Harness h;
  ClientConfig c = client_config();
  c.family = stun::Family::ipv6;
  Link link(h, c);
  const Allocated a = link.allocate();
  EXPECT_EQ(a.relayed.family, stun::Family::ipv6);
  EXPECT_EQ(h.host().opened.back().first, stun::Family::ipv6);
}

TEST(TurnClientAllocate, LostFirstAllocateIsResentAfter500ms) {
  Harness h;
  Link link(h, client_config());
  int dropped = 0;
  link.drop = [&](const Bytes&) { return dropped++ == 0; };
  link.start();
  EXPECT_FALSE(link.last<Allocated>());
  ASSERT_EQ(link.client.next_timeout(), link.now() + 500ms);
  link.run(600ms);
  EXPECT_TRUE(link.last<Allocated>()) << link.failure();
  ASSERT_GE(link.sent.size(), 2U);
  EXPECT_EQ(link.sent[0], link.sent[1]);  // the same transaction, byte for byte
  EXPECT_EQ(link.sent_at[1] - link.sent_at[0], 500ms);
}

TEST(TurnClientAllocate, NoAnswerFailsAfterSevenSendsAnd39500ms) {
  Harness h;
  Link link(h, client_config());
  link.drop = [](const Bytes&) { return true; };
  const TimePoint start = link.now();
  link.start();
  link.run(60s);
  ASSERT_EQ(link.sent.size(), 7U);
  const std::vector<Duration> expected = {0ms, 500ms, 1500ms, 3500ms, 7500ms, 15500ms, 31500ms};
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(link.sent_at[i] - start, expected[i]) << i;
  const auto f = link.last<Failed>();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 0);
  EXPECT_NE(f->reason.find("no answer from the TURN server at 192.0.2.1:3478"), std::string::npos)
      << f->reason;
  EXPECT_EQ(link.client.state(), TurnClient::State::failed);
}

TEST(TurnClientAllocate, OverTcpNothingIsResentAndTheTimeoutIs39500ms) {
  Harness h;
  ClientConfig c = client_config();
  c.transport = Transport::tcp;
  Link link(h, c, Harness::tuple(1, Transport::tcp));
  link.drop = [](const Bytes&) { return true; };
  const TimePoint start = link.now();
  link.start();
  EXPECT_EQ(link.client.next_timeout(), start + 39500ms);
  link.run(60s);
  EXPECT_EQ(link.sent.size(), 1U);
  ASSERT_TRUE(link.last<Failed>());
}

TEST(TurnClientAllocate, RefreshesKeepTheAllocationForTwentyMinutes) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.run(20min);
  EXPECT_FALSE(link.last<Failed>()) << link.failure();
  EXPECT_EQ(link.client.state(), TurnClient::State::allocated);
  EXPECT_EQ(h.server().allocation_count(), 1U);
  // 600 s lifetime, refreshed a minute early: at 9 and 18 minutes. By 18 minutes the server's 10-minute
  // nonce has gone stale, so that Refresh is answered 438 and sent again with the fresh nonce.
  std::vector<Duration> refreshed_at;
  for (std::size_t i = 0; i < link.sent.size(); ++i)
    if (is_method(link.sent[i], stun::Method::refresh))
      refreshed_at.push_back(link.sent_at[i] - link.sent_at[0]);
  EXPECT_EQ(refreshed_at, (std::vector<Duration>{9min, 18min, 18min}));
  EXPECT_EQ(std::count_if(link.seen.begin(), link.seen.end(),
                          [](const Seen& s) { return Response{s.bytes}.code() == 438; }),
            1);
  const auto refresh = std::find_if(link.sent.begin(), link.sent.end(),
                                    [](const Bytes& b) { return is_method(b, stun::Method::refresh); });
  ASSERT_NE(refresh, link.sent.end());
  EXPECT_EQ(Response{*refresh}.get<stun::attr::Lifetime>().value_or(0), 600U);
}

TEST(TurnClientAllocate, WithoutRefreshesTheServerWouldHaveDroppedIt) {
  // The same twenty minutes with every Refresh lost: the allocation ends, and the client says so.
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.drop = [](const Bytes& b) { return is_method(b, stun::Method::refresh); };
  link.run(20min);
  ASSERT_TRUE(link.last<Failed>());
  EXPECT_EQ(h.server().allocation_count(), 0U);
}

TEST(TurnClientAllocate, CloseRemovesTheServersAllocation) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  ASSERT_EQ(h.server().allocation_count(), 1U);
  link.client.close(link.now());
  link.pump();
  EXPECT_TRUE(link.last<Closed>());
  EXPECT_EQ(link.client.state(), TurnClient::State::closed);
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_EQ(h.host().open.size(), 0U);
  const Response last{link.sent.back()};
  EXPECT_EQ(last.message().method(), stun::Method::refresh);
  EXPECT_EQ(last.get<stun::attr::Lifetime>().value_or(1), 0U);
  EXPECT_FALSE(link.client.next_timeout());
}

TEST(TurnClientAllocate, CloseBeforeStartIsClosedAtOnce) {
  Harness h;
  Link link(h, client_config());
  link.client.close(link.now());
  link.pump();
  EXPECT_TRUE(link.last<Closed>());
  EXPECT_TRUE(link.sent.empty());
}

TEST(TurnClientAllocate, CloseWithoutAnAnswerStillEndsInClosed) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  link.drop = [](const Bytes&) { return true; };
  link.client.close(link.now());
  link.run(60s);
  EXPECT_TRUE(link.last<Closed>());
}

TEST(TurnClientAllocate, AnswersOfOtherTransactionsAreNotMine) {
  Harness h;
  Link link(h, client_config());
  link.allocate();
  // A Binding answer the caller's own STUN code is waiting for.
  Bytes other;
  stun::Builder b(other, stun::Method::binding, stun::Class::success, stun::TransactionId{9, 9, 9});
  b.add<stun::attr::XorMappedAddress>(Harness::tuple(1).client);
  EXPECT_EQ(link.client.handle_datagram(link.now(), other).kind, Received::Kind::not_mine);
  const Bytes rtp = {0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(link.client.handle_datagram(link.now(), rtp).kind, Received::Kind::not_mine);
}

}  // namespace
}  // namespace peerhub::turn::testing
