// RFC 8829 §5.3.1: the answer of a data-channel-only peer to a remote offer.
#include "sdp/jsep.hpp"
#include "sdp/local_transport.hpp"

namespace peerhub::sdp {

namespace {

// RFC 8842 §5.3 (as RFC 4145 §4.1): the answerer takes the role the offerer left, or its own choice on
// actpass.
Setup answer_role(std::optional<Setup> offered, Setup preferred) {
  if (offered == Setup::active) return Setup::passive;
  if (offered == Setup::passive) return Setup::active;
  return preferred;
}

// RFC 3264 §6: "To reject an offered stream, the port number in the corresponding stream in the answer MUST
// be set to zero. Any media formats listed are ignored. At least one MUST be present". RFC 8829 §5.3.1 keeps
// the a=mid so that the offerer can match the section; Chromium writes c=IN IP4 0.0.0.0 as well.
void add_rejected(SessionDescription& d, const MediaSection& offered) {
  MediaLine line = offered.media_line();
  line.port = 0;
  line.port_count.reset();
  if (line.formats.empty()) line.formats.emplace_back("0");
  line.formats.resize(1);
  MediaSection& m = d.add_media(line);
  m.add_line('c', to_string(Connection{}));
  if (const auto mid = offered.mid()) m.add_attribute("mid", *mid);
}

}  // namespace

Result<SessionDescription> make_answer(const SessionDescription& offer, const AnswerOptions& options) {
  if (auto why = detail::check(options.transport)) return Error{0, std::move(*why)};
  if (options.setup != Setup::active && options.setup != Setup::passive) {
    return Error{0, "an answer's a=setup must be active or passive"};
  }

  std::optional<std::size_t> data;
  bool data_rejected_by_offerer = false;
  for (std::size_t i = 0; i < offer.media().size() && !data; ++i) {
    const MediaSection& m = offer.media()[i];
    if (!m.is_data_channel()) continue;
    if (m.rejected()) {
      data_rejected_by_offerer = true;
      continue;
    }
    data = i;
  }
  if (!data) {
    if (data_rejected_by_offerer) return Error{0, "the offer rejected its data channel section (port 0)"};
    return Error{0, "the offer has no data channel section"};
  }
  const MediaSection& offered = offer.media()[*data];
  const std::optional<std::string> mid = offered.mid();

  SessionDescription d = detail::new_description(options.session);
  // RFC 8843 §7.3.1: the answer's BUNDLE group holds the accepted sections of the offered group only; the
  // data section becomes the answerer-tagged one. No group when the offer did not bundle it.
  if (mid && offer.bundle_group_of(*mid)) d.add_attribute("group", to_string(Group{"BUNDLE", {*mid}}));
  if (options.transport.ice_lite) d.add_attribute("ice-lite");

  const Transport remote = offer.transport(*data);
  for (std::size_t i = 0; i < offer.media().size(); ++i) {
    const MediaSection& m = offer.media()[i];
    if (i != *data) {
      add_rejected(d, m);
      continue;
    }
    detail::add_data_section(d, m.proto(), options.transport, answer_role(remote.setup, options.setup),
                             mid.value_or(""), options.sctp_port, options.max_message_size);
    if (!mid) d.media().back().remove_attributes("mid");
  }
  return d;
}

}  // namespace peerhub::sdp
