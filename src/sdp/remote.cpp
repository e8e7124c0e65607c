// What the peer reads from a remote offer or answer to run ICE, DTLS and SCTP under its data channel.
#include <algorithm>

#include "sdp/jsep.hpp"

namespace peerhub::sdp {

Result<RemoteDataChannel> read_remote_data_channel(const SessionDescription& remote, DescriptionType type) {
  const std::string kind = type == DescriptionType::offer ? "offer" : "answer";
  std::optional<std::size_t> data;
  bool rejected = false;
  for (std::size_t i = 0; i < remote.media().size() && !data; ++i) {
    const MediaSection& m = remote.media()[i];
    if (!m.is_data_channel()) continue;
    if (m.rejected()) {
      rejected = true;
      continue;
    }
    data = i;
  }
  if (!data) {
    if (rejected) return Error{0, "the " + kind + " rejected the data channel section (port 0)"};
    return Error{0, "the " + kind + " has no data channel section"};
  }

  const MediaSection& section = remote.media()[*data];
  const Transport t = remote.transport(*data);
  RemoteDataChannel r;
  r.media_index = *data;
  r.mid = section.mid().value_or("");
  if (!t.ice_ufrag) return Error{0, "no a=ice-ufrag for the data channel section"};
  if (!t.ice_pwd) return Error{0, "no a=ice-pwd for the data channel section"};
  if (t.fingerprints.empty()) return Error{0, "no a=fingerprint for the data channel section"};
  // RFC 8842 §5.3: "The answerer MUST NOT use the 'actpass' value" (nor holdconn, which would stop DTLS).
  if (type == DescriptionType::answer && t.setup == Setup::actpass) {
    return Error{0, "the answer says a=setup:actpass, which only an offer may say"};
  }
  if (t.setup == Setup::holdconn)
    return Error{0, "the " + kind + " says a=setup:holdconn: no DTLS connection"};
  r.ice_ufrag = *t.ice_ufrag;
  r.ice_pwd = *t.ice_pwd;
  r.ice_options = t.ice_options;
  r.ice_lite = t.ice_lite;
  r.fingerprints = t.fingerprints;
  r.setup = t.setup.value_or(type == DescriptionType::offer ? Setup::actpass : Setup::active);
  r.sctp_port = section.sctp_port().value_or(kDefaultSctpPort);
  r.max_message_size = section.max_message_size().value_or(kDefaultMaxMessageSize);

  // Candidates for a bundled transport may sit in any section of the group, usually the tagged one (Chromium
  // writes them there): gather them from each, tagged section first, each once.
  std::vector<std::size_t> sources;
  if (t.bundle_tag) {
    sources.push_back(*t.bundle_tag);
    if (const std::optional<Group> group = remote.bundle_group_of(r.mid)) {
      for (const std::string& mid : group->mids) {
        const std::optional<std::size_t> i = remote.find_mid(mid);
        if (i && !remote.media()[*i].rejected() && *i != *t.bundle_tag) sources.push_back(*i);
      }
    }
  } else {
    sources.push_back(*data);
  }
  for (std::size_t i : sources) {
    const MediaSection& m = remote.media()[i];
    if (const std::optional<std::string> mid = m.mid()) r.transport_mids.push_back(*mid);
    for (std::string& c : m.candidates())
      if (std::find(r.candidates.begin(), r.candidates.end(), c) == r.candidates.end())
        r.candidates.push_back(c);
  }
  // RFC 8840 §8.2: a=end-of-candidates may be written at session level or in the media section (of the tag).
  r.end_of_candidates = remote.end_of_candidates() || remote.media()[sources.front()].end_of_candidates() ||
                        section.end_of_candidates();
  return r;
}

}  // namespace peerhub::sdp
