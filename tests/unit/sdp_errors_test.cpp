// A description that breaks the grammar is refused with the line and the reason, never a crash.
#include <gtest/gtest.h>

#include "sdp/description.hpp"
#include "sdp_vectors/vectors.hpp"

namespace peerhub::sdp {
namespace {

const std::string kHead = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";   // lines 1-4
const std::string kData = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n";  // line 5 after kHead

std::string error_of(const std::string& text, const Limits& limits = {}) {
  const Result<SessionDescription> d = parse(text, limits);
  if (d.ok()) return "(parsed)";
  return d.error().text();
}

TEST(SdpErrors, TheFirstThreeLines) {
  EXPECT_EQ(error_of(""), "the description is empty");
  EXPECT_EQ(error_of("v=1\r\n"), "line 1: the description must start with v=0");
  EXPECT_EQ(error_of("o=- 1 1 IN IP4 127.0.0.1\r\n"), "line 1: the description must start with v=0");
  EXPECT_EQ(error_of("v=0\r\ns=-\r\n"), "line 2: o= must follow v=");
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\nt=0 0\r\n"), "line 3: s= must follow o=");
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=\r\n"),
            "line 3: s= must not be empty (JSEP writes s=-)");
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4\r\n"),
            "line 2: o= line needs 6 fields: username, session id, version, IN, IP4/IP6, address");
  EXPECT_EQ(error_of("v=0\r\no=- x1 1 IN IP4 127.0.0.1\r\n"), "line 2: o= session id 'x1' is not a number");
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"),
            "line 2: a description needs v=, o= and s= lines");
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"), "line 3: the description has no t= line");
  EXPECT_EQ(error_of(kHead + "v=0\r\n"), "line 5: v= may appear only once, at the top");
}

TEST(SdpErrors, LineShape) {
  EXPECT_EQ(error_of(kHead + "hello\r\n"), "line 5: expected <type>=<value>, got 'hello'");
  EXPECT_EQ(error_of(kHead + "A=b\r\n"), "line 5: expected <type>=<value>, got 'A=b'");
  EXPECT_EQ(error_of(kHead + "x=1\r\n"), "line 5: unknown line type 'x='");
  EXPECT_EQ(error_of(kHead + "\r\na=ice-lite\r\n"), "line 5: empty line");
  EXPECT_EQ(error_of(kHead + "a=foo\rbar\r\n"), "line 5: holds a CR or NUL byte inside the line");
  EXPECT_EQ(error_of(kHead + std::string("a=foo\0bar\r\n", 11)),
            "line 5: holds a CR or NUL byte inside the line");
  EXPECT_EQ(error_of(kHead + "a=\r\n"), "line 5: a= needs an attribute name");
  EXPECT_EQ(error_of(kHead + "a=:x\r\n"), "line 5: a= needs an attribute name");
}

TEST(SdpErrors, MediaLines) {
  EXPECT_EQ(error_of("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n"),
            "line 4: the session level needs a t= line before the first m=");
  EXPECT_EQ(error_of(kHead + "a=ice-lite\r\na=group:BUNDLE 0\r\nm=application 9 UDP/DTLS/SCTP\r\n"),
            "line 7: m= line needs at least 4 fields: media, port, proto, format");
  EXPECT_EQ(error_of(kHead + "m=audio 70000 RTP/AVP 0\r\n"),
            "line 5: m= port '70000' is not a number from 0 to 65535");
  EXPECT_EQ(error_of(kHead + "m=audio -1 RTP/AVP 0\r\n"),
            "line 5: m= port '-1' is not a number from 0 to 65535");
  EXPECT_EQ(error_of(kHead + "m=audio 9/0 RTP/AVP 0\r\n"), "line 5: m= port count '0' is not 1-65535");
  EXPECT_EQ(error_of(kHead + kData + "t=0 0\r\n"), "line 6: t= is not allowed inside an m= section");
  EXPECT_EQ(error_of(kHead + kData + "c=IN IP4\r\n"), "line 6: c= line needs 3 fields: IN, IP4/IP6, address");
  EXPECT_EQ(error_of(kHead + "t=0 x\r\n"), "line 5: t= times must be numbers");
}

TEST(SdpErrors, TransportAttributes) {
  EXPECT_EQ(error_of(kHead + kData + "a=fingerprint:sha-256 AB:ZZ:01\r\n"),
            "line 6: a=fingerprint: 'ZZ' is not a pair of hex digits");
  EXPECT_EQ(error_of(kHead + kData + "a=fingerprint:sha-256 AB:C\r\n"),
            "line 6: a=fingerprint: the fingerprint ends in the middle of a hex pair");
  EXPECT_EQ(error_of(kHead + kData + "a=fingerprint:sha-256 AB-CD\r\n"),
            "line 6: a=fingerprint: hex pairs must be separated by ':'");
  EXPECT_EQ(error_of(kHead + kData + "a=fingerprint:sha-256\r\n"),
            "line 6: a=fingerprint needs a hash function and a fingerprint");
  std::string long_fp = "a=fingerprint:sha-256 00";
  for (int i = 0; i < 64; ++i)
    long_fp += ":00";
  EXPECT_EQ(error_of(kHead + kData + long_fp + "\r\n"), "line 6: a=fingerprint: longer than 64 bytes");
  EXPECT_EQ(error_of(kHead + kData + "a=setup:both\r\n"),
            "line 6: a=setup: 'both' is not actpass, active, passive or holdconn");
  EXPECT_EQ(error_of(kHead + kData + "a=setup\r\n"), "line 6: a=setup needs a value");
  EXPECT_EQ(error_of(kHead + kData + "a=ice-ufrag:abc\r\n"),
            "line 6: a=ice-ufrag must be 4 to 256 characters");
  EXPECT_EQ(error_of(kHead + kData + "a=ice-ufrag:ab_cd\r\n"),
            "line 6: a=ice-ufrag may hold only letters, digits, '+' and '/'");
  // The password is a secret: the message does not repeat it.
  EXPECT_EQ(error_of(kHead + kData + "a=ice-pwd:short-secret\r\n"),
            "line 6: a=ice-pwd must be 22 to 256 characters");
  EXPECT_EQ(error_of(kHead + kData + "a=ice-pwd:secret_secret_secret_secret\r\n"),
            "line 6: a=ice-pwd may hold only letters, digits, '+' and '/'");
  EXPECT_EQ(error_of(kHead + kData + "a=mid:0\r\na=mid:1\r\n"), "line 7: a second a=mid in m= section 1");
  EXPECT_EQ(error_of(kHead + "a=setup:active\r\na=setup:active\r\n"),
            "line 6: a second a=setup at session level");
  EXPECT_EQ(error_of(kHead + kData + "a=mid:0\r\n" + kData + "a=mid:0\r\n"),
            "line 8: a=mid:0 is already used by an earlier m= section");
  EXPECT_EQ(error_of(kHead + kData + "a=sendrecv\r\na=inactive\r\n"),
            "line 7: a second direction (a=inactive) in m= section 1");
  EXPECT_EQ(error_of(kHead + kData + "a=rtcp-mux:yes\r\n"), "line 6: a=rtcp-mux takes no value");
  EXPECT_EQ(error_of(kHead + kData + "a=sctp-port:65536\r\n"),
            "line 6: a=sctp-port: '65536' is not a port number");
  EXPECT_EQ(error_of(kHead + kData + "a=max-message-size:-1\r\n"),
            "line 6: a=max-message-size: '-1' is not a number");
  EXPECT_EQ(error_of(kHead + kData + "a=candidate:\r\n"), "line 6: a=candidate is empty");
  EXPECT_EQ(error_of(kHead + kData + "a=ice-options:\r\n"),
            "line 6: a=ice-options needs at least one option");
  EXPECT_EQ(error_of(kHead + "a=group:\r\n"), "line 5: a=group needs a semantics (BUNDLE, LS, ...)");
}

TEST(SdpErrors, RtpAttributes) {
  const std::string audio = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";
  EXPECT_EQ(error_of(kHead + audio + "a=rtpmap:128 opus/48000\r\n"),
            "line 6: a=rtpmap: payload type '128' is not 0-127");
  EXPECT_EQ(error_of(kHead + audio + "a=rtpmap:111 opus\r\n"),
            "line 6: a=rtpmap needs <encoding>/<clock rate>");
  EXPECT_EQ(error_of(kHead + audio + "a=rtpmap:111 opus/fast\r\n"),
            "line 6: a=rtpmap: clock rate 'fast' is not a number");
  EXPECT_EQ(error_of(kHead + audio + "a=fmtp:111\r\n"), "line 6: a=fmtp needs parameters after the format");
  EXPECT_EQ(error_of(kHead + audio + "a=rtcp-fb:x nack\r\n"),
            "line 6: a=rtcp-fb: 'x' is not a payload type or '*'");
  EXPECT_EQ(error_of(kHead + audio + "a=rtcp-fb:111\r\n"),
            "line 6: a=rtcp-fb needs a feedback type (nack, ccm, ...)");
  EXPECT_EQ(error_of(kHead + audio + "a=extmap:0 urn:x\r\n"),
            "line 6: a=extmap: id '0' is not 1-255 or 4096-4351");
  EXPECT_EQ(error_of(kHead + audio + "a=extmap:1/sideways urn:x\r\n"),
            "line 6: a=extmap: 'sideways' is not a direction");
  EXPECT_EQ(error_of(kHead + audio + "a=extmap:1\r\n"), "line 6: a=extmap needs a URI after the id");
  EXPECT_EQ(error_of(kHead + audio + "a=ssrc:4294967296 cname:x\r\n"),
            "line 6: a=ssrc: '4294967296' is not a 32-bit SSRC");
  EXPECT_EQ(error_of(kHead + audio + "a=ssrc:1\r\n"),
            "line 6: a=ssrc needs an attribute after the SSRC (cname:...)");
  EXPECT_EQ(error_of(kHead + audio + "a=ssrc-group:FID 1 two\r\n"),
            "line 6: a=ssrc-group: 'two' is not a 32-bit SSRC");
  EXPECT_EQ(error_of(kHead + audio + "a=msid:a b c\r\n"),
            "line 6: a=msid takes at most an id and one appdata");
}

TEST(SdpErrors, Limits) {
  Limits small;
  small.max_size = 100;
  EXPECT_EQ(error_of(test::vector("chromium_offer_datachannel.sdp"), small),
            "the description is larger than 100 bytes");
  EXPECT_EQ(error_of(kHead + "a=x:" + std::string(5000, 'y') + "\r\n"), "line 5: longer than 4096 bytes");
  Limits few_lines;
  few_lines.max_lines = 5;
  EXPECT_EQ(error_of(kHead + "a=ice-lite\r\na=x\r\n", few_lines), "line 6: more than 5 lines");
  Limits few_sections;
  few_sections.max_media_sections = 2;
  EXPECT_EQ(error_of(kHead + kData + kData + kData, few_sections), "line 7: more than 2 m= sections");
  Limits short_sections;
  short_sections.max_lines_per_section = 4;  // the session level has 4
  EXPECT_EQ(error_of(kHead + kData + "a=a\r\na=b\r\na=c\r\na=d\r\na=e\r\n", short_sections),
            "line 10: more than 4 lines in one section");
  EXPECT_EQ(error_of(kHead + "a=a\r\n", short_sections), "line 5: more than 4 lines in one section");
  // The default bounds take 256 KiB and refuse one byte more.
  std::string big = kHead;
  while (big.size() < 256 * 1024 - 4000)
    big += "a=x-filler:" + std::string(4000, 'f') + "\r\n";
  big += "a=x:" + std::string(256 * 1024 - big.size() - 6, 'z') + "\r\n";
  ASSERT_EQ(big.size(), 256u * 1024u);
  EXPECT_EQ(error_of(big), "(parsed)");
  EXPECT_EQ(error_of(big + "a"), "the description is larger than 262144 bytes");
}

}  // namespace
}  // namespace peerhub::sdp
