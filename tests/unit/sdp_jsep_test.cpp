// The offer and answer of the data-channel-only peer, and what it reads from a remote description.
#include <gtest/gtest.h>

#include <algorithm>

#include "sdp/jsep.hpp"
#include "sdp_vectors/vectors.hpp"

namespace peerhub::sdp {
namespace {

SessionDescription load(const std::string& name) {
  Result<SessionDescription> d = parse(test::vector(name));
  if (!d) throw std::runtime_error(name + ": " + d.error().text());
  return std::move(d).value();
}

const Fingerprint kFingerprint{"sha-256", std::vector<std::uint8_t>(32, 0xAB)};
const std::string kFingerprintText =
    "sha-256 AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB:AB";

LocalTransport local() {
  LocalTransport t;
  t.ice_ufrag = "LoCa";
  t.ice_pwd = "localpasswordlocalpass";
  t.fingerprint = kFingerprint;
  return t;
}

SessionIdentity fixed_session() {
  SessionIdentity s;
  s.id = 4242;
  return s;
}

AnswerOptions answer_options() {
  AnswerOptions o;
  o.transport = local();
  o.session = fixed_session();
  return o;
}

TEST(SdpJsepOffer, DataChannelOfferIsWhatJsepAsksFor) {
  OfferOptions o;
  o.transport = local();
  o.transport.candidates = {"candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host"};
  o.transport.end_of_candidates = true;
  o.session = fixed_session();
  const Result<SessionDescription> offer = make_offer(o);
  ASSERT_TRUE(offer.ok()) << offer.error().text();
  // sdp_vectors/peerhub_offer_datachannel.sdp is this offer: capture_chromium.mjs gives it to Chromium, which
  // answers it (chromium_answer_to_peerhub.sdp, read below).
  EXPECT_EQ(write(*offer), test::vector("peerhub_offer_datachannel.sdp"));
  EXPECT_NE(write(*offer).find("a=fingerprint:" + kFingerprintText + "\r\na=setup:actpass\r\na=mid:0\r\n"),
            std::string::npos);
  // What the far end reads from it is what went in.
  const Result<SessionDescription> reparsed = parse(write(*offer));
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().text();
  const Result<RemoteDataChannel> r = read_remote_data_channel(*reparsed, DescriptionType::offer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->ice_ufrag, "LoCa");
  EXPECT_EQ(r->fingerprints, std::vector<Fingerprint>{kFingerprint});
  EXPECT_EQ(r->setup, Setup::actpass);
  EXPECT_EQ(r->candidates, o.transport.candidates);
  EXPECT_TRUE(r->end_of_candidates);
}

TEST(SdpJsepOffer, WithoutCandidatesNorTrickleAndAsIceLite) {
  OfferOptions o;
  o.transport = local();
  o.transport.trickle = false;
  o.transport.ice_lite = true;
  o.mid = "data";
  o.max_message_size = 1024;
  o.session = fixed_session();
  const Result<SessionDescription> offer = make_offer(o);
  ASSERT_TRUE(offer.ok()) << offer.error().text();
  EXPECT_TRUE(offer->ice_lite());
  EXPECT_EQ(offer->groups()[0], (Group{"BUNDLE", {"data"}}));
  const MediaSection& m = offer->media()[0];
  EXPECT_TRUE(m.candidates().empty());
  EXPECT_FALSE(m.end_of_candidates());
  EXPECT_TRUE(m.ice_options().empty());
  EXPECT_EQ(m.mid(), "data");
  EXPECT_EQ(m.max_message_size(), 1024u);
}

TEST(SdpJsepOffer, SessionIdComesFromTheRandomFillWithTheTopBitClear) {
  OfferOptions o;
  o.transport = local();
  o.session.random_fill = [](std::span<std::uint8_t> bytes) {
    for (std::uint8_t& b : bytes)
      b = 0xFF;
  };
  o.session.version = 7;
  const Result<SessionDescription> offer = make_offer(o);
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(offer->origin()->session_id, "9223372036854775807");
  EXPECT_EQ(offer->origin()->session_version, 7u);
  // Without a fill, OpenSSL draws one: two offers differ.
  OfferOptions plain;
  plain.transport = local();
  EXPECT_NE(make_offer(plain)->origin()->session_id, make_offer(plain)->origin()->session_id);
}

TEST(SdpJsepOffer, RefusesTransportValuesAParserWouldRefuse) {
  OfferOptions o;
  o.transport = local();
  o.transport.ice_ufrag = "ab";
  EXPECT_EQ(make_offer(o).error().text(),
            "the ICE username fragment must be 4 to 256 letters, digits, '+' or '/'");
  o.transport = local();
  o.transport.ice_pwd = "short";
  EXPECT_EQ(make_offer(o).error().text(), "the ICE password must be 22 to 256 letters, digits, '+' or '/'");
  o.transport = local();
  o.transport.fingerprint.digest.clear();
  EXPECT_EQ(make_offer(o).error().text(), "the certificate fingerprint must have 1 to 64 bytes");
  o.transport = local();
  o.transport.candidates = {"candidate:1 1 udp 1 127.0.0.1 9 typ host\r\na=ice-lite"};
  EXPECT_EQ(make_offer(o).error().text(), "a candidate must be one line starting with \"candidate:\"");
  o.transport.candidates = {"a=candidate:1 1 udp 1 127.0.0.1 9 typ host"};
  EXPECT_EQ(make_offer(o).error().text(), "a candidate must be one line starting with \"candidate:\"");
  o.transport = local();
  o.mid = "a b";
  EXPECT_EQ(make_offer(o).error().text(), "the mid must be a token (no spaces)");
}

TEST(SdpJsepAnswer, ChromiumAudioVideoDataOfferGetsAudioAndVideoRejected) {
  const SessionDescription offer = load("chromium_offer_av_data.sdp");
  AnswerOptions o = answer_options();
  o.transport.candidates = {"candidate:7 1 udp 2130706431 127.0.0.1 40000 typ host"};
  const Result<SessionDescription> answer = make_answer(offer, o);
  ASSERT_TRUE(answer.ok()) << answer.error().text();
  const std::string text = write(*answer);
  EXPECT_EQ(text,
            "v=0\r\n"
            "o=- 4242 1 IN IP4 127.0.0.1\r\n"
            "s=-\r\n"
            "t=0 0\r\n"
            "a=group:BUNDLE 2\r\n"
            "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n"
            "c=IN IP4 0.0.0.0\r\n"
            "a=mid:0\r\n"
            "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
            "c=IN IP4 0.0.0.0\r\n"
            "a=mid:1\r\n"
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            "c=IN IP4 0.0.0.0\r\n"
            "a=candidate:7 1 udp 2130706431 127.0.0.1 40000 typ host\r\n"
            "a=ice-ufrag:LoCa\r\n"
            "a=ice-pwd:localpasswordlocalpass\r\n"
            "a=ice-options:trickle\r\n"
            "a=fingerprint:" +
                kFingerprintText +
                "\r\n"
                "a=setup:active\r\n"
                "a=mid:2\r\n"
                "a=sctp-port:5000\r\n"
                "a=max-message-size:262144\r\n");
  // Nothing of the remote side is copied.
  EXPECT_EQ(text.find("wMGY"), std::string::npos);
  EXPECT_EQ(text.find("ssrc"), std::string::npos);
  // The offerer (Chromium) finds the data section and its transport in it.
  const Result<SessionDescription> reparsed = parse(text);
  ASSERT_TRUE(reparsed.ok()) << reparsed.error().text();
  EXPECT_TRUE(reparsed->media()[0].rejected());
  EXPECT_TRUE(reparsed->media()[1].rejected());
  const Result<RemoteDataChannel> r = read_remote_data_channel(*reparsed, DescriptionType::answer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->media_index, 2u);
  EXPECT_EQ(r->mid, "2");
  EXPECT_EQ(r->setup, Setup::active);
  EXPECT_EQ(r->candidates, o.transport.candidates);
}

TEST(SdpJsepAnswer, ChromiumDataOnlyOfferAnsweredPassiveWhenConfigured) {
  AnswerOptions o = answer_options();
  o.setup = Setup::passive;
  o.transport.end_of_candidates = true;
  const Result<SessionDescription> answer = make_answer(load("chromium_offer_candidates.sdp"), o);
  ASSERT_TRUE(answer.ok()) << answer.error().text();
  ASSERT_EQ(answer->media().size(), 1u);
  const MediaSection& m = answer->media()[0];
  EXPECT_EQ(m.setup(), Setup::passive);
  EXPECT_EQ(m.mid(), "0");
  EXPECT_TRUE(m.candidates().empty());  // the offer's candidates are not ours
  EXPECT_TRUE(m.end_of_candidates());
  EXPECT_EQ(answer->groups()[0], (Group{"BUNDLE", {"0"}}));
}

// The firefox_* vectors are captured from firefox-esr 153 (see sdp_vectors/README.md): with the default
// bundle policy every section has its own port; with max-bundle the video and data sections are bundle-only,
// port 0.
TEST(SdpJsepAnswer, FirefoxOfferDataSectionIsAcceptedBundledOrBundleOnly) {
  for (const char* name : {"firefox_offer_av_data.sdp", "firefox_offer_av_data_max_bundle.sdp"}) {
    SCOPED_TRACE(name);
    const Result<SessionDescription> answer = make_answer(load(name), answer_options());
    ASSERT_TRUE(answer.ok()) << answer.error().text();
    ASSERT_EQ(answer->media().size(), 3u);
    EXPECT_EQ(answer->media()[0].media_line_text(), "audio 0 UDP/TLS/RTP/SAVPF 109");
    EXPECT_EQ(answer->media()[1].media_line_text(), "video 0 UDP/TLS/RTP/SAVPF 120");
    EXPECT_FALSE(answer->media()[1].bundle_only());  // RFC 8843 §7.3.3: not on a rejected section
    EXPECT_EQ(answer->media()[2].port(), 9);
    EXPECT_FALSE(answer->media()[2].bundle_only());
    EXPECT_EQ(answer->media()[2].mid(), "2");
    EXPECT_EQ(answer->groups(), std::vector<Group>{(Group{"BUNDLE", {"2"}})});
  }
}

TEST(SdpJsepAnswer, RoleFollowsWhatTheOfferLeaves) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
  const std::string section =
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:abcd\r\n"
      "a=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 01:02\r\na=mid:0\r\n";
  const auto role = [&](const std::string& setup_line, sdp::Setup preferred) {
    AnswerOptions o = answer_options();
    o.setup = preferred;
    const Result<SessionDescription> answer = make_answer(parse(head + section + setup_line).value(), o);
    return answer.value().media()[0].setup().value();
  };
  EXPECT_EQ(role("a=setup:active\r\n", Setup::active), Setup::passive);
  EXPECT_EQ(role("a=setup:passive\r\n", Setup::passive), Setup::active);
  EXPECT_EQ(role("a=setup:actpass\r\n", Setup::passive), Setup::passive);
  EXPECT_EQ(role("", Setup::active), Setup::active);
  // No BUNDLE group in the offer, none in the answer.
  EXPECT_TRUE(make_answer(parse(head + section).value(), answer_options())->groups().empty());
  AnswerOptions bad = answer_options();
  bad.setup = Setup::actpass;
  EXPECT_EQ(make_answer(parse(head + section).value(), bad).error().text(),
            "an answer's a=setup must be active or passive");
}

TEST(SdpJsepAnswer, OfferWithoutAUsableDataSection) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
  EXPECT_EQ(
      make_answer(parse(head + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n").value(), answer_options())
          .error()
          .text(),
      "the offer has no data channel section");
  // Legacy SCTP over DTLS (draft-ietf-mmusic-sctp-sdp-05 and older) is not a JSEP data channel section.
  EXPECT_EQ(make_answer(parse(head + "m=application 9 DTLS/SCTP 5000\r\n").value(), answer_options())
                .error()
                .text(),
            "the offer has no data channel section");
  EXPECT_EQ(
      make_answer(parse(head + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\n").value(),
                  answer_options())
          .error()
          .text(),
      "the offer rejected its data channel section (port 0)");
}

TEST(SdpJsepRemote, ChromiumOfferWithCandidates) {
  const Result<RemoteDataChannel> r =
      read_remote_data_channel(load("chromium_offer_candidates.sdp"), DescriptionType::offer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->media_index, 0u);
  EXPECT_EQ(r->mid, "0");
  EXPECT_EQ(r->ice_ufrag, "bu0A");
  EXPECT_EQ(r->ice_pwd, "iAChFdxI301e8OhFt51G+1Co");
  EXPECT_EQ(r->ice_options, std::vector<std::string>{"trickle"});
  EXPECT_FALSE(r->ice_lite);
  ASSERT_EQ(r->fingerprints.size(), 1u);
  EXPECT_EQ(r->fingerprints[0].digest.size(), 32u);
  EXPECT_EQ(r->setup, Setup::actpass);
  EXPECT_EQ(r->sctp_port, 5000);
  EXPECT_EQ(r->max_message_size, 262144u);
  ASSERT_EQ(r->candidates.size(), 2u);
  EXPECT_EQ(r->candidates[1].rfind("candidate:4030834864 1 tcp", 0), 0u);
  EXPECT_FALSE(r->end_of_candidates);
}

TEST(SdpJsepRemote, ChromiumAnswerToOurOffer) {
  const Result<RemoteDataChannel> r =
      read_remote_data_channel(load("chromium_answer_to_peerhub.sdp"), DescriptionType::answer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->mid, "0");
  EXPECT_EQ(r->ice_ufrag, "1oSw");
  EXPECT_EQ(r->setup, Setup::active);
  EXPECT_EQ(local_dtls_role(Setup::actpass, r->setup).value(), DtlsRole::server);
  EXPECT_EQ(r->sctp_port, 5000);
  EXPECT_EQ(r->max_message_size, 262144u);
  EXPECT_EQ(r->candidates.size(), 2u);
}

TEST(SdpJsepRemote, ChromiumAnswerThatRejectedAudioAndVideo) {
  const Result<RemoteDataChannel> r =
      read_remote_data_channel(load("chromium_answer_rejected.sdp"), DescriptionType::answer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->media_index, 2u);
  EXPECT_EQ(r->mid, "2");
  EXPECT_EQ(r->ice_ufrag, "8QcM");  // its own, not the rejected audio section's
  EXPECT_EQ(r->setup, Setup::active);
}

TEST(SdpJsepRemote, ChromiumAnswerBundledWithAudio) {
  const Result<RemoteDataChannel> r =
      read_remote_data_channel(load("chromium_answer_av_data.sdp"), DescriptionType::answer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->media_index, 2u);
  EXPECT_EQ(r->ice_ufrag, "KMcU");
  EXPECT_EQ(r->setup, Setup::active);
}

// Captured from firefox-esr 153 with bundlePolicy 'max-bundle' (see sdp_vectors/README.md).
TEST(SdpJsepRemote, FirefoxMaxBundleOfferTransportComesFromSessionLevelAndTheTaggedSection) {
  const Result<RemoteDataChannel> r =
      read_remote_data_channel(load("firefox_offer_av_data_max_bundle.sdp"), DescriptionType::offer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->media_index, 2u);
  EXPECT_EQ(r->mid, "2");
  EXPECT_EQ(r->ice_ufrag, "0bc2b322");
  ASSERT_EQ(r->fingerprints.size(), 1u);  // from the session level
  EXPECT_EQ(r->fingerprints[0].digest[0], 0x53);
  // Candidates and end-of-candidates sit in the BUNDLE-tagged audio section.
  EXPECT_EQ(r->candidates.size(), 8u);
  EXPECT_EQ(r->candidates[0], "candidate:0 1 UDP 2122187007 127.0.0.1 33527 typ host");
  EXPECT_TRUE(r->end_of_candidates);
  EXPECT_EQ(r->max_message_size, 1073741823u);
}

// Captured from firefox-esr 153 with the default bundle policy: each section has its own port and candidates.
TEST(SdpJsepRemote, FirefoxOfferDataSectionsOwnCandidatesAreAmongTheRemoteOnes) {
  const Result<RemoteDataChannel> r =
      read_remote_data_channel(load("firefox_offer_av_data.sdp"), DescriptionType::offer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->mid, "2");
  EXPECT_EQ(r->ice_ufrag, "8be78f7c");
  EXPECT_EQ(r->fingerprints[0].digest[0], 0x64);
  // The answer bundles on the data section (audio and video are rejected), so its own addresses must be
  // there; the lines of every section of the group are taken, each once (the TCP ones of port 9 repeat).
  for (const char* own : {"candidate:0 1 UDP 2122187007 127.0.0.1 38706 typ host",
                          "candidate:1 1 UDP 2122252543 ::1 44472 typ host"}) {
    EXPECT_NE(std::find(r->candidates.begin(), r->candidates.end(), own), r->candidates.end()) << own;
  }
  EXPECT_EQ(r->candidates.size(), 14u);
  EXPECT_TRUE(r->end_of_candidates);
}

TEST(SdpJsepRemote, DefaultsOfRfc8841WhenAbsent) {
  const Result<SessionDescription> d = parse(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=end-of-candidates\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:abcd\r\n"
      "a=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 01:02\r\na=setup:passive\r\n");
  ASSERT_TRUE(d.ok()) << d.error().text();
  const Result<RemoteDataChannel> r = read_remote_data_channel(*d, DescriptionType::answer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->sctp_port, 5000);
  EXPECT_EQ(r->max_message_size, 65536u);
  EXPECT_EQ(r->mid, "");
  EXPECT_TRUE(r->ice_lite);
  EXPECT_TRUE(r->end_of_candidates);  // session level (RFC 8840 §8.2)
}

TEST(SdpJsepRemote, ErrorsSayWhatIsMissing) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";
  const std::string m = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n";
  const std::string ufrag = "a=ice-ufrag:abcd\r\n";
  const std::string pwd = "a=ice-pwd:abcdefghijklmnopqrstuv\r\n";
  const std::string fp = "a=fingerprint:sha-256 01:02\r\n";
  const auto error = [](const std::string& text, DescriptionType type) {
    return read_remote_data_channel(parse(text).value(), type).error().text();
  };
  EXPECT_EQ(error(head + "m=audio 9 RTP/AVP 0\r\n", DescriptionType::offer),
            "the offer has no data channel section");
  EXPECT_EQ(error(head, DescriptionType::answer), "the answer has no data channel section");
  EXPECT_EQ(error(head + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n", DescriptionType::answer),
            "the answer rejected the data channel section (port 0)");
  EXPECT_EQ(error(head + m + pwd + fp, DescriptionType::offer),
            "no a=ice-ufrag for the data channel section");
  EXPECT_EQ(error(head + m + ufrag + fp, DescriptionType::offer),
            "no a=ice-pwd for the data channel section");
  EXPECT_EQ(error(head + m + ufrag + pwd, DescriptionType::offer),
            "no a=fingerprint for the data channel section");
  EXPECT_EQ(error(head + m + ufrag + pwd + fp + "a=setup:actpass\r\n", DescriptionType::answer),
            "the answer says a=setup:actpass, which only an offer may say");
  EXPECT_EQ(error(head + m + ufrag + pwd + fp + "a=setup:holdconn\r\n", DescriptionType::offer),
            "the offer says a=setup:holdconn: no DTLS connection");
}

}  // namespace
}  // namespace peerhub::sdp

namespace peerhub::sdp {
namespace {

TEST(SdpJsepDtlsRole, ActiveIsTheClient) {
  // Offerer (actpass) reading the answer.
  EXPECT_EQ(local_dtls_role(Setup::actpass, Setup::active).value(), DtlsRole::server);
  EXPECT_EQ(local_dtls_role(Setup::actpass, Setup::passive).value(), DtlsRole::client);
  // Answerer with the role it wrote.
  EXPECT_EQ(local_dtls_role(Setup::active, Setup::actpass).value(), DtlsRole::client);
  EXPECT_EQ(local_dtls_role(Setup::passive, Setup::actpass).value(), DtlsRole::server);
  EXPECT_EQ(local_dtls_role(Setup::active, Setup::active).error().text(), "both ends say a=setup:active");
  EXPECT_EQ(local_dtls_role(Setup::passive, Setup::passive).error().text(), "both ends say a=setup:passive");
  EXPECT_EQ(local_dtls_role(Setup::actpass, Setup::actpass).error().text(),
            "neither end took a role (actpass and actpass)");
  EXPECT_EQ(local_dtls_role(Setup::active, Setup::holdconn).error().text(),
            "a=setup:holdconn: no DTLS connection");
}

TEST(SdpJsepDtlsRole, OurAnswerToChromiumMakesUsTheClientByDefault) {
  const Result<SessionDescription> offer = parse(test::vector("chromium_offer_datachannel.sdp"));
  ASSERT_TRUE(offer.ok());
  const Result<SessionDescription> answer = make_answer(*offer, answer_options());
  ASSERT_TRUE(answer.ok());
  const Result<RemoteDataChannel> remote = read_remote_data_channel(*offer, DescriptionType::offer);
  ASSERT_TRUE(remote.ok());
  EXPECT_EQ(local_dtls_role(answer->transport(0).setup.value(), remote->setup).value(), DtlsRole::client);
}

TEST(SdpJsepDtlsRole, AbsentSetupIsActpassInAnOfferAndActiveInAnAnswer) {
  const Result<SessionDescription> d = parse(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
      "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\na=fingerprint:sha-256 01:02\r\n");
  ASSERT_TRUE(d.ok()) << d.error().text();
  const RemoteDataChannel offer = read_remote_data_channel(*d, DescriptionType::offer).value();
  EXPECT_EQ(offer.setup, Setup::actpass);
  // Our answer to it takes the configured role, and the role helper agrees with it.
  const Result<SessionDescription> answer = make_answer(*d, answer_options());
  EXPECT_EQ(answer->media()[0].setup(), Setup::active);
  EXPECT_EQ(local_dtls_role(Setup::active, offer.setup).value(), DtlsRole::client);
  const RemoteDataChannel as_answer = read_remote_data_channel(*d, DescriptionType::answer).value();
  EXPECT_EQ(as_answer.setup, Setup::active);
  EXPECT_EQ(local_dtls_role(Setup::actpass, as_answer.setup).value(), DtlsRole::server);
}

}  // namespace
}  // namespace peerhub::sdp

// Captured from node-datachannel (libdatachannel) and werift by sdp_vectors/capture_node_peers.mjs.
namespace peerhub::sdp {
namespace {

TEST(SdpJsepRemote, LibdatachannelOfferKeepsTransportAtSessionLevel) {
  const SessionDescription d = load("libdatachannel_offer_candidates.sdp");
  EXPECT_EQ(d.origin()->username, "rtc");
  // "a=ice-options:ice2,trickle": both options.
  EXPECT_EQ(d.ice_options(), (std::vector<std::string>{"ice2", "trickle"}));
  const Result<RemoteDataChannel> r = read_remote_data_channel(d, DescriptionType::offer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->ice_options, (std::vector<std::string>{"ice2", "trickle"}));
  EXPECT_EQ(r->fingerprints.size(), 1u);  // session level
  EXPECT_EQ(r->setup, Setup::actpass);
  EXPECT_EQ(r->candidates.size(), 1u);
  EXPECT_TRUE(r->end_of_candidates);
  // Our answer to it.
  const Result<SessionDescription> answer = make_answer(d, answer_options());
  ASSERT_TRUE(answer.ok()) << answer.error().text();
  EXPECT_EQ(answer->media()[0].setup(), Setup::active);
}

TEST(SdpJsepRemote, LibdatachannelAndWeriftAnswersToOurOffer) {
  for (const char* name : {"libdatachannel_answer_to_peerhub.sdp", "werift_answer_to_peerhub.sdp"}) {
    SCOPED_TRACE(name);
    const Result<RemoteDataChannel> r = read_remote_data_channel(load(name), DescriptionType::answer);
    ASSERT_TRUE(r.ok()) << r.error().text();
    EXPECT_EQ(r->mid, "0");
    EXPECT_EQ(r->setup, Setup::active);
    EXPECT_EQ(local_dtls_role(Setup::actpass, r->setup).value(), DtlsRole::server);
    EXPECT_EQ(r->candidates.size(), 1u);
    EXPECT_TRUE(r->end_of_candidates);
    EXPECT_EQ(r->sctp_port, 5000);
  }
  EXPECT_EQ(read_remote_data_channel(load("werift_answer_to_peerhub.sdp"), DescriptionType::answer)
                ->max_message_size,
            65536u);
}

TEST(SdpJsepRemote, WeriftOffer) {
  const Result<RemoteDataChannel> r =
      read_remote_data_channel(load("werift_offer_candidates.sdp"), DescriptionType::offer);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r->ice_pwd.size(), 22u);
  EXPECT_EQ(r->candidates.size(), 1u);
  EXPECT_NE(r->candidates[0].find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(r->max_message_size, 65536u);
}

}  // namespace
}  // namespace peerhub::sdp

namespace peerhub::sdp {
namespace {

TEST(SdpJsepCandidates, TrickledCandidatesJoinTheLocalDescription) {
  OfferOptions o;
  o.transport = local();
  o.session = fixed_session();
  SessionDescription offer = make_offer(o).value();
  EXPECT_EQ(add_candidate(offer, "0", "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host").value(), 0u);
  EXPECT_EQ(add_candidate(offer, "0", "candidate:2 1 udp 2130706430 ::1 50001 typ host").value(), 0u);
  EXPECT_EQ(add_end_of_candidates(offer, "0").value(), 0u);
  EXPECT_EQ(add_end_of_candidates(offer, "0").value(), 0u);  // once
  const std::string text = write(offer);
  EXPECT_NE(text.find("c=IN IP4 0.0.0.0\r\n"
                      "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\n"
                      "a=candidate:2 1 udp 2130706430 ::1 50001 typ host\r\n"
                      "a=ice-ufrag:LoCa\r\n"),
            std::string::npos);
  EXPECT_EQ(text.rfind("a=max-message-size:262144\r\na=end-of-candidates\r\n"),
            text.size() - std::string("a=max-message-size:262144\r\na=end-of-candidates\r\n").size());
  EXPECT_EQ(parse(text).value(), offer);

  EXPECT_EQ(add_candidate(offer, "9", "candidate:3 1 udp 1 127.0.0.1 1 typ host").error().text(),
            "no m= section with a=mid:9");
  EXPECT_EQ(add_candidate(offer, "0", "a=candidate:3 1 udp 1 127.0.0.1 1 typ host").error().text(),
            "a candidate must be one line starting with \"candidate:\"");
  EXPECT_EQ(add_candidate(offer, "0", "candidate:3\r\na=ice-lite").error().text(),
            "a candidate must be one line starting with \"candidate:\"");
  EXPECT_EQ(add_end_of_candidates(offer, "x").error().text(), "no m= section with a=mid:x");
}

TEST(SdpJsepCandidates, TransportMidsNameEveryBundledSection) {
  const Result<RemoteDataChannel> chromium =
      read_remote_data_channel(load("chromium_offer_av_data.sdp"), DescriptionType::offer);
  ASSERT_TRUE(chromium.ok());
  EXPECT_EQ(chromium->transport_mids, (std::vector<std::string>{"0", "1", "2"}));
  const Result<RemoteDataChannel> rejected =
      read_remote_data_channel(load("chromium_answer_rejected.sdp"), DescriptionType::answer);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->transport_mids, std::vector<std::string>{"2"});
}

}  // namespace
}  // namespace peerhub::sdp
