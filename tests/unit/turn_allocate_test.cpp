// Allocate (RFC 8656 §7.2) step by step: the success answer, 437 and retransmissions, 400/442 for the
// transport, 420 (DONT-FRAGMENT and unknown attributes), RFC 6156 families (440, dual allocation,
// ADDRESS-ERROR-CODE), EVEN-PORT and RESERVATION-TOKEN, lifetimes, quotas (486) and capacity (508).
#include "turn_harness.hpp"

namespace peerhub::turn::testing {
namespace {

TEST(TurnAllocate, SuccessCarriesRelayedAddressLifetimeAndMappedAddress) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r = c.allocate();
  ASSERT_TRUE(r.success());
  EXPECT_EQ(*r.get<stun::attr::XorRelayedAddress>(), ip4(203, 0, 113, 7, 50000));
  EXPECT_EQ(*r.get<stun::attr::Lifetime>(), 600U);  // the default (§7.2)
  EXPECT_EQ(*r.get<stun::attr::XorMappedAddress>(), Harness::tuple(1).client);
  EXPECT_FALSE(r.has(stun::AttrType::reservation_token));
  ASSERT_EQ(h.host().opened.size(), 1U);
  EXPECT_EQ(h.host().opened[0].first, stun::Family::ipv4);
  EXPECT_EQ(h.metrics().allocations, 1U);
  EXPECT_EQ(h.metrics().allocations_created, 1U);
  EXPECT_EQ(h.shared().allocations(), 1U);
  EXPECT_EQ(h.metrics().requests[1], 2U);  // the challenged one and the signed one
}

TEST(TurnAllocate, LifetimeIsClampedBetweenDefaultAndMaximum) {
  Harness h;
  const auto lifetime_for = [&](std::uint8_t n, std::uint32_t asked) {
    Client c(h, Harness::tuple(n));
    const Response r = c.allocate([&](stun::Builder& b) { b.add<stun::attr::Lifetime>(asked); });
    return *r.get<stun::attr::Lifetime>();
  };
  EXPECT_EQ(lifetime_for(1, 30), 600U);      // under the default: the default
  EXPECT_EQ(lifetime_for(2, 1800), 1800U);   // between: as asked
  EXPECT_EQ(lifetime_for(3, 86400), 3600U);  // over the maximum: the maximum
  EXPECT_EQ(lifetime_for(4, 0), 600U);
}

TEST(TurnAllocate, SecondAllocateOnTheSameTupleIs437ButARetransmissionGetsTheSameSuccess) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response first = c.allocate();
  ASSERT_TRUE(first.success());
  const stun::TransactionId id = c.last_id();
  // The very same request again (a lost response over UDP): the same answer, nothing new opened.
  const Bytes again = c.build(
      stun::Method::allocate, [](stun::Builder& b) { b.add<stun::attr::RequestedTransport>(17); }, true,
      false, stun::Class::request, id);
  const Response repeat = h.exchange(c.tuple(), again);
  ASSERT_TRUE(repeat.success());
  EXPECT_EQ(repeat.message().transaction_id(), id);
  EXPECT_EQ(*repeat.get<stun::attr::XorRelayedAddress>(), *first.get<stun::attr::XorRelayedAddress>());
  EXPECT_EQ(h.host().opened.size(), 1U);
  // A new transaction on the same 5-tuple: 437, signed.
  const Response mismatch = c.allocate();
  EXPECT_EQ(mismatch.code(), 437);
  EXPECT_TRUE(mismatch.has(stun::AttrType::message_integrity));
  EXPECT_EQ(h.server().allocation_count(), 1U);
  // The same 5-tuple over TCP is another 5-tuple.
  Client tcp(h, Harness::tuple(1, Transport::tcp));
  EXPECT_TRUE(tcp.allocate().success());
}

TEST(TurnAllocate, RequestedTransportMissingIs400AndTcpIs442) {
  Harness h;
  Client c(h, Harness::tuple(1));
  EXPECT_EQ(c.call(stun::Method::allocate).code(), 400);
  const Response tcp = c.call(stun::Method::allocate, [](stun::Builder& b) {
    b.add<stun::attr::RequestedTransport>(stun::attr::RequestedTransport::kTcp);
  });
  EXPECT_EQ(tcp.code(), 442);
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_TRUE(h.host().opened.empty());
  EXPECT_EQ(h.metrics().errors_by_code[8], 1U);  // 442
}

TEST(TurnAllocate, DontFragmentIsListedAsUnknown) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r = c.allocate([](stun::Builder& b) { b.add<stun::attr::DontFragment>({}); });
  EXPECT_EQ(r.code(), 420);
  const auto unknown = r.get<stun::attr::UnknownAttributes>();
  ASSERT_TRUE(unknown.ok());
  ASSERT_EQ(unknown->size(), 1U);
  EXPECT_EQ((*unknown)[0], 0x001A);
  // RFC 8656 §7.1: the client tries again without it.
  EXPECT_TRUE(c.allocate().success());
}

TEST(TurnAllocate, UnknownComprehensionRequiredAttributesAre420AfterAuthentication) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const std::uint8_t value[4] = {1, 2, 3, 4};
  const Response r = c.allocate([&](stun::Builder& b) {
    b.add_raw(0x7F01, value);
    b.add_raw(0xC001, value);  // comprehension-optional: ignored
    b.add_raw(0x0030, value);
  });
  EXPECT_EQ(r.code(), 420);
  const auto unknown = r.get<stun::attr::UnknownAttributes>();
  ASSERT_EQ(unknown->size(), 2U);
  EXPECT_EQ((*unknown)[0], 0x7F01);
  EXPECT_EQ((*unknown)[1], 0x0030);
  EXPECT_TRUE(r.has(stun::AttrType::message_integrity));
  EXPECT_EQ(h.server().allocation_count(), 0U);
}

TEST(TurnAllocate, MalformedAttributesAre400) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const std::uint8_t three[3] = {0, 0, 1};
  EXPECT_EQ(c.allocate([&](stun::Builder& b) { b.add_raw(0x000D, three); }).code(), 400);  // LIFETIME
  EXPECT_EQ(c.allocate([&](stun::Builder& b) { b.add_raw(0x0018, three); }).code(), 400);  // EVEN-PORT
  EXPECT_EQ(c.allocate([&](stun::Builder& b) { b.add_raw(0x0022, three); }).code(),
            400);  // RESERVATION-TOKEN
  EXPECT_EQ(c.allocate([&](stun::Builder& b) { b.add_raw(0x0017, three); }).code(),
            400);  // REQUESTED-ADDRESS-FAMILY
  EXPECT_EQ(h.server().allocation_count(), 0U);
}

TEST(TurnAllocate, Ipv6RelayOnRequestAnd440WhenAFamilyIsOff) {
  ServerConfig config = default_config();
  config.relay_ipv6 = false;
  Harness h(config);
  Client c(h, Harness::tuple(1));
  const Response r =
      c.allocate([](stun::Builder& b) { b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv6); });
  EXPECT_EQ(r.code(), 440);
  EXPECT_TRUE(h.host().opened.empty());
  // A family value that is neither 1 nor 2 is not supported either.
  const std::uint8_t three[4] = {3, 0, 0, 0};
  EXPECT_EQ(c.allocate([&](stun::Builder& b) { b.add_raw(0x0017, three); }).code(), 440);

  Harness both;
  Client d(both, Harness::tuple6(1));
  const Response v6 =
      d.allocate([](stun::Builder& b) { b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv6); });
  ASSERT_TRUE(v6.success());
  EXPECT_EQ(v6.get<stun::attr::XorRelayedAddress>()->family, stun::Family::ipv6);

  ServerConfig no_v4 = default_config();
  no_v4.relay_ipv4 = false;
  Harness h4(no_v4);
  Client e(h4, Harness::tuple(1));
  EXPECT_EQ(e.allocate().code(), 440);  // no family asked = IPv4 (§7.2 step 7)
}

TEST(TurnAllocate, DualAllocationGetsBothFamilies) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r =
      c.allocate([](stun::Builder& b) { b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6); });
  ASSERT_TRUE(r.success());
  std::vector<stun::Family> families;
  const stun::Message m = r.message();  // the attribute walk refers to it
  for (const stun::Attribute& a : m.attributes())
    if (a.type == static_cast<std::uint16_t>(stun::AttrType::xor_relayed_address))
      families.push_back(stun::attr::XorRelayedAddress::decode(a.value, m.transaction_id())->family);
  EXPECT_EQ(families, (std::vector<stun::Family>{stun::Family::ipv4, stun::Family::ipv6}));
  EXPECT_FALSE(r.has(stun::AttrType::address_error_code));
  EXPECT_EQ(h.shared().allocations(), 1U);  // one allocation, two relays
  EXPECT_EQ(h.host().open.size(), 2U);
}

TEST(TurnAllocate, DualAllocationWithOneFamilyShortSaysWhyInAddressErrorCode) {
  Harness h;
  h.host().full_ipv6 = true;
  Client c(h, Harness::tuple(1));
  const Response r =
      c.allocate([](stun::Builder& b) { b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6); });
  ASSERT_TRUE(r.success());
  EXPECT_EQ(r.get<stun::attr::XorRelayedAddress>()->family, stun::Family::ipv4);
  const auto why = r.get<stun::attr::AddressErrorCode>();
  ASSERT_TRUE(why.ok());
  EXPECT_EQ(why->family, stun::Family::ipv6);
  EXPECT_EQ(why->code, 508);

  ServerConfig no_v6 = default_config();
  no_v6.relay_ipv6 = false;
  Harness h2(no_v6);
  Client d(h2, Harness::tuple(1));
  const Response r2 =
      d.allocate([](stun::Builder& b) { b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6); });
  ASSERT_TRUE(r2.success());
  EXPECT_EQ(r2.get<stun::attr::AddressErrorCode>()->code, 440);

  // Neither family: 508, and the quota is given back.
  Harness h3;
  h3.host().full_ipv4 = true;
  h3.host().full_ipv6 = true;
  Client e(h3, Harness::tuple(1));
  EXPECT_EQ(e.allocate([](stun::Builder& b) {
               b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6);
             }).code(),
            508);
  EXPECT_EQ(h3.shared().allocations(), 0U);
}

TEST(TurnAllocate, FamilyAttributeCombinationsThatAre400) {
  Harness h;
  Client c(h, Harness::tuple(1));
  // Step 6: both family attributes.
  EXPECT_EQ(c.allocate([](stun::Builder& b) {
               b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv4);
               b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6);
             }).code(),
            400);
  // Step 9: ADDITIONAL-ADDRESS-FAMILY can only be IPv6.
  EXPECT_EQ(c.allocate([](stun::Builder& b) {
               b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv4);
             }).code(),
            400);
  // Step 8: EVEN-PORT with R and a second family.
  EXPECT_EQ(c.allocate([](stun::Builder& b) {
               b.add<stun::attr::EvenPort>(true);
               b.add<stun::attr::AdditionalAddressFamily>(stun::Family::ipv6);
             }).code(),
            400);
  // Step 5: a RESERVATION-TOKEN comes alone.
  const ReservationToken token{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(c.allocate([&](stun::Builder& b) {
               b.add<stun::attr::ReservationToken>(token);
               b.add<stun::attr::EvenPort>(false);
             }).code(),
            400);
  EXPECT_EQ(c.allocate([&](stun::Builder& b) {
               b.add<stun::attr::ReservationToken>(token);
               b.add<stun::attr::RequestedAddressFamily>(stun::Family::ipv4);
             }).code(),
            400);
  EXPECT_TRUE(h.host().opened.empty());
}

TEST(TurnAllocate, EvenPortAndAReservationTokenForTheNextPort) {
  Harness h;
  h.host().next_port = 50001;
  Client c(h, Harness::tuple(1));
  const Response r = c.allocate([](stun::Builder& b) { b.add<stun::attr::EvenPort>(true); });
  ASSERT_TRUE(r.success());
  EXPECT_EQ(r.get<stun::attr::XorRelayedAddress>()->port, 50002);
  ASSERT_TRUE(h.host().opened[0].second.even);
  ASSERT_TRUE(h.host().opened[0].second.reserve_next);
  const auto token = r.get<stun::attr::ReservationToken>();
  ASSERT_TRUE(token.ok());

  // Another client (another 5-tuple, even another worker's) claims port 50003 with the token.
  Client d(h, Harness::tuple(2));
  const Response claimed = d.allocate([&](stun::Builder& b) { b.add<stun::attr::ReservationToken>(*token); });
  ASSERT_TRUE(claimed.success()) << claimed.code();
  EXPECT_EQ(claimed.get<stun::attr::XorRelayedAddress>()->port, 50003);
  EXPECT_EQ(h.host().opened.back().second.reserved, 50003);
  // A token works once.
  Client e(h, Harness::tuple(3));
  EXPECT_EQ(e.allocate([&](stun::Builder& b) { b.add<stun::attr::ReservationToken>(*token); }).code(), 508);
  EXPECT_TRUE(h.host().released.empty());
}

TEST(TurnAllocate, EvenPortWithoutReservation) {
  Harness h;
  h.host().next_port = 50001;
  Client c(h, Harness::tuple(1));
  const Response r = c.allocate([](stun::Builder& b) { b.add<stun::attr::EvenPort>(false); });
  ASSERT_TRUE(r.success());
  EXPECT_EQ(r.get<stun::attr::XorRelayedAddress>()->port % 2, 0);
  EXPECT_FALSE(r.has(stun::AttrType::reservation_token));
}

TEST(TurnAllocate, AnUnclaimedReservationGoesBackAfter30Seconds) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r = c.allocate([](stun::Builder& b) { b.add<stun::attr::EvenPort>(true); });
  const auto token = *r.get<stun::attr::ReservationToken>();
  const std::uint16_t next = static_cast<std::uint16_t>(r.get<stun::attr::XorRelayedAddress>()->port + 1);
  h.advance(29s);
  h.tick();
  EXPECT_TRUE(h.host().released.empty());
  h.advance(1s);
  h.tick();
  ASSERT_EQ(h.host().released.size(), 1U);
  EXPECT_EQ(h.host().released[0], std::make_pair(stun::Family::ipv4, next));
  Client d(h, Harness::tuple(2));
  EXPECT_EQ(d.allocate([&](stun::Builder& b) { b.add<stun::attr::ReservationToken>(token); }).code(), 508);
}

TEST(TurnAllocate, AForgedTokenIs508) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const ReservationToken token{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(c.allocate([&](stun::Builder& b) { b.add<stun::attr::ReservationToken>(token); }).code(), 508);
  EXPECT_TRUE(h.host().opened.empty());
  EXPECT_EQ(h.shared().allocations(), 0U);
}

TEST(TurnAllocate, QuotaPerUserIs486) {
  ServerConfig config = default_config();
  config.limits.allocations_per_user = 2;
  Harness h(config);
  Client a1(h, Harness::tuple(1)), a2(h, Harness::tuple(2)), a3(h, Harness::tuple(3));
  EXPECT_TRUE(a1.allocate().success());
  EXPECT_TRUE(a2.allocate().success());
  const Response over = a3.allocate();
  EXPECT_EQ(over.code(), 486);
  EXPECT_TRUE(over.has(stun::AttrType::message_integrity));
  EXPECT_EQ(h.host().opened.size(), 2U);
  EXPECT_EQ(h.metrics().refused_quota, 1U);
  // Another user still has room; and once alice frees one, she does too.
  Credentials bob;
  bob.username = "bob";
  bob.password = "bob-pass";
  Client b1(h, Harness::tuple(4), bob);
  EXPECT_TRUE(b1.allocate().success());
  EXPECT_TRUE(a1.refresh(0).success());
  EXPECT_TRUE(a3.allocate().success());
}

TEST(TurnAllocate, QuotaPerRestUserCountsTheNameNotTheExpiry) {
  ServerConfig config = default_config();
  config.limits.allocations_per_user = 1;
  Harness h(config);
  Credentials first;
  first.username = "1700003600:carol";
  first.password = "Eq7oRu4PpPTReDouiK36j6i0ES8=";
  Client c(h, Harness::tuple(1), first);
  EXPECT_TRUE(c.allocate().success());
  Credentials second;
  second.username = "1700000000:dave";  // expires right now: still valid (expired is strictly before)
  second.password = "O3HeSacRAIRUJ+Wjz4AWmIySQRw=";
  Client d(h, Harness::tuple(2), second);
  EXPECT_TRUE(d.allocate().success());
  Client again(h, Harness::tuple(3), first);
  EXPECT_EQ(again.allocate().code(), 486);
}

TEST(TurnAllocate, TotalQuotaIsSharedByAllWorkers) {
  ServerConfig config = default_config();
  config.limits.allocations_total = 2;
  Harness h(config);
  Harness worker2(config, h.shared());  // another worker's Server and Host, the same SharedState
  Client a(h, Harness::tuple(1));
  Client b(worker2, Harness::tuple(2));
  Client c(h, Harness::tuple(3));
  EXPECT_TRUE(a.allocate().success());
  EXPECT_TRUE(b.allocate().success());
  EXPECT_EQ(h.shared().allocations(), 2U);
  EXPECT_EQ(c.allocate().code(), 486);
  // A nonce from one worker is good on the other: the key is shared.
  Client d(worker2, Harness::tuple(4));
  d.learn(d.request(stun::Method::allocate));
  Client e(h, Harness::tuple(4));
  e.learn(e.request(stun::Method::allocate));
  e.nonce() = d.nonce();
  EXPECT_EQ(e.refresh(600).code(), 437);  // authenticated (not 438), but no allocation on this worker
  EXPECT_TRUE(b.refresh(0).success());
  EXPECT_TRUE(c.allocate().success());
}

TEST(TurnAllocate, NoFreePortIs508AndTheQuotaIsGivenBack) {
  Harness h;
  h.host().full_ipv4 = true;
  Client c(h, Harness::tuple(1));
  const Response r = c.allocate();
  EXPECT_EQ(r.code(), 508);
  EXPECT_EQ(h.host().opened.size(), 1U);
  EXPECT_EQ(h.shared().allocations(), 0U);
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_EQ(h.metrics().refused_quota, 1U);
  EXPECT_EQ(h.metrics().errors_by_code[11], 1U);  // 508
}

TEST(TurnAllocate, AllocationsOverTcpEndWithTheirConnection) {
  Harness h;
  Client c(h, Harness::tuple(1, Transport::tcp));
  ASSERT_TRUE(c.allocate().success());
  h.server().on_connection_closed(c.tuple(), h.now());
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_EQ(h.host().closed.size(), 1U);
  EXPECT_EQ(h.shared().allocations(), 0U);
}

TEST(TurnAllocate, AllocationExpiresAtItsLifetime) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  h.advance(599s);
  h.tick();
  EXPECT_EQ(h.server().allocation_count(), 1U);
  h.advance(1s);
  h.tick();
  EXPECT_EQ(h.server().allocation_count(), 0U);
  EXPECT_EQ(h.host().closed.size(), 1U);
  EXPECT_EQ(h.shared().allocations(), 0U);
  EXPECT_EQ(h.metrics().allocations, 0U);
}

TEST(TurnAllocate, AnExpiredAllocationIsGoneEvenBeforeTheTick) {
  Harness h;
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  h.advance(600s);
  // No tick: the 5-tuple is free again for a new Allocate.
  EXPECT_TRUE(c.allocate().success());
  EXPECT_EQ(h.host().closed.size(), 1U);
  EXPECT_EQ(h.shared().allocations(), 1U);
}

TEST(TurnAllocate, TickAsksToBeCalledAtTheNextExpiry) {
  Harness h;
  EXPECT_EQ(h.tick(), h.now().steady + 60s);
  Client c(h, Harness::tuple(1));
  ASSERT_TRUE(c.allocate().success());
  ASSERT_TRUE(c.permit({ip4(8, 8, 8, 8)}).success());
  EXPECT_EQ(h.tick(), h.now().steady + 60s);  // the first expiry (300 s) is further than a minute
  h.advance(299s);
  EXPECT_EQ(h.tick(), h.now().steady + 1s);
  h.advance(500ms);
  EXPECT_EQ(h.tick(), h.now().steady + 1s);  // never sooner than a second
}

TEST(TurnAllocate, UnknownMethodIs400WithoutAuthentication) {
  Harness h;
  Client c(h, Harness::tuple(1));
  const Response r = c.request(static_cast<stun::Method>(0x0ABC));
  EXPECT_EQ(r.code(), 400);
  EXPECT_EQ(h.metrics().requests[7], 1U);
}

}  // namespace
}  // namespace peerhub::turn::testing
