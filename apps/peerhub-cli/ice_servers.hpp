// RTCIceServer lists (the login answer's "iceServers", or --stun / --turn on the command line) turned into
// the PeerConnection's configuration: names resolved here, in the shell, so the cores only see addresses.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "peer/peer_connection.hpp"

namespace peerhub::cli {

// Adds what the list names. Unusable entries (turns:, names that do not resolve) are skipped and told in
// `notes`; a malformed list is an error.
Result<void> add_ice_servers(const boost::json::value& list, peer::Configuration& configuration,
                             std::vector<std::string>& notes);
// "stun:host:port", "turn:host:port?transport=tcp" with username/credential for turn.
Result<void> add_ice_url(std::string_view url, std::string_view username, std::string_view credential,
                         peer::Configuration& configuration);

}  // namespace peerhub::cli
