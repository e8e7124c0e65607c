// RFC 8829 §5.2.1: the initial offer of a data-channel-only peer.
#include "sdp/jsep.hpp"
#include "sdp/local_transport.hpp"

namespace peerhub::sdp {

Result<SessionDescription> make_offer(const OfferOptions& options) {
  if (auto why = detail::check(options.transport)) return Error{0, std::move(*why)};
  if (!parse_mid(options.mid)) return Error{0, "the mid must be a token (no spaces)"};

  SessionDescription d = detail::new_description(options.session);
  // RFC 8829 §5.2.1: "a=group:BUNDLE" with every mid, whatever the bundle policy; a=ice-lite at session
  // level.
  d.add_attribute("group", to_string(Group{"BUNDLE", {options.mid}}));
  if (options.transport.ice_lite) d.add_attribute("ice-lite");
  // RFC 8842 §5.2: the offerer says actpass and lets the answerer choose.
  detail::add_data_section(d, "UDP/DTLS/SCTP", options.transport, Setup::actpass, options.mid,
                           options.sctp_port, options.max_message_size);
  return d;
}

}  // namespace peerhub::sdp
