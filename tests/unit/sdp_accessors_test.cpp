// The typed accessors read what the captured Chromium and Firefox descriptions say.
#include <gtest/gtest.h>

#include "sdp/description.hpp"
#include "sdp_vectors/vectors.hpp"

namespace peerhub::sdp {
namespace {

SessionDescription load(const std::string& name) {
  Result<SessionDescription> d = parse(test::vector(name));
  if (!d) throw std::runtime_error(name + ": " + d.error().text());
  return std::move(d).value();
}

const std::vector<std::uint8_t> kChromiumAvFingerprint = {
    0x35, 0x44, 0x36, 0x49, 0x9E, 0x34, 0x82, 0x4C, 0xAA, 0x76, 0x58, 0x9E, 0x7D, 0xE5, 0xB0, 0xA4,
    0x9D, 0xC6, 0x4C, 0x2A, 0xEF, 0x0A, 0xD2, 0x29, 0x5C, 0x16, 0x30, 0x66, 0xAF, 0xB9, 0x16, 0xDA};

TEST(SdpAccessors, ChromiumOfferSessionLevel) {
  const SessionDescription d = load("chromium_offer_av_data.sdp");
  const Origin o = d.origin().value();
  EXPECT_EQ(o.username, "-");
  EXPECT_EQ(o.session_id, "4817583585787748649");
  EXPECT_EQ(o.session_version, 2u);
  EXPECT_EQ(o.address, "127.0.0.1");
  EXPECT_EQ(d.session_name(), "-");
  EXPECT_EQ(d.timing(), (Timing{0, 0}));
  ASSERT_EQ(d.groups().size(), 1u);
  EXPECT_EQ(d.groups()[0], (Group{"BUNDLE", {"0", "1", "2"}}));
  EXPECT_EQ(d.bundle_group_of("2")->mids.size(), 3u);
  EXPECT_FALSE(d.bundle_group_of("7"));
  // Chromium writes "a=msid-semantic: WMS <id>", with a space after the colon.
  EXPECT_EQ(d.msid_semantic(), (MsidSemantic{"WMS", {"1f10d578-d6f1-41fe-bee2-9fcbabdd2f5e"}}));
  EXPECT_TRUE(d.has_attribute("extmap-allow-mixed"));
  EXPECT_FALSE(d.ice_lite());
  EXPECT_TRUE(d.fingerprints().empty());  // Chromium writes it per section
  ASSERT_EQ(d.media().size(), 3u);
  EXPECT_EQ(d.find_mid("1"), 1u);
}

TEST(SdpAccessors, ChromiumAudioSection) {
  const SessionDescription d = load("chromium_offer_av_data.sdp");
  const MediaSection& a = d.media()[0];
  EXPECT_EQ(a.media(), "audio");
  EXPECT_EQ(a.port(), 9);
  EXPECT_EQ(a.proto(), "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(a.formats(), (std::vector<std::string>{"111", "63", "9", "0", "8", "13", "110", "126"}));
  EXPECT_FALSE(a.rejected());
  EXPECT_FALSE(a.is_data_channel());
  EXPECT_EQ(a.connection(), (Connection{"IN", "IP4", "0.0.0.0"}));
  EXPECT_EQ(a.mid(), "0");
  EXPECT_EQ(a.ice_ufrag(), "wMGY");
  EXPECT_EQ(a.ice_pwd(), "puvG6c2Xe5yeGhXgru6yzGes");
  EXPECT_EQ(a.ice_options(), std::vector<std::string>{"trickle"});
  ASSERT_EQ(a.fingerprints().size(), 1u);
  EXPECT_EQ(a.fingerprints()[0].algorithm, "sha-256");
  EXPECT_EQ(a.fingerprints()[0].digest, kChromiumAvFingerprint);
  EXPECT_EQ(a.setup(), Setup::actpass);
  EXPECT_EQ(a.direction(), Direction::sendrecv);
  EXPECT_TRUE(a.rtcp_mux());
  EXPECT_TRUE(a.rtcp_rsize());
  EXPECT_EQ(
      a.msids(),
      (std::vector<Msid>{{"1f10d578-d6f1-41fe-bee2-9fcbabdd2f5e", "35c28722-1744-4e8f-85d7-d9d2b130c672"}}));

  const std::vector<Rtpmap> rtpmaps = a.rtpmaps();
  ASSERT_EQ(rtpmaps.size(), 8u);
  EXPECT_EQ(rtpmaps[0], (Rtpmap{111, "opus", 48000, "2"}));
  EXPECT_EQ(rtpmaps[3], (Rtpmap{0, "PCMU", 8000, std::nullopt}));
  const std::vector<Fmtp> fmtps = a.fmtps();
  ASSERT_EQ(fmtps.size(), 2u);
  EXPECT_EQ(fmtps[0], (Fmtp{"111", "minptime=10;useinbandfec=1"}));
  EXPECT_EQ(fmtps[1], (Fmtp{"63", "111/111"}));
  EXPECT_EQ(a.rtcp_fbs(), (std::vector<RtcpFb>{{"111", "transport-cc", std::nullopt}}));
  const std::vector<Extmap> extmaps = a.extmaps();
  ASSERT_EQ(extmaps.size(), 4u);
  EXPECT_EQ(extmaps[1],
            (Extmap{2, std::nullopt, "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", {}}));
  EXPECT_EQ(extmaps[3].uri, "urn:ietf:params:rtp-hdrext:sdes:mid");

  const std::vector<Ssrc> ssrcs = a.ssrcs();
  ASSERT_EQ(ssrcs.size(), 2u);
  EXPECT_EQ(ssrcs[0], (Ssrc{1036515922, "cname", "BTpMCtxpz+uu/h58"}));
  EXPECT_EQ(ssrcs[1].attribute, "msid");
  EXPECT_EQ(ssrcs[1].value, "1f10d578-d6f1-41fe-bee2-9fcbabdd2f5e 35c28722-1744-4e8f-85d7-d9d2b130c672");
  EXPECT_TRUE(a.ssrc_groups().empty());
  EXPECT_TRUE(a.candidates().empty());
  EXPECT_FALSE(a.sctp_port());
}

TEST(SdpAccessors, ChromiumVideoSection) {
  const SessionDescription d = load("chromium_offer_av_data.sdp");
  const MediaSection& v = d.media()[1];
  EXPECT_EQ(v.media(), "video");
  EXPECT_EQ(v.formats().size(), 23u);
  EXPECT_EQ(v.ssrc_groups(), (std::vector<SsrcGroup>{{"FID", {3858565255u, 1725228474u}}}));
  EXPECT_EQ(v.ssrcs().size(), 4u);
  const std::vector<RtcpFb> fbs = v.rtcp_fbs();
  ASSERT_GE(fbs.size(), 5u);
  EXPECT_EQ(fbs[4], (RtcpFb{"96", "nack", "pli"}));
  EXPECT_EQ(fbs[2], (RtcpFb{"96", "ccm", "fir"}));
  EXPECT_EQ(v.rtpmaps()[0], (Rtpmap{96, "VP8", 90000, std::nullopt}));
  EXPECT_EQ(v.fmtps()[0], (Fmtp{"97", "apt=96"}));
}

TEST(SdpAccessors, ChromiumDataChannelSection) {
  const SessionDescription d = load("chromium_offer_av_data.sdp");
  const MediaSection& dc = d.media()[2];
  EXPECT_TRUE(dc.is_data_channel());
  EXPECT_EQ(dc.media_line(),
            (MediaLine{"application", 9, std::nullopt, "UDP/DTLS/SCTP", {"webrtc-datachannel"}}));
  EXPECT_EQ(dc.mid(), "2");
  EXPECT_EQ(dc.sctp_port(), 5000);
  EXPECT_EQ(dc.max_message_size(), 262144u);
  EXPECT_FALSE(dc.direction());
  EXPECT_FALSE(dc.rtcp_mux());

  const Transport t = d.transport(2);
  EXPECT_EQ(t.bundle_tag, 0u);
  EXPECT_EQ(t.ice_ufrag, "wMGY");
  EXPECT_EQ(t.fingerprints[0].digest, kChromiumAvFingerprint);
  EXPECT_EQ(t.setup, Setup::actpass);
}

TEST(SdpAccessors, ChromiumCandidatesAreKeptAsTheTextAfterTheAttributePrefix) {
  const SessionDescription d = load("chromium_offer_candidates.sdp");
  const MediaSection& dc = d.media()[0];
  EXPECT_EQ(dc.port(), 40338);
  EXPECT_EQ(dc.connection()->address, "127.0.0.1");
  EXPECT_EQ(dc.candidates(),
            (std::vector<std::string>{"candidate:2391689768 1 udp 2122260223 127.0.0.1 40338 typ host "
                                      "generation 0 network-id 1 network-cost 50",
                                      "candidate:4030834864 1 tcp 1518280447 127.0.0.1 9 typ host tcptype "
                                      "active generation 0 network-id 1 "
                                      "network-cost 50"}));
  EXPECT_FALSE(dc.end_of_candidates());  // Chromium never writes it
}

TEST(SdpAccessors, ChromiumRejectedSections) {
  const SessionDescription d = load("chromium_answer_rejected.sdp");
  EXPECT_EQ(d.groups()[0], (Group{"BUNDLE", {"2"}}));
  EXPECT_TRUE(d.media()[0].rejected());
  EXPECT_EQ(d.media()[0].formats(), std::vector<std::string>{"0"});
  EXPECT_EQ(d.media()[0].mid(), "0");
  EXPECT_TRUE(d.media()[1].rejected());
  EXPECT_FALSE(d.media()[2].rejected());
  // Rejected sections are in no BUNDLE group: each keeps its own transport.
  EXPECT_FALSE(d.transport(0).bundle_tag);
  EXPECT_EQ(d.transport(0).ice_ufrag, "ynwz");
  EXPECT_EQ(d.transport(2).bundle_tag, 2u);
  EXPECT_EQ(d.transport(2).ice_ufrag, "8QcM");
  EXPECT_EQ(d.transport(2).setup, Setup::active);
}

// The firefox_* vectors are captured from firefox-esr 153 by capture_firefox.mjs (see sdp_vectors/README.md).
TEST(SdpAccessors, FirefoxOfferSessionLevelValuesReachEverySection) {
  const SessionDescription d = load("firefox_offer_av_data.sdp");
  EXPECT_EQ(d.origin()->username, "mozilla...THIS_IS_SDPARTA-99.0");  // Firefox 153 still writes 99.0
  EXPECT_EQ(d.origin()->session_version, 0u);
  EXPECT_EQ(d.msid_semantic(), (MsidSemantic{"WMS", {"*"}}));
  EXPECT_EQ(d.direction(), Direction::sendrecv);
  ASSERT_EQ(d.fingerprints().size(), 1u);
  EXPECT_EQ(d.ice_options(), std::vector<std::string>{"trickle"});
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_TRUE(d.media()[i].fingerprints().empty());
    const Transport t = d.transport(i);
    EXPECT_EQ(t.fingerprints, d.fingerprints());  // from the session level
    EXPECT_EQ(t.ice_options, std::vector<std::string>{"trickle"});
    EXPECT_EQ(t.ice_ufrag, "8be78f7c");
    EXPECT_EQ(t.ice_pwd, "df42f60ee915f31d0f9d8968918c55e4");
    EXPECT_EQ(t.setup, Setup::actpass);
    EXPECT_EQ(t.bundle_tag, 0u);
  }
}

// Firefox's default bundle policy: every section of the BUNDLE group has its own port and candidates (both
// components: it does not require rtcp-mux), each ending with a=end-of-candidates.
TEST(SdpAccessors, FirefoxOfferMediaSections) {
  const SessionDescription d = load("firefox_offer_av_data.sdp");
  const MediaSection& audio = d.media()[0];
  EXPECT_EQ(audio.port(), 60913);
  EXPECT_EQ(audio.candidates().size(), 8u);
  EXPECT_EQ(audio.candidates()[0], "candidate:0 1 UDP 2122187007 127.0.0.1 60913 typ host");
  EXPECT_EQ(audio.candidates()[3], "candidate:3 1 TCP 2105524479 ::1 9 typ host tcptype active");
  EXPECT_TRUE(audio.end_of_candidates());
  EXPECT_EQ(audio.extmaps()[1],
            (Extmap{2, Direction::recvonly, "urn:ietf:params:rtp-hdrext:csrc-audio-level", std::nullopt}));
  EXPECT_EQ(audio.rtpmaps()[1], (Rtpmap{9, "G722", 8000, "1"}));
  EXPECT_EQ(audio.ssrcs()[0].value, "{f2cfb389-3709-4918-9f1d-61b7b15b016f}");
  EXPECT_EQ(audio.attribute("rtcp"), "56323 IN IP4 127.0.0.1");

  const MediaSection& video = d.media()[1];
  EXPECT_EQ(video.port(), 34103);
  EXPECT_FALSE(video.bundle_only());
  EXPECT_EQ(video.candidates().size(), 8u);
  EXPECT_EQ(video.ssrc_groups()[0], (SsrcGroup{"FID", {73323473u, 2169817023u}}));
  EXPECT_EQ(video.extmaps()[3].direction, Direction::recvonly);

  const MediaSection& dc = d.media()[2];
  EXPECT_TRUE(dc.is_data_channel());
  EXPECT_EQ(dc.port(), 38706);
  EXPECT_FALSE(dc.bundle_only());
  EXPECT_EQ(dc.max_message_size(), 1073741823u);
  EXPECT_EQ(dc.candidates().size(), 4u);
  EXPECT_TRUE(dc.end_of_candidates());
}

// bundlePolicy 'max-bundle': the video and data sections are bundle-only with port 0 and no candidates.
TEST(SdpAccessors, FirefoxMaxBundleOfferMediaSections) {
  const SessionDescription d = load("firefox_offer_av_data_max_bundle.sdp");
  const MediaSection& audio = d.media()[0];
  EXPECT_EQ(audio.port(), 33527);
  EXPECT_EQ(audio.candidates().size(), 8u);
  EXPECT_TRUE(audio.end_of_candidates());

  const MediaSection& video = d.media()[1];
  EXPECT_EQ(video.port(), 0);
  EXPECT_TRUE(video.bundle_only());
  EXPECT_FALSE(video.rejected());  // port 0 with a=bundle-only is bundled, not rejected (RFC 8843 §6)
  EXPECT_EQ(video.ssrc_groups()[0], (SsrcGroup{"FID", {1493724278u, 2235181894u}}));
  EXPECT_TRUE(video.candidates().empty());

  const MediaSection& dc = d.media()[2];
  EXPECT_TRUE(dc.is_data_channel());
  EXPECT_TRUE(dc.bundle_only());
  EXPECT_FALSE(dc.rejected());
  EXPECT_TRUE(dc.candidates().empty());
  EXPECT_FALSE(dc.end_of_candidates());
  const Transport t = d.transport(2);
  EXPECT_EQ(t.bundle_tag, 0u);
  EXPECT_EQ(t.ice_ufrag, "0bc2b322");
  EXPECT_EQ(t.fingerprints, d.fingerprints());
}

TEST(SdpAccessors, MediaLevelValuesOverrideSessionLevelOnes) {
  const Result<SessionDescription> d = parse(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=ice-ufrag:sessionufrag\r\n"
      "a=ice-pwd:sessionpasswordsessionpw\r\na=setup:actpass\r\n"
      "a=fingerprint:sha-256 AA:BB\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:a\r\na=ice-ufrag:mediaufrag\r\n"
      "a=fingerprint:sha-1 01:02\r\na=fingerprint:sha-256 03:04\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:b\r\n");
  ASSERT_TRUE(d.ok()) << d.error().text();
  const Transport t0 = d->transport(0);
  EXPECT_EQ(t0.ice_ufrag, "mediaufrag");
  EXPECT_EQ(t0.ice_pwd, "sessionpasswordsessionpw");
  EXPECT_EQ(t0.fingerprints, (std::vector<Fingerprint>{{"sha-1", {1, 2}}, {"sha-256", {3, 4}}}));
  EXPECT_FALSE(t0.bundle_tag);
  const Transport t1 = d->transport(1);
  EXPECT_EQ(t1.ice_ufrag, "sessionufrag");
  EXPECT_EQ(t1.fingerprints, (std::vector<Fingerprint>{{"sha-256", {0xAA, 0xBB}}}));
}

TEST(SdpAccessors, BundledSectionTakesWhatItLacksFromTheTaggedSection) {
  // RFC 8843 §7.1.3: in a subsequent offer only the tagged section carries the transport attributes.
  const Result<SessionDescription> d = parse(
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE v d\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF "
      "96\r\na=mid:v\r\na=ice-ufrag:tagufrag\r\na=ice-pwd:tagpasswordtagpassword\r\n"
      "a=fingerprint:sha-256 0A:0B\r\na=setup:actpass\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n"
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:d\r\na=sctp-port:5000\r\n");
  ASSERT_TRUE(d.ok()) << d.error().text();
  const Transport t = d->transport(1);
  EXPECT_EQ(t.bundle_tag, 0u);
  EXPECT_EQ(t.ice_ufrag, "tagufrag");
  EXPECT_EQ(t.ice_pwd, "tagpasswordtagpassword");
  EXPECT_EQ(t.fingerprints.size(), 1u);
  EXPECT_EQ(t.setup, Setup::actpass);
}

TEST(SdpAccessors, WritersGiveTextTheParsersTakeBack) {
  const Fingerprint fp{"sha-256", {0x0F, 0xA0, 0x01}};
  EXPECT_EQ(to_string(fp), "sha-256 0F:A0:01");
  EXPECT_EQ(parse_fingerprint(to_string(fp)).value(), fp);
  EXPECT_EQ(parse_fingerprint("sha-256 0f:a0:01").value(), fp);  // lower case is read too
  const Extmap e{3, Direction::sendonly, "urn:x", "attr"};
  EXPECT_EQ(to_string(e), "3/sendonly urn:x attr");
  EXPECT_EQ(parse_extmap(to_string(e)).value(), e);
  const Ssrc s{42, "msid", "stream track"};
  EXPECT_EQ(to_string(s), "42 msid:stream track");
  EXPECT_EQ(parse_ssrc(to_string(s)).value(), s);
  const MediaLine m{"audio", 5004, 2, "RTP/AVP", {"0"}};
  EXPECT_EQ(to_string(m), "audio 5004/2 RTP/AVP 0");
  EXPECT_EQ(parse_media_line(to_string(m)).value(), m);
  EXPECT_EQ(to_string(Rtpmap{111, "opus", 48000, "2"}), "111 opus/48000/2");
  EXPECT_EQ(to_string(SsrcGroup{"FID", {1, 2}}), "FID 1 2");
  EXPECT_EQ(to_string(RtcpFb{"*", "nack", std::nullopt}), "* nack");
  EXPECT_EQ(to_string(Origin{"-", "7", 3, "IN", "IP4", "127.0.0.1"}), "- 7 3 IN IP4 127.0.0.1");
}

TEST(SdpAccessors, AddedLinesAreWrittenAndCannotSmuggleALineEnd) {
  SessionDescription d(Origin{"-", "1", 1, "IN", "IP4", "127.0.0.1"});
  MediaSection& m =
      d.add_media(MediaLine{"application", 9, std::nullopt, "UDP/DTLS/SCTP", {"webrtc-datachannel"}});
  m.add_attribute("mid", "0");
  m.add_attribute("rtcp-mux");
  EXPECT_THROW(m.add_attribute("mid", "0\r\na=ice-lite"), std::invalid_argument);
  EXPECT_EQ(write(d),
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:0\r\na=rtcp-mux\r\n");
  m.set_port(0);
  EXPECT_TRUE(m.rejected());
  EXPECT_EQ(m.remove_attributes("rtcp-mux"), 1u);
  EXPECT_EQ(parse(write(d)).value(), d);
}

}  // namespace
}  // namespace peerhub::sdp
