// SRTP sessions keyed by a real DTLS handshake between two dtls::Sessions: what one side protects the
// other unprotects, for both profiles, RTP and RTCP; tampering, replay and the bounded window are refused.
#include <gtest/gtest.h>

#include <utility>

#include "dtls_harness.hpp"
#include "srtp/session.hpp"

namespace peerhub::srtp {
namespace {

using dtls::testing::Pair;
using dtls::testing::PairOptions;

// RFC 3550 §5.1: V=2, PT 111, sequence number, timestamp, SSRC, then the payload.
std::vector<std::uint8_t> rtp_packet(std::uint16_t seq, std::uint32_t ssrc, std::size_t payload = 160) {
  std::vector<std::uint8_t> p = {0x80,
                                 111,
                                 static_cast<std::uint8_t>(seq >> 8),
                                 static_cast<std::uint8_t>(seq),
                                 0,
                                 0,
                                 static_cast<std::uint8_t>(seq >> 4),
                                 static_cast<std::uint8_t>(seq << 4),
                                 static_cast<std::uint8_t>(ssrc >> 24),
                                 static_cast<std::uint8_t>(ssrc >> 16),
                                 static_cast<std::uint8_t>(ssrc >> 8),
                                 static_cast<std::uint8_t>(ssrc)};
  for (std::size_t i = 0; i < payload; ++i)
    p.push_back(static_cast<std::uint8_t>(seq + i));
  return p;
}

// RFC 3550 §6.4.2: a receiver report with no blocks (8 bytes), then a 12-byte APP-like tail to encrypt.
std::vector<std::uint8_t> rtcp_packet(std::uint32_t ssrc) {
  return {0x80, 201, 0, 1, static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
          static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc),
          // a second compound part: SDES-ish filler of one word
          0x81, 202, 0, 1, 1, 2, 3, 4};
}

struct Keyed {
  SrtpProfile profile;
  dtls::SrtpKeyMaterial client_keys;
  dtls::SrtpKeyMaterial server_keys;
};

// A DTLS handshake on a virtual clock, with only `profile` acceptable to the server.
Keyed handshake(SrtpProfile profile) {
  PairOptions options;
  options.server_profiles = {profile};
  Pair pair(options);
  pair.start();
  EXPECT_TRUE(pair.run_until([&] { return pair.connected(); }));
  const auto* c = Pair::find<dtls::Connected>(pair.client_events);
  const auto* s = Pair::find<dtls::Connected>(pair.server_events);
  EXPECT_TRUE(c && s);
  EXPECT_EQ(c->srtp_profile, profile);
  return {profile, c->keys, s->keys};
}

class SrtpBothProfiles : public ::testing::TestWithParam<SrtpProfile> {};

INSTANTIATE_TEST_SUITE_P(Profiles, SrtpBothProfiles,
                         ::testing::Values(SrtpProfile::aes128_cm_sha1_80, SrtpProfile::aead_aes128_gcm),
                         [](const auto& param_info) {
                           return param_info.param == SrtpProfile::aead_aes128_gcm
                                      ? std::string("Gcm")
                                      : std::string("AesCmSha1_80");
                         });

TEST_P(SrtpBothProfiles, RtpAndRtcpBothWays) {
  const Keyed k = handshake(GetParam());
  Session client(k.profile, k.client_keys, dtls::Role::client);
  Session server(k.profile, k.server_keys, dtls::Role::server);
  const std::size_t tag = GetParam() == SrtpProfile::aead_aes128_gcm ? 16 : 10;
  EXPECT_EQ(client.rtp_trailer(), tag);
  EXPECT_EQ(client.rtcp_trailer(), tag + 4);

  for (auto [from, to] : {std::pair{&client, &server}, std::pair{&server, &client}}) {
    for (std::uint16_t seq = 1; seq <= 5; ++seq) {
      const auto plain = rtp_packet(seq, 0x11223344);
      auto packet = plain;
      packet.reserve(packet.size() + kMaxTrailer);
      ASSERT_EQ(from->protect_rtp(packet), Error::ok);
      ASSERT_EQ(packet.size(), plain.size() + tag);
      EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 12, packet.begin()));      // header in clear
      EXPECT_FALSE(std::equal(plain.begin() + 12, plain.end(), packet.begin() + 12));  // payload not
      std::span<std::uint8_t> view(packet);
      ASSERT_EQ(to->unprotect_rtp(view), Error::ok) << to_string(to->unprotect_rtp(view));
      EXPECT_EQ(std::vector<std::uint8_t>(view.begin(), view.end()), plain);
    }
    const auto plain = rtcp_packet(0x55667788);
    auto packet = plain;
    ASSERT_EQ(from->protect_rtcp(packet), Error::ok);
    ASSERT_EQ(packet.size(), plain.size() + tag + 4);
    std::span<std::uint8_t> view(packet);
    ASSERT_EQ(to->unprotect_rtcp(view), Error::ok);
    EXPECT_EQ(std::vector<std::uint8_t>(view.begin(), view.end()), plain);
  }
}

TEST_P(SrtpBothProfiles, TamperedByteFailsAuthentication) {
  const Keyed k = handshake(GetParam());
  Session client(k.profile, k.client_keys, dtls::Role::client);
  Session server(k.profile, k.server_keys, dtls::Role::server);
  auto packet = rtp_packet(7, 1);
  ASSERT_EQ(client.protect_rtp(packet), Error::ok);
  for (std::size_t at : {std::size_t{1}, std::size_t{20}, packet.size() - 1}) {  // header, payload, tag
    auto tampered = packet;
    tampered[at] ^= 0x01;
    std::span<std::uint8_t> view(tampered);
    EXPECT_EQ(server.unprotect_rtp(view), Error::auth_failed) << "byte " << at;
  }
  // The failures left no trace: the genuine packet still passes.
  std::span<std::uint8_t> view(packet);
  EXPECT_EQ(server.unprotect_rtp(view), Error::ok);

  auto rtcp = rtcp_packet(1);
  ASSERT_EQ(client.protect_rtcp(rtcp), Error::ok);
  rtcp[10] ^= 0x80;
  std::span<std::uint8_t> rtcp_view(rtcp);
  EXPECT_EQ(server.unprotect_rtcp(rtcp_view), Error::auth_failed);
  EXPECT_EQ(to_string(Error::auth_failed),
            "authentication failed (tampered with, or protected with other keys)");
}

TEST_P(SrtpBothProfiles, ReplayedPacketIsRefused) {
  const Keyed k = handshake(GetParam());
  Session client(k.profile, k.client_keys, dtls::Role::client);
  Session server(k.profile, k.server_keys, dtls::Role::server);
  auto packet = rtp_packet(9, 1);
  ASSERT_EQ(client.protect_rtp(packet), Error::ok);
  auto copy = packet;
  std::span<std::uint8_t> first(packet);
  ASSERT_EQ(server.unprotect_rtp(first), Error::ok);
  std::span<std::uint8_t> again(copy);
  EXPECT_EQ(server.unprotect_rtp(again), Error::replayed);

  auto rtcp = rtcp_packet(1);
  ASSERT_EQ(client.protect_rtcp(rtcp), Error::ok);
  auto rtcp_copy = rtcp;
  std::span<std::uint8_t> rtcp_first(rtcp);
  ASSERT_EQ(server.unprotect_rtcp(rtcp_first), Error::ok);
  std::span<std::uint8_t> rtcp_again(rtcp_copy);
  EXPECT_EQ(server.unprotect_rtcp(rtcp_again), Error::replayed);
}

TEST_P(SrtpBothProfiles, OwnPacketsDoNotAuthenticateAsThePeers) {
  const Keyed k = handshake(GetParam());
  Session client(k.profile, k.client_keys, dtls::Role::client);
  Session other_client(k.profile, k.client_keys, dtls::Role::client);
  auto packet = rtp_packet(1, 1);
  ASSERT_EQ(client.protect_rtp(packet), Error::ok);
  std::span<std::uint8_t> view(packet);
  // A reflected packet is checked with the server_write keys: it fails.
  EXPECT_EQ(other_client.unprotect_rtp(view), Error::auth_failed);
}

TEST(SrtpSession, ReplayWindowIsBounded) {
  const Keyed k = handshake(SrtpProfile::aes128_cm_sha1_80);
  Session client(k.profile, k.client_keys, dtls::Role::client);
  Session narrow(k.profile, k.server_keys, dtls::Role::server, Options{.replay_window = 64});
  Session wide(k.profile, k.server_keys, dtls::Role::server, Options{.replay_window = 1024});

  std::vector<std::vector<std::uint8_t>> sent;
  for (std::uint16_t seq = 1; seq <= 200; ++seq) {
    auto p = rtp_packet(seq, 42);
    ASSERT_EQ(client.protect_rtp(p), Error::ok);
    sent.push_back(std::move(p));
  }
  // Everything but seq 5 arrives; seq 5 arrives last, 195 packets late.
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (i == 4) continue;
    for (Session* s : {&narrow, &wide}) {
      auto copy = sent[i];
      std::span<std::uint8_t> view(copy);
      ASSERT_EQ(s->unprotect_rtp(view), Error::ok);
    }
  }
  auto late1 = sent[4], late2 = sent[4];
  std::span<std::uint8_t> v1(late1), v2(late2);
  EXPECT_EQ(narrow.unprotect_rtp(v1), Error::replayed);  // older than 64 packets
  EXPECT_EQ(wide.unprotect_rtp(v2), Error::ok);          // within 1024
}

TEST(SrtpSession, ShortAndMalformedInputs) {
  const Keyed k = handshake(SrtpProfile::aead_aes128_gcm);
  Session client(k.profile, k.client_keys, dtls::Role::client);
  std::vector<std::uint8_t> tiny(11, 0x80);
  EXPECT_EQ(client.protect_rtp(tiny), Error::too_short);
  EXPECT_EQ(tiny.size(), 11U);
  std::vector<std::uint8_t> tiny_rtcp(7, 0x80);
  EXPECT_EQ(client.protect_rtcp(tiny_rtcp), Error::too_short);
  std::vector<std::uint8_t> short_srtp(20, 0x80);
  std::span<std::uint8_t> view(short_srtp);
  EXPECT_EQ(client.unprotect_rtp(view), Error::too_short);
  EXPECT_EQ(view.size(), 20U);
  std::vector<std::uint8_t> huge(kMaxPacket, 0x80);
  EXPECT_EQ(client.protect_rtp(huge), Error::too_long);
}

TEST(SrtpSession, KeysOfTheWrongLengthAreRefused) {
  const Keyed k = handshake(SrtpProfile::aead_aes128_gcm);
  // GCM keys have 12-byte salts; AES-CM needs 14.
  EXPECT_THROW(Session(SrtpProfile::aes128_cm_sha1_80, k.client_keys, dtls::Role::client),
               std::invalid_argument);
  EXPECT_THROW(Session(SrtpProfile::aead_aes128_gcm, dtls::SrtpKeyMaterial{}, dtls::Role::client),
               std::invalid_argument);
}

TEST(SrtpSession, ManySessionsInitialiseLibsrtpOnce) {
  const Keyed k = handshake(SrtpProfile::aead_aes128_gcm);
  std::vector<Session> sessions;
  for (int i = 0; i < 50; ++i)
    sessions.emplace_back(k.profile, k.client_keys, dtls::Role::client);
  Session moved = std::move(sessions.back());
  auto packet = rtp_packet(1, 1);
  EXPECT_EQ(moved.protect_rtp(packet), Error::ok);
}

}  // namespace
}  // namespace peerhub::srtp
