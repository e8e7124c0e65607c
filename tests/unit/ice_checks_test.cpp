// One agent and hand-made STUN messages: what a check looks like on the wire (RFC 8445 §7.1), and how each
// kind of request is answered (§7.3, RFC 8489 §9.1.3): 400, 401, 487, or a signed success.
#include <gtest/gtest.h>

#include "ice/username.hpp"
#include "ice_harness.hpp"
#include "stun/integrity.hpp"
#include "stun_vectors.hpp"

namespace peerhub::ice::testing {
namespace {

const stun::Address kLocal = ip4(10, 0, 0, 1, 5000);
const stun::Address kPeer = ip4(10, 0, 0, 2, 6000);
const std::string kUfrag = "loca";
const std::string kPwd = "local-password-0123456789";
const std::string kRemoteUfrag = "remo";
const std::string kRemotePwd = "remote-password-0123456789";
const TimePoint kNow = TimePoint{} + 1000h;

std::span<const std::uint8_t> key(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

struct Request {
  std::optional<std::string> username = kUfrag + ":" + kRemoteUfrag;
  std::optional<std::uint32_t> priority = 1853759231;
  std::optional<std::uint64_t> controlling = 5;
  std::optional<std::uint64_t> controlled;
  bool use_candidate = false;
  bool network_info = false;  // Chromium's GOOG-NETWORK-INFO (0xC057), comprehension-optional
  std::string key = kPwd;
  bool integrity = true;
  bool fingerprint = true;
  stun::TransactionId id{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

  Bytes build() const {
    Bytes out;
    stun::Builder b(out, stun::Method::binding, stun::Class::request, id);
    if (username) b.add<stun::attr::Username>(*username);
    if (priority) b.add<stun::attr::Priority>(*priority);
    if (controlling) b.add<stun::attr::IceControlling>(*controlling);
    if (controlled) b.add<stun::attr::IceControlled>(*controlled);
    if (use_candidate) b.add<stun::attr::UseCandidate>(stun::Empty{});
    if (network_info) b.add_raw(0xC057, std::vector<std::uint8_t>{0x00, 0x01, 0x03, 0xE7});
    if (integrity) b.add_message_integrity(testing::key(key));
    if (fingerprint) b.add_fingerprint();
    EXPECT_TRUE(b.ok());
    return out;
  }
};

Config agent_config(Role role, std::uint64_t tie_breaker) {
  Config c = config(role, 7);
  c.ufrag = kUfrag;
  c.pwd = kPwd;
  c.tie_breaker = tie_breaker;
  return c;
}

struct One {
  Agent agent;
  explicit One(Role role = Role::controlled, std::uint64_t tie_breaker = 100)
      : agent(agent_config(role, tie_breaker)) {
    agent.add_local_base(kNow, LocalBase{1, kLocal, Transport::udp});
    while (agent.poll_event()) {
    }
  }
  // Feeds `bytes` from the peer; returns the one answer, if any.
  std::optional<Bytes> answer(const Bytes& bytes, Received::Kind expected = Received::Kind::ice) {
    const Received r = agent.handle_datagram(kNow, 1, kPeer, bytes);
    EXPECT_EQ(r.kind, expected);
    std::optional<Bytes> out;
    while (auto t = agent.poll_transmit()) {
      if (!stun::looks_like_stun(t->bytes) || stun::Message::parse(t->bytes)->cls() == stun::Class::request)
        continue;
      EXPECT_FALSE(out.has_value()) << "two answers";
      EXPECT_EQ(t->destination, kPeer);
      EXPECT_EQ(t->base_id, 1U);
      out = t->bytes;
    }
    return out;
  }
};

std::uint16_t error_code(const Bytes& bytes) {
  const auto m = stun::Message::parse(bytes);
  EXPECT_TRUE(m.ok());
  if (!m || m->cls() != stun::Class::error) return 0;
  return m->get<stun::attr::ErrorCode>().value_or({}).code;
}

TEST(IceChecks, ASuccessIsSignedAndSaysWhereTheCheckCameFrom) {
  One one;
  const auto answer = one.answer(Request{}.build());
  ASSERT_TRUE(answer.has_value());
  const auto m = stun::Message::parse(*answer);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->cls(), stun::Class::success);
  EXPECT_EQ(m->transaction_id(), Request{}.id);
  EXPECT_EQ(*m->get<stun::attr::XorMappedAddress>(), kPeer);
  EXPECT_EQ(stun::verify_message_integrity(*m, key(kPwd)), stun::Error::none);
  EXPECT_EQ(stun::verify_fingerprint(*m), stun::Error::none);
}

TEST(IceChecks, Rfc5769SampleRequestIsAnswered) {
  // RFC 5769 §2.1 is an ICE check: USERNAME "evtj:h6vY", PRIORITY, ICE-CONTROLLED, signed with the
  // short-term password "VOkJxbRl1RmTxUk/WvJxBt".
  Config c = config(Role::controlling, 3);
  c.ufrag = "evtj";
  c.pwd = std::string(stun::test::kShortTermPassword);
  Agent agent(c);
  agent.add_local_base(kNow, LocalBase{1, kLocal, Transport::udp});
  while (agent.poll_transmit()) {
  }
  EXPECT_EQ(agent.handle_datagram(kNow, 1, kPeer, stun::test::kSampleRequest).kind, Received::Kind::ice);
  const auto t = agent.poll_transmit();
  ASSERT_TRUE(t.has_value());
  const auto m = stun::Message::parse(t->bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->cls(), stun::Class::success);
  EXPECT_EQ(stun::verify_message_integrity(*m, key(c.pwd)), stun::Error::none);
  EXPECT_EQ(agent.role(), Role::controlling);  // the peer is controlled: no conflict
}

TEST(IceChecks, ChromiumExtraAttributesAreIgnored) {
  One one;
  Request r;
  r.network_info = true;
  r.use_candidate = true;
  const auto a = one.answer(r.build());
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(stun::Message::parse(*a)->cls(), stun::Class::success);
}

TEST(IceChecks, TheLocalUfragNamesTheAgentACheckIsFor) {
  EXPECT_EQ(binding_request_local_ufrag(Request{}.build()), kUfrag);
  EXPECT_EQ(binding_request_local_ufrag(stun::test::kSampleRequest), "evtj");
  Request no_username;
  no_username.username.reset();
  EXPECT_EQ(binding_request_local_ufrag(no_username.build()), std::nullopt);
  Request no_colon;
  no_colon.username = "loca";
  EXPECT_EQ(binding_request_local_ufrag(no_colon.build()), std::nullopt);
  EXPECT_EQ(binding_request_local_ufrag(Bytes{0x16, 0xFE, 0xFD, 0, 0}), std::nullopt);
  EXPECT_EQ(binding_request_local_ufrag(stun::test::kSampleIpv4Response), std::nullopt);  // not a request
}

TEST(IceChecks, MissingAttributesAre400) {
  One one;
  Request no_username;
  no_username.username.reset();
  EXPECT_EQ(error_code(one.answer(no_username.build()).value_or(Bytes{})), 400);
  Request no_integrity;
  no_integrity.integrity = false;
  EXPECT_EQ(error_code(one.answer(no_integrity.build()).value_or(Bytes{})), 400);
  Request no_priority;
  no_priority.priority.reset();
  EXPECT_EQ(error_code(one.answer(no_priority.build()).value_or(Bytes{})), 400);
  Request no_role;
  no_role.controlling.reset();
  EXPECT_EQ(error_code(one.answer(no_role.build()).value_or(Bytes{})), 400);
}

TEST(IceChecks, WrongCredentialsAre401WithoutIntegrity) {
  One one;
  Request wrong_key;
  wrong_key.key = "guessed-password-0123456789";
  const auto a = one.answer(wrong_key.build());
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(error_code(*a), 401);
  EXPECT_FALSE(stun::Message::parse(*a)->has(stun::AttrType::message_integrity));
  Request wrong_ufrag;
  wrong_ufrag.username = "nope:" + kRemoteUfrag;
  EXPECT_EQ(error_code(one.answer(wrong_ufrag.build()).value_or(Bytes{})), 401);
  Request no_colon;
  no_colon.username = kUfrag;
  EXPECT_EQ(error_code(one.answer(no_colon.build()).value_or(Bytes{})), 401);
}

TEST(IceChecks, WithoutFingerprintNothingIsAnswered) {
  One one;
  Request r;
  r.fingerprint = false;
  EXPECT_FALSE(one.answer(r.build()).has_value());
}

TEST(IceChecks, RoleConflictWhenBothControlling) {
  // Our tie-breaker is larger: the peer must switch (487), we stay controlling.
  One high(Role::controlling, 1000);
  Request r;
  r.controlling = 999;
  EXPECT_EQ(error_code(high.answer(r.build()).value_or(Bytes{})), 487);
  EXPECT_EQ(high.agent.role(), Role::controlling);
  // Smaller: we switch to controlled and answer.
  One low(Role::controlling, 10);
  r.controlling = 999;
  const auto a = low.answer(r.build());
  EXPECT_EQ(stun::Message::parse(*a)->cls(), stun::Class::success);
  EXPECT_EQ(low.agent.role(), Role::controlled);
}

TEST(IceChecks, RoleConflictWhenBothControlled) {
  One high(Role::controlled, 1000);
  Request r;
  r.controlling.reset();
  r.controlled = 999;
  const auto a = high.answer(r.build()).value_or(Bytes{});
  EXPECT_EQ(stun::Message::parse(a)->cls(), stun::Class::success);
  EXPECT_EQ(high.agent.role(), Role::controlling);
  One low(Role::controlled, 10);
  EXPECT_EQ(error_code(low.answer(r.build()).value_or(Bytes{})), 487);
  EXPECT_EQ(low.agent.role(), Role::controlled);
}

TEST(IceChecks, OurCheckOnTheWire) {
  One one(Role::controlling, 0x1122334455667788ULL);
  one.agent.set_remote_credentials(kRemoteUfrag, kRemotePwd);
  Candidate c = *parse_candidate("candidate:1 1 udp 2130706431 10.0.0.2 6000 typ host").candidate;
  one.agent.add_remote_candidate(kNow, c);
  one.agent.handle_timeout(kNow);
  const auto t = one.agent.poll_transmit();
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->destination, kPeer);
  EXPECT_EQ(t->source, kLocal);
  const auto m = stun::Message::parse(t->bytes);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->cls(), stun::Class::request);
  EXPECT_EQ(*m->get<stun::attr::Username>(), kRemoteUfrag + ":" + kUfrag);
  EXPECT_EQ(*m->get<stun::attr::Priority>(), candidate_priority(CandidateType::prflx, 65535));
  EXPECT_EQ(*m->get<stun::attr::IceControlling>(), 0x1122334455667788ULL);
  EXPECT_FALSE(m->has(stun::AttrType::ice_controlled));
  EXPECT_FALSE(m->has(stun::AttrType::use_candidate));
  EXPECT_EQ(stun::verify_message_integrity(*m, key(kRemotePwd)), stun::Error::none);
  EXPECT_EQ(stun::verify_fingerprint(*m), stun::Error::none);

  // An answer signed with another key is dropped as if it never came; the check is retransmitted.
  const auto respond = [&](const std::string& with) {
    Bytes out;
    stun::Builder b(out, stun::Method::binding, stun::Class::success, m->transaction_id());
    b.add<stun::attr::XorMappedAddress>(kLocal);
    b.add_message_integrity(key(with));
    b.add_fingerprint();
    return out;
  };
  one.agent.handle_datagram(kNow, 1, kPeer, respond("forged-password-0123456789"));
  one.agent.handle_timeout(kNow + 600ms);
  EXPECT_TRUE(one.agent.poll_transmit().has_value());  // the retransmission
  // The right one makes the pair valid, and the controlling agent nominates it.
  one.agent.handle_datagram(kNow + 600ms, 1, kPeer, respond(kRemotePwd));
  one.agent.handle_timeout(kNow + 700ms);
  bool nominated = false;
  while (auto n = one.agent.poll_transmit()) {
    const auto x = stun::Message::parse(n->bytes);
    if (x && x->cls() == stun::Class::request && x->has(stun::AttrType::use_candidate)) nominated = true;
  }
  EXPECT_TRUE(nominated);
}

TEST(IceChecks, ApplicationDataOnlyFromKnownAddresses) {
  One one;
  const Bytes dtls = {0x16, 0xFE, 0xFD, 0, 0};
  // Nobody known yet: ignored.
  EXPECT_EQ(one.agent.handle_datagram(kNow, 1, kPeer, dtls).kind, Received::Kind::ignored);
  // A check makes the peer known (peer-reflexive), after which its data is handed over.
  one.answer(Request{}.build());
  const Received r = one.agent.handle_datagram(kNow, 1, kPeer, dtls);
  EXPECT_EQ(r.kind, Received::Kind::data);
  EXPECT_EQ(Bytes(r.data.begin(), r.data.end()), dtls);
  EXPECT_EQ(r.from, kPeer);
  EXPECT_FALSE(r.selected);
  // STUN-shaped garbage is ICE's and goes nowhere; an unknown base is ignored.
  Bytes garbage = Request{}.build();
  garbage.back() ^= 0xFF;  // a broken FINGERPRINT
  EXPECT_EQ(one.answer(garbage), std::nullopt);
  EXPECT_EQ(one.agent.handle_datagram(kNow, 42, kPeer, dtls).kind, Received::Kind::ignored);
}

TEST(IceChecks, LiteAgentSelectsThePairItWasNominatedOn) {
  Config c = agent_config(Role::controlled, 1);
  c.lite = true;
  Agent lite(c);
  lite.add_local_base(kNow, LocalBase{1, kLocal, Transport::udp});
  Request r;
  r.use_candidate = true;
  lite.handle_datagram(kNow, 1, kPeer, r.build());
  ASSERT_TRUE(lite.selected_pair().has_value());
  EXPECT_EQ(lite.selected_pair()->remote.address, kPeer);
  EXPECT_EQ(lite.selected_pair()->remote.type, CandidateType::prflx);
  EXPECT_EQ(lite.selected_pair()->remote.priority, 1853759231U);
  EXPECT_EQ(lite.state(), State::connected);
  EXPECT_TRUE(lite.send(kNow, Bytes{0x17, 0}));
}

TEST(IceChecks, LiteAgentKeepsAQuietPairAliveThenGivesUp) {
  Config c = agent_config(Role::controlled, 1);
  c.lite = true;
  Agent lite(c);
  lite.add_local_base(kNow, LocalBase{1, kLocal, Transport::udp});
  Request r;
  r.use_candidate = true;
  lite.handle_datagram(kNow, 1, kPeer, r.build());
  while (lite.poll_transmit()) {
  }
  // Nothing sent for 15 s: a Binding indication (RFC 8445 §11).
  TimePoint now = kNow;
  int indications = 0;
  while (lite.state() != State::failed && now < kNow + 60s) {
    const auto due = lite.next_timeout();
    ASSERT_TRUE(due.has_value());
    now = *due;
    lite.handle_timeout(now);
    while (auto t = lite.poll_transmit()) {
      const auto m = stun::Message::parse(t->bytes);
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(m->cls(), stun::Class::indication);
      EXPECT_EQ(stun::verify_fingerprint(*m), stun::Error::none);
      EXPECT_EQ(t->destination, kPeer);
      ++indications;
    }
  }
  EXPECT_EQ(indications, 1);  // at 15 s; the next would be at 30 s, when the silent peer is given up
  EXPECT_EQ(lite.state(), State::failed);
  EXPECT_EQ(now - kNow, 30s);
}

// One controlling agent with one remote candidate: the check it sends, and an answer built for it.
struct Checking {
  One one{Role::controlling, 50};
  stun::TransactionId id{};
  Checking() {
    one.agent.set_remote_credentials(kRemoteUfrag, kRemotePwd);
    one.agent.add_remote_candidate(
        kNow, *parse_candidate("candidate:1 1 udp 2130706431 10.0.0.2 6000 typ host").candidate);
    one.agent.handle_timeout(kNow);
    const auto t = one.agent.poll_transmit();
    EXPECT_TRUE(t.has_value());
    if (t) id = stun::Message::parse(t->bytes)->transaction_id();
  }
  Bytes answer(stun::Class cls, std::uint16_t code = 0) const {
    Bytes out;
    stun::Builder b(out, stun::Method::binding, cls, id);
    if (cls == stun::Class::success) b.add<stun::attr::XorMappedAddress>(kLocal);
    if (code != 0) b.add<stun::attr::ErrorCode>(stun::ErrorCodeValue{code, "Role Conflict"});
    if (code != 401) b.add_message_integrity(key(kRemotePwd));  // RFC 8489 §9.1.3: 401 is unsigned
    b.add_fingerprint();
    return out;
  }
};

TEST(IceChecks, A487AnswerSwitchesRoleAndChecksAgain) {
  Checking c;
  c.one.agent.handle_datagram(kNow + 10ms, 1, kPeer, c.answer(stun::Class::error, 487));
  EXPECT_EQ(c.one.agent.role(), Role::controlled);
  c.one.agent.handle_timeout(kNow + 60ms);
  bool again = false;
  while (auto t = c.one.agent.poll_transmit()) {
    const auto m = stun::Message::parse(t->bytes);
    if (m && m->cls() == stun::Class::request) {
      again = true;
      EXPECT_TRUE(m->has(stun::AttrType::ice_controlled));
      EXPECT_FALSE(m->has(stun::AttrType::ice_controlling));
    }
  }
  EXPECT_TRUE(again);
}

TEST(IceChecks, AnAnswerFromElsewhereFailsThePair) {
  // §7.2.5.2.1: the response must come from where the check went.
  Checking c;
  c.one.agent.remote_end_of_candidates(kNow);
  c.one.agent.handle_datagram(kNow + 10ms, 1, ip4(10, 0, 0, 66, 6000), c.answer(stun::Class::success));
  EXPECT_EQ(c.one.agent.state(), State::failed);
  EXPECT_FALSE(c.one.agent.selected_pair().has_value());
}

TEST(IceChecks, AnUnsigned401FailsThePairAtOnce) {
  Checking c;
  c.one.agent.remote_end_of_candidates(kNow);
  c.one.agent.handle_datagram(kNow + 10ms, 1, kPeer, c.answer(stun::Class::error, 401));
  EXPECT_EQ(c.one.agent.state(), State::failed);
}

}  // namespace
}  // namespace peerhub::ice::testing
