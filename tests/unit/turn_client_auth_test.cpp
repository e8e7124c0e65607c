// turn::Client's side of RFC 8489 §9.2 against answers written by hand, for what peerhub's own server never
// sends: a server without the nonce cookie (MD5), redirections, unsigned or forged success answers, odd
// challenges.
#include <gtest/gtest.h>

#include "stun/attributes.hpp"
#include "stun/integrity.hpp"
#include "turn_client_harness.hpp"

namespace peerhub::turn::testing {
namespace {

using namespace std::chrono_literals;

const std::string kCookieNonce = "obMatJos2AAABsomething-fresh";

// A client whose transmits are answered by the test.
class Scripted {
 public:
  Scripted() : client(client_config()) { client.start(now); }

  TimePoint now = TimePoint{} + 1h;
  TurnClient client;

  // The next request the client sent (bytes kept alive here).
  Response take() {
    auto t = client.poll_transmit();
    EXPECT_TRUE(t.has_value()) << "nothing sent";
    return t ? Response{t->bytes} : Response{};
  }
  // An answer to `request` of `cls`, built by `add`, handed to the client.
  Received answer(const Response& request, stun::Class cls, const AddAttributes& add) {
    last_answer.clear();
    const stun::Message m = request.message();
    stun::Builder b(last_answer, m.method(), cls, m.transaction_id());
    add(b);
    EXPECT_TRUE(b.ok()) << stun::to_string(b.error());
    return client.handle_datagram(now, last_answer);
  }
  std::vector<ClientEvent> events() {
    std::vector<ClientEvent> out;
    while (auto e = client.poll_event())
      out.push_back(std::move(*e));
    return out;
  }
  std::optional<Failed> failed() {
    for (auto& e : events())
      if (auto* f = std::get_if<Failed>(&e)) return *f;
    return std::nullopt;
  }

  Bytes last_answer;
};

void challenge(stun::Builder& b, std::string_view nonce,
               std::span<const stun::PasswordAlgorithmEntry> offered = {}, std::uint16_t code = 401) {
  b.add<stun::attr::ErrorCode>({code, code == 401 ? "Unauthenticated" : "Stale Nonce"});
  b.add<stun::attr::Realm>("r.example");
  b.add<stun::attr::Nonce>(nonce);
  if (!offered.empty()) b.add<stun::attr::PasswordAlgorithms>(offered);
}

stun::LongTermKey key(stun::PasswordAlgorithm a) {
  return *stun::long_term_key("alice", "r.example", "alice-pass", a);
}

void allocated(stun::Builder& b, const stun::LongTermKey& k, bool sha256) {
  b.add<stun::attr::XorRelayedAddress>(ip4(203, 0, 113, 7, 50000));
  b.add<stun::attr::Lifetime>(600);
  b.add<stun::attr::XorMappedAddress>(ip4(198, 51, 100, 1, 40001));
  if (sha256)
    b.add_message_integrity_sha256(k.bytes());
  else
    b.add_message_integrity(k.bytes());
}

const stun::PasswordAlgorithmEntry kBoth[] = {{2, {}}, {1, {}}};

TEST(TurnClientAuth, WithoutTheNonceCookieTheKeyIsMd5AndTheListIsIgnored) {
  Scripted s;
  const Response first = s.take();
  EXPECT_EQ(
      s.answer(first, stun::Class::error, [](stun::Builder& b) { challenge(b, "plain-nonce", kBoth); }).kind,
      Received::Kind::consumed);
  const Response second = s.take();
  EXPECT_FALSE(second.has(stun::AttrType::password_algorithm));
  EXPECT_FALSE(second.has(stun::AttrType::password_algorithms));
  EXPECT_FALSE(second.has(stun::AttrType::message_integrity_sha256));
  EXPECT_EQ(stun::verify_message_integrity(second.message(), key(stun::PasswordAlgorithm::md5).bytes()),
            stun::Error::none);
  s.answer(second, stun::Class::success,
           [](stun::Builder& b) { allocated(b, key(stun::PasswordAlgorithm::md5), false); });
  EXPECT_EQ(s.client.state(), TurnClient::State::allocated);
  EXPECT_EQ(s.client.relayed_address(), ip4(203, 0, 113, 7, 50000));
}

TEST(TurnClientAuth, WithTheCookieTheListIsEchoedAndSha256Chosen) {
  Scripted s;
  const Response first = s.take();
  s.answer(first, stun::Class::error, [](stun::Builder& b) { challenge(b, kCookieNonce, kBoth); });
  const Response second = s.take();
  EXPECT_EQ(second.get<stun::attr::PasswordAlgorithm>()->algorithm, 2);
  EXPECT_EQ(
      stun::verify_message_integrity_sha256(second.message(), key(stun::PasswordAlgorithm::sha256).bytes()),
      stun::Error::none);
  s.answer(second, stun::Class::success,
           [](stun::Builder& b) { allocated(b, key(stun::PasswordAlgorithm::sha256), true); });
  EXPECT_EQ(s.client.state(), TurnClient::State::allocated);
}

TEST(TurnClientAuth, Md5WhenThatIsAllTheServerOffers) {
  Scripted s;
  const stun::PasswordAlgorithmEntry md5_only[] = {{1, {}}};
  s.answer(s.take(), stun::Class::error, [&](stun::Builder& b) { challenge(b, kCookieNonce, md5_only); });
  const Response second = s.take();
  EXPECT_EQ(second.get<stun::attr::PasswordAlgorithm>()->algorithm, 1);
  EXPECT_EQ(
      stun::verify_message_integrity_sha256(second.message(), key(stun::PasswordAlgorithm::md5).bytes()),
      stun::Error::none);
}

TEST(TurnClientAuth, CookieWithoutPasswordAlgorithmsIsABidDownAndFails) {
  Scripted s;
  s.answer(s.take(), stun::Class::error, [](stun::Builder& b) { challenge(b, kCookieNonce); });
  const auto f = s.failed();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 401);
  EXPECT_NE(f->reason.find("lists none"), std::string::npos) << f->reason;
  EXPECT_FALSE(s.client.poll_transmit());
}

TEST(TurnClientAuth, NoKnownAlgorithmFails) {
  Scripted s;
  const stun::PasswordAlgorithmEntry unknown[] = {{7, {}}};
  s.answer(s.take(), stun::Class::error, [&](stun::Builder& b) { challenge(b, kCookieNonce, unknown); });
  const auto f = s.failed();
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->reason.find("neither SHA-256 nor MD5"), std::string::npos) << f->reason;
}

TEST(TurnClientAuth, UnsignedOrForgedSuccessAnswersAreDropped) {
  Scripted s;
  s.answer(s.take(), stun::Class::error, [](stun::Builder& b) { challenge(b, "plain-nonce"); });
  const Response second = s.take();
  // No integrity at all.
  EXPECT_EQ(s.answer(second, stun::Class::success,
                     [](stun::Builder& b) {
                       b.add<stun::attr::XorRelayedAddress>(ip4(6, 6, 6, 6, 6));
                       b.add<stun::attr::Lifetime>(600);
                     })
                .kind,
            Received::Kind::consumed);
  // Signed with another password.
  const auto wrong = *stun::long_term_key("alice", "r.example", "guess", stun::PasswordAlgorithm::md5);
  s.answer(second, stun::Class::success, [&](stun::Builder& b) { allocated(b, wrong, false); });
  EXPECT_EQ(s.client.state(), TurnClient::State::allocating);
  EXPECT_TRUE(s.events().empty());
  // The real answer still counts.
  s.answer(second, stun::Class::success,
           [](stun::Builder& b) { allocated(b, key(stun::PasswordAlgorithm::md5), false); });
  EXPECT_EQ(s.client.state(), TurnClient::State::allocated);
  // Its duplicate (a UDP retransmission of the answer) is recognised and ignored.
  EXPECT_EQ(s.client.handle_datagram(s.now, s.last_answer).kind, Received::Kind::consumed);
}

TEST(TurnClientAuth, TryAlternateFailsAndSaysRedirectionIsNotFollowed) {
  Scripted s;
  s.answer(s.take(), stun::Class::error, [](stun::Builder& b) {
    b.add<stun::attr::ErrorCode>({300, "Try Alternate"});
    b.add<stun::attr::AlternateServer>(ip4(198, 51, 100, 9, 3478));
  });
  const auto f = s.failed();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 300);
  EXPECT_NE(f->reason.find("198.51.100.9:3478"), std::string::npos) << f->reason;
  EXPECT_NE(f->reason.find("does not follow redirections"), std::string::npos) << f->reason;
  EXPECT_EQ(s.client.state(), TurnClient::State::failed);
}

TEST(TurnClientAuth, A438IsRetriedOnlyOnce) {
  Scripted s;
  s.answer(s.take(), stun::Class::error, [](stun::Builder& b) { challenge(b, "n1"); });
  s.answer(s.take(), stun::Class::error, [](stun::Builder& b) { challenge(b, "n2", {}, 438); });
  const Response third = s.take();
  EXPECT_EQ(third.get<stun::attr::Nonce>().value_or(""), "n2");
  s.answer(third, stun::Class::error, [](stun::Builder& b) { challenge(b, "n3", {}, 438); });
  const auto f = s.failed();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->code, 438);
  EXPECT_FALSE(s.client.poll_transmit());
}

TEST(TurnClientAuth, ASuccessWithoutRelayedAddressFailsInWords) {
  Scripted s;
  s.answer(s.take(), stun::Class::error, [](stun::Builder& b) { challenge(b, "n1"); });
  s.answer(s.take(), stun::Class::success, [](stun::Builder& b) {
    b.add<stun::attr::Lifetime>(600);
    b.add_message_integrity(key(stun::PasswordAlgorithm::md5).bytes());
  });
  const auto f = s.failed();
  ASSERT_TRUE(f.has_value());
  EXPECT_NE(f->reason.find("XOR-RELAYED-ADDRESS"), std::string::npos) << f->reason;
}

TEST(TurnClientAuth, NoCredentialsConfiguredFailsInWords) {
  ClientConfig c = client_config("", "");
  TurnClient client(c);
  const TimePoint now = TimePoint{} + 1h;
  client.start(now);
  const auto t = client.poll_transmit();
  ASSERT_TRUE(t);
  const stun::Message m = Response{t->bytes}.message();
  Bytes answer;
  stun::Builder b(answer, m.method(), stun::Class::error, m.transaction_id());
  challenge(b, "n1");
  client.handle_datagram(now, answer);
  const auto e = client.poll_event();
  ASSERT_TRUE(e && std::holds_alternative<Failed>(*e));
  EXPECT_NE(std::get<Failed>(*e).reason.find("none were configured"), std::string::npos);
}

TEST(TurnClientAuth, TransactionIdsComeFromTheRandomFill) {
  ClientConfig c = client_config();
  c.random_fill = [](std::span<std::uint8_t> out) { std::fill(out.begin(), out.end(), 0xAB); };
  TurnClient client(c);
  client.start(TimePoint{} + 1h);
  const auto t = client.poll_transmit();
  ASSERT_TRUE(t);
  stun::TransactionId expected;
  expected.fill(0xAB);
  EXPECT_EQ(Response{t->bytes}.message().transaction_id(), expected);
}

}  // namespace
}  // namespace peerhub::turn::testing
