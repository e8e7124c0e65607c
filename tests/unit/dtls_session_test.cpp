// Two DTLS sessions on a virtual clock, datagrams passed by hand: handshake, SRTP keys, application data,
// fingerprints known early or late, close_notify.
#include <gtest/gtest.h>

#include "dtls_harness.hpp"

namespace peerhub::dtls {
namespace {

using testing::bytes_of;
using testing::Pair;
using testing::PairOptions;
using testing::Side;

TEST(DtlsSession, HandshakeCompletesWithMirroredSrtpKeys) {
  Pair pair;
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }, std::chrono::seconds(0)));

  const auto* c = Pair::find<Connected>(pair.client_events);
  const auto* s = Pair::find<Connected>(pair.server_events);
  ASSERT_TRUE(c && s);
  // Both offer GCM first, so GCM it is (RFC 5764 §4.1.1: the server picks from the client's list).
  ASSERT_EQ(c->srtp_profile, SrtpProfile::aead_aes128_gcm);
  EXPECT_EQ(s->srtp_profile, c->srtp_profile);
  EXPECT_EQ(c->keys, s->keys);  // one exporter, one layout: the client's client_write is the server's
  EXPECT_EQ(c->keys.client_write_key.size(), 16U);
  EXPECT_EQ(c->keys.client_write_salt.size(), 12U);
  EXPECT_NE(c->keys.client_write_key, c->keys.server_write_key);
  EXPECT_NE(c->keys.client_write_salt, c->keys.server_write_salt);

  EXPECT_EQ(pair.client.state(), State::connected);
  EXPECT_EQ(pair.server.state(), State::connected);
  EXPECT_EQ(pair.client.next_timeout(), std::nullopt);
  EXPECT_EQ(pair.server.next_timeout(), std::nullopt);
  // No loss, so no retransmission: ClientHello, server flight, client flight, server CCS+Finished fit in
  // a handful of datagrams.
  EXPECT_LE(pair.wire.size(), 10U);
  for (const auto& sent : pair.wire)
    EXPECT_LE(sent.bytes.size(), 1200U);
  // The certificate each side saw is the other's.
  EXPECT_EQ(Fingerprint::of(pair.server.remote_certificate(), HashAlgorithm::sha256),
            pair.client_certificate.fingerprint());
}

TEST(DtlsSession, NegotiatesTheProfileBothSupport) {
  PairOptions options;
  options.server_profiles = {SrtpProfile::aes128_cm_sha1_80};
  Pair pair(options);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  const auto* c = Pair::find<Connected>(pair.client_events);
  const auto* s = Pair::find<Connected>(pair.server_events);
  EXPECT_EQ(c->srtp_profile, SrtpProfile::aes128_cm_sha1_80);
  EXPECT_EQ(s->srtp_profile, SrtpProfile::aes128_cm_sha1_80);
  EXPECT_EQ(c->keys.client_write_salt.size(), 14U);
  EXPECT_EQ(c->keys, s->keys);
}

TEST(DtlsSession, WithoutUseSrtpConnectsWithoutKeys) {
  PairOptions options;
  options.client_profiles = {};
  Pair pair(options);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  EXPECT_EQ(Pair::find<Connected>(pair.client_events)->srtp_profile, std::nullopt);
  EXPECT_TRUE(Pair::find<Connected>(pair.server_events)->keys.client_write_key.empty());
}

TEST(DtlsSession, SmallMtuFragmentsTheFlights) {
  PairOptions options;
  options.mtu = 300;
  Pair pair(options);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  for (const auto& sent : pair.wire)
    EXPECT_LE(sent.bytes.size(), 300U) << testing::name(sent.from);
  EXPECT_LE(pair.client.max_application_data(), 300U);
  EXPECT_GT(pair.client.max_application_data(), 200U);
}

TEST(DtlsSession, ApplicationDataBothWays) {
  Pair pair;
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  const std::size_t max = pair.client.max_application_data();
  ASSERT_GT(max, 1100U);
  ASSERT_LT(max, 1200U);
  EXPECT_EQ(pair.server.max_application_data(), max);

  std::vector<std::vector<std::uint8_t>> to_server, to_client;
  for (std::size_t size : {std::size_t{1}, std::size_t{2}, std::size_t{100}, std::size_t{1000}, max}) {
    to_server.push_back(bytes_of(size, 7));
    to_client.push_back(bytes_of(size, 9));
    EXPECT_EQ(pair.client.send(to_server.back()), SendResult::sent);
    EXPECT_EQ(pair.server.send(to_client.back()), SendResult::sent);
  }
  pair.pump();
  EXPECT_EQ(Pair::data(pair.server_events), to_server);
  EXPECT_EQ(Pair::data(pair.client_events), to_client);
  for (const auto& sent : pair.wire)
    EXPECT_LE(sent.bytes.size(), 1200U);

  // One more byte than a record may carry within the MTU is refused, not cut or split.
  EXPECT_EQ(pair.client.send(bytes_of(max + 1)), SendResult::too_large);
  EXPECT_EQ(pair.client.send({}), SendResult::too_large);
  EXPECT_EQ(pair.client.poll_transmit(), std::nullopt);
}

TEST(DtlsSession, SixteenKibRecordsWithALargeMtu) {
  PairOptions options;
  options.mtu = kMaxMtu;  // e.g. loopback
  Pair pair(options);
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  ASSERT_EQ(pair.client.max_application_data(), 16384U);
  const auto big = bytes_of(16384, 3);
  EXPECT_EQ(pair.client.send(big), SendResult::sent);
  EXPECT_EQ(pair.server.send(big), SendResult::sent);
  EXPECT_EQ(pair.client.send(bytes_of(16385)), SendResult::too_large);
  pair.pump();
  ASSERT_EQ(Pair::data(pair.server_events).size(), 1U);
  EXPECT_EQ(Pair::data(pair.server_events)[0], big);
  ASSERT_EQ(Pair::data(pair.client_events).size(), 1U);
  EXPECT_EQ(Pair::data(pair.client_events)[0], big);
}

TEST(DtlsSession, SendBeforeConnectedIsRefused) {
  Pair pair;
  EXPECT_EQ(pair.client.send(bytes_of(10)), SendResult::not_connected);
  pair.start();
  EXPECT_EQ(pair.client.send(bytes_of(10)), SendResult::not_connected);
  EXPECT_EQ(pair.client.max_application_data(), 0U);
}

// The browser case: the answerer's ClientHello (and the whole handshake) arrives before the offerer has
// applied the answer and so knows the fingerprint.
TEST(DtlsSession, FingerprintSetAfterTheHandshakeStillConnects) {
  PairOptions options;
  options.server_knows_fingerprint = false;
  Pair pair(options);
  pair.start();
  pair.pump();
  EXPECT_TRUE(Pair::has<Connected>(pair.client_events));
  EXPECT_FALSE(Pair::has<Connected>(pair.server_events));
  EXPECT_EQ(pair.server.state(), State::awaiting_fingerprint);
  EXPECT_EQ(pair.server.send(bytes_of(5)), SendResult::not_connected);

  // The client already sends; the server holds the data until the peer is known.
  ASSERT_EQ(pair.client.send(bytes_of(42)), SendResult::sent);
  pair.pump();
  EXPECT_TRUE(Pair::data(pair.server_events).empty());

  pair.server.set_remote_fingerprint(pair.client_certificate.fingerprint());
  pair.drain();
  ASSERT_EQ(pair.server_events.size(), 2U);
  const auto* s = std::get_if<Connected>(&pair.server_events[0]);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->keys, Pair::find<Connected>(pair.client_events)->keys);
  ASSERT_EQ(Pair::data(pair.server_events).size(), 1U);
  EXPECT_EQ(Pair::data(pair.server_events)[0], bytes_of(42));
}

TEST(DtlsSession, FingerprintSetBetweenClientHelloAndCertificate) {
  PairOptions options;
  options.server_knows_fingerprint = false;
  Pair pair(options);
  pair.start();
  // Deliver only the ClientHello, then learn the fingerprint, then finish.
  auto hello = pair.client.poll_transmit();
  ASSERT_TRUE(hello);
  EXPECT_EQ(testing::handshake_type(hello->bytes), 1);  // client_hello
  pair.server.handle_datagram(pair.now, hello->bytes);
  pair.server.set_remote_fingerprint(
      Fingerprint::parse(pair.client_certificate.fingerprint().to_string()).value());
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
}

TEST(DtlsSession, FingerprintUnderAnotherHashAlgorithm) {
  PairOptions options;
  options.client_knows_fingerprint = false;
  Pair pair(options);
  pair.client.set_remote_fingerprint(pair.server_certificate.fingerprint(HashAlgorithm::sha512));
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
}

TEST(DtlsSession, WrongFingerprintKnownEarlyFails) {
  PairOptions options;
  options.client_knows_fingerprint = false;
  Pair pair(options);
  const Certificate stranger = testing::test_certificate();
  pair.client.set_remote_fingerprint(stranger.fingerprint());
  pair.start();
  pair.run_until([&] { return pair.client.state() == State::failed; });

  const auto* failed = Pair::find<Failed>(pair.client_events);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason, "the remote certificate's fingerprint does not match a=fingerprint");
  EXPECT_FALSE(Pair::has<Connected>(pair.client_events));
  // The client's alert ends the server's handshake too; nobody connected, nothing can be sent.
  pair.run_until([&] { return pair.server.state() == State::failed; }, std::chrono::seconds(60));
  EXPECT_FALSE(Pair::has<Connected>(pair.server_events));
  EXPECT_EQ(pair.server.state(), State::failed);
  // The client's alert says what happened in TLS terms.
  ASSERT_NE(Pair::find<Failed>(pair.server_events), nullptr);
  EXPECT_EQ(Pair::find<Failed>(pair.server_events)->reason,
            "DTLS handshake failed: sslv3 alert bad certificate");
  EXPECT_EQ(pair.client.send(bytes_of(3)), SendResult::not_connected);
  EXPECT_EQ(pair.client.next_timeout(), std::nullopt);
}

TEST(DtlsSession, WrongFingerprintLearnedLateFailsAndDropsHeldData) {
  PairOptions options;
  options.server_knows_fingerprint = false;
  Pair pair(options);
  pair.start();
  pair.pump();
  ASSERT_EQ(pair.server.state(), State::awaiting_fingerprint);
  ASSERT_EQ(pair.client.send(bytes_of(42)), SendResult::sent);
  pair.pump();

  pair.server.set_remote_fingerprint(testing::test_certificate().fingerprint());
  pair.drain();
  EXPECT_EQ(pair.server.state(), State::failed);
  const auto* failed = Pair::find<Failed>(pair.server_events);
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->reason, "the remote certificate's fingerprint does not match a=fingerprint");
  EXPECT_FALSE(Pair::has<Connected>(pair.server_events));
  EXPECT_TRUE(Pair::data(pair.server_events).empty());
}

TEST(DtlsSession, CloseNotifyClosesTheOtherSide) {
  Pair pair;
  pair.start();
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  pair.client.close(pair.now);
  EXPECT_EQ(pair.client.state(), State::closed);
  EXPECT_EQ(pair.client.send(bytes_of(1)), SendResult::not_connected);
  pair.pump();
  EXPECT_TRUE(Pair::has<Closed>(pair.server_events));
  EXPECT_EQ(pair.server.state(), State::closed);
  EXPECT_EQ(pair.server.send(bytes_of(1)), SendResult::not_connected);
  EXPECT_FALSE(Pair::has<Failed>(pair.server_events));
}

TEST(DtlsSession, GarbageDatagramsDoNotDisturbTheHandshake) {
  Pair pair;
  pair.start();
  for (std::size_t size : {std::size_t{1}, std::size_t{13}, std::size_t{100}, kMaxDatagramSize + 1}) {
    pair.server.handle_datagram(pair.now, bytes_of(size, 22));
    pair.client.handle_datagram(pair.now, bytes_of(size, 22));
  }
  ASSERT_TRUE(pair.run_until([&] { return pair.connected(); }));
  EXPECT_GE(pair.server.dropped(), 1U);  // the oversized one
  EXPECT_FALSE(Pair::has<Failed>(pair.client_events));
  EXPECT_FALSE(Pair::has<Failed>(pair.server_events));
}

TEST(DtlsSession, RoleFromSetup) {
  EXPECT_EQ(role_from_setup("active"), Role::client);
  EXPECT_EQ(role_from_setup("passive"), Role::server);
  EXPECT_EQ(role_from_setup("actpass"), std::nullopt);
  EXPECT_EQ(role_from_setup("holdconn"), std::nullopt);
}

TEST(DtlsSession, MtuOutOfRangeIsRefused) {
  const Certificate certificate = testing::test_certificate();
  Config config{.role = Role::client, .certificate = certificate};
  config.mtu = 100;
  EXPECT_THROW(Session{config}, std::invalid_argument);
  config.mtu = kMaxMtu + 1;
  EXPECT_THROW(Session{config}, std::invalid_argument);
}

}  // namespace
}  // namespace peerhub::dtls
