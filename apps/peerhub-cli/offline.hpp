// Signaling without a server: the description and every candidate in one JSON file each.
//   peerhub-cli offer  --out a.json                 writes the offer once ICE gathering is complete, then
//   waits
//                                                   for the answer on a control socket
//   peerhub-cli answer --in a.json --out b.json     answers, writes b.json, and runs the call
//   peerhub-cli accept --in b.json                  hands b.json to the waiting `offer` process
// The file: {"type":"offer"|"answer","sdp":"…","candidates":[{"candidate":"candidate:…","sdpMid":"0"}, …]}.
// The SDP already lists the candidates; they are repeated for peers that read them apart.
#pragma once

#include <boost/asio/io_context.hpp>
#include <string>

#include "call.hpp"

namespace peerhub::cli {

struct OfflineOptions {
  std::string in;
  std::string out;
  std::string control;  // the offer process's socket; default: /tmp/peerhub-cli-<uid>.sock
  net::PeerHostOptions host;
  peer::Configuration configuration;
  CallOptions call_options;
};

std::string default_control_path();
int run_offer(boost::asio::io_context& io, OfflineOptions options);
int run_answer(boost::asio::io_context& io, OfflineOptions options);
int run_accept(OfflineOptions options);

}  // namespace peerhub::cli
