// Every line of every captured description (Chromium, Firefox, libdatachannel, werift, peerhub's own)
// survives parse -> write, byte for byte, CRLF line ends included.
#include <gtest/gtest.h>

#include "sdp/description.hpp"
#include "sdp_vectors/vectors.hpp"

namespace peerhub::sdp {
namespace {

TEST(SdpRoundTrip, EveryVectorIsWrittenBackByteForByte) {
  const std::vector<std::string> names = test::all_vectors();
  ASSERT_GE(names.size(), 8u) << "the vectors folder lost files";
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const std::string text = test::vector(name);
    ASSERT_NE(text.find("\r\n"), std::string::npos);
    const Result<SessionDescription> d = parse(text);
    ASSERT_TRUE(d.ok()) << d.error().text();
    EXPECT_EQ(write(*d), text);
    // A second trip gives the same model.
    const Result<SessionDescription> again = parse(write(*d));
    ASSERT_TRUE(again.ok()) << again.error().text();
    EXPECT_EQ(*again, *d);
  }
}

TEST(SdpRoundTrip, KeepsLinesPeerhubDoesNotKnowInTheirPlace) {
  const std::string text =
      "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\ni=a session\r\nb=AS:30\r\nt=0 0\r\nr=7d 1h 0 25h\r\n"
      "a=x-custom:what ever\r\na=flag-we-do-not-know\r\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\r\ni=camera\r\nc=IN IP4 0.0.0.0\r\nb=TIAS:500000\r\n"
      "a=rid:hi send\r\na=simulcast:send hi;lo\r\na=x-custom:two  spaces\r\n";
  const Result<SessionDescription> d = parse(text);
  ASSERT_TRUE(d.ok()) << d.error().text();
  EXPECT_EQ(write(*d), text);
  EXPECT_EQ(d->attribute("x-custom"), "what ever");
  EXPECT_EQ(d->media()[0].attributes("rid"), std::vector<std::string>{"hi send"});
  EXPECT_EQ(d->media()[0].attribute("simulcast"), "send hi;lo");
}

TEST(SdpRoundTrip, MediaLineWithExtraSpacesIsWrittenAsItCame) {
  const std::string text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio  9 RTP/AVP  0 8\r\n";
  const Result<SessionDescription> d = parse(text);
  ASSERT_TRUE(d.ok()) << d.error().text();
  EXPECT_EQ(write(*d), text);
  EXPECT_EQ(d->media()[0].formats(), (std::vector<std::string>{"0", "8"}));
}

TEST(SdpRoundTrip, BareLineFeedsAreReadAndCrlfIsWritten) {
  const Result<SessionDescription> d = parse("v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\nt=0 0\na=ice-lite\n");
  ASSERT_TRUE(d.ok()) << d.error().text();
  EXPECT_EQ(write(*d), "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\n");
  EXPECT_TRUE(d->ice_lite());
}

TEST(SdpRoundTrip, MissingFinalLineEndAndTrailingBlankLinesAreTolerated) {
  const Result<SessionDescription> last = parse("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0");
  ASSERT_TRUE(last.ok()) << last.error().text();
  EXPECT_EQ(write(*last), "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
  const Result<SessionDescription> blank = parse("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\r\n");
  ASSERT_TRUE(blank.ok()) << blank.error().text();
  EXPECT_EQ(write(*blank), write(*last));
}

}  // namespace
}  // namespace peerhub::sdp
