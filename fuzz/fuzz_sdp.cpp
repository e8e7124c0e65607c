// libFuzzer target for the SDP module (src/sdp): parser, typed accessors, writer and JSEP helpers.
//
// Input: the text of a description, as a peer would send it. It is
//   1. parsed (with the default bounds); a description that parses has every accessor called on the session
//      level, on each m= section and on each section's effective transport;
//   2. written; the text must parse again into an equal model and write the same bytes;
//   3. read as a remote offer and as a remote answer, and answered with make_answer(): an answer that is made
//      must parse back to itself, and name the same data section mid.
// Seeds (fuzz/corpus/fuzz_sdp/): Chromium's captured data-channel offer with candidates, an offer with audio,
// video and a data channel, an answer that rejects audio and video, libdatachannel's offer (transport at
// session level, "ice2,trickle"), the Firefox-shaped offer of the unit tests (tests/unit/sdp_vectors/), and a
// bundle-only data section with LF line ends.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sdp/jsep.hpp"

namespace {

using namespace peerhub::sdp;

void check(bool ok) {
  if (!ok) std::abort();
}

volatile std::size_t sink = 0;

void touch(const AttributeLines& level) {
  sink = sink + level.lines().size() + level.ice_ufrag().value_or("").size() +
         level.ice_pwd().value_or("").size() + level.ice_options().size() + level.fingerprints().size() +
         (level.setup() ? 1 : 0) + (level.connection() ? 1 : 0) + (level.direction() ? 1 : 0) +
         (level.end_of_candidates() ? 1 : 0);
}

void touch(const MediaSection& m) {
  touch(static_cast<const AttributeLines&>(m));
  sink = sink + m.media().size() + m.port() + m.proto().size() + m.formats().size() + (m.rejected() ? 1 : 0) +
         (m.is_data_channel() ? 1 : 0) + m.mid().value_or("").size() + (m.rtcp_mux() ? 1 : 0) +
         (m.rtcp_rsize() ? 1 : 0) + (m.bundle_only() ? 1 : 0) + m.msids().size() + m.ssrcs().size() +
         m.ssrc_groups().size() + m.rtpmaps().size() + m.fmtps().size() + m.rtcp_fbs().size() +
         m.extmaps().size() + m.sctp_port().value_or(0) + m.max_message_size().value_or(0) +
         m.candidates().size();
  // Every typed value written again parses to itself.
  for (const Extmap& e : m.extmaps())
    check(parse_extmap(to_string(e)).value() == e);
  for (const Rtpmap& r : m.rtpmaps())
    check(parse_rtpmap(to_string(r)).value() == r);
  for (const Fingerprint& f : m.fingerprints())
    check(parse_fingerprint(to_string(f)).value() == f);
  for (const Ssrc& s : m.ssrcs())
    check(parse_ssrc(to_string(s)).value() == s);
}

void touch(const SessionDescription& d) {
  touch(static_cast<const AttributeLines&>(d));
  sink = sink + (d.origin() ? 1 : 0) + d.session_name().value_or("").size() + (d.timing() ? 1 : 0) +
         d.groups().size() + (d.msid_semantic() ? 1 : 0) + (d.ice_lite() ? 1 : 0);
  for (std::size_t i = 0; i < d.media().size(); ++i) {
    touch(d.media()[i]);
    const Transport t = d.transport(i);
    sink = sink + t.fingerprints.size() + t.bundle_tag.value_or(0);
    if (const auto mid = d.media()[i].mid()) sink = sink + (d.bundle_group_of(*mid) ? 1 : 0);
  }
}

AnswerOptions answer_options() {
  AnswerOptions o;
  o.transport.ice_ufrag = "fuzz";
  o.transport.ice_pwd = "fuzzpasswordfuzzpasswd";
  o.transport.fingerprint = Fingerprint{"sha-256", std::vector<std::uint8_t>(32, 0x5A)};
  o.session.id = 1;
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const Result<SessionDescription> d = parse(text);
  if (!d) {
    check(!d.error().message.empty());
    return 0;
  }
  touch(*d);

  const std::string written = write(*d);
  const Result<SessionDescription> again = parse(written);
  check(again.ok());
  check(*again == *d);
  check(write(*again) == written);

  const Result<RemoteDataChannel> as_offer = read_remote_data_channel(*d, DescriptionType::offer);
  const Result<RemoteDataChannel> as_answer = read_remote_data_channel(*d, DescriptionType::answer);
  if (as_offer) sink = sink + as_offer->candidates.size();
  if (as_answer) sink = sink + as_answer->fingerprints.size();

  const Result<SessionDescription> answer = make_answer(*d, answer_options());
  if (answer) {
    const Result<SessionDescription> parsed = parse(write(*answer));
    check(parsed.ok());
    check(*parsed == *answer);
    check(parsed->media().size() == d->media().size());
    const Result<RemoteDataChannel> ours = read_remote_data_channel(*parsed, DescriptionType::answer);
    check(ours.ok());
    if (as_offer) check(ours->mid == as_offer->mid && ours->media_index == as_offer->media_index);
  }
  return 0;
}
