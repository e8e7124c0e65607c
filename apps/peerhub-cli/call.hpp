// One call of peerhub-cli with one other peer: the PeerConnection on real sockets (net::PeerHost), the chat
// channel on stdin/stdout, and files in both directions. The signaling around it (the server, or JSON files)
// is the caller's: it passes descriptions and candidates in, and gets local candidates out through Hooks.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "file_transfer.hpp"
#include "net/peer_host.hpp"

namespace peerhub::cli {

struct CallOptions {
  std::string partner;                  // for the words ("<alice> hi", "alice left")
  std::string dir = ".";                // where received files go
  std::vector<std::string> files;       // sent once connected
  bool quit_after_files = false;        // `send`: the call ends once every file arrived
  std::size_t quit_after_received = 0;  // `receive --count N`: ends after N files arrived (0: never)
};

struct CallHooks {
  std::function<void(const std::string& candidate, const std::string& mid)> on_candidate;
  std::function<void()> on_gathered;
  // The call is over: `ok` false when it failed (files not delivered, connection failed); `by_remote` when
  // the other side ended it.
  std::function<void(bool ok, const std::string& why, bool by_remote)> on_end;
};

class Call {
 public:
  Call(boost::asio::io_context& io, peer::Configuration configuration, net::PeerHostOptions host,
       CallOptions options, CallHooks hooks);
  Result<void> start();
  peer::PeerConnection& pc() { return host_.pc(); }
  void flush() { host_.flush(); }
  TimePoint now() const { return host_.now(); }

  // The caller opens the chat channel (as the web client's caller does).
  void open_chat();
  // A line typed on stdin: "/send PATH" sends a file, "/quit" hangs up, anything else is chat.
  void typed(const std::string& line);
  void send_file(const std::string& path);
  void hang_up(const std::string& why);
  bool connected() const { return connected_; }

 private:
  void on_event(peer::Event&& event);
  void on_file_done(const FileResult& result, bool sent);
  void end(bool ok, const std::string& why, bool by_remote = false);
  bool transfers_pending() const;

  net::PeerHost host_;
  CallOptions options_;
  CallHooks hooks_;
  std::optional<peer::ChannelId> chat_;
  bool chat_open_ = false;
  std::deque<std::string> unsent_;  // typed before the chat channel opened (bounded)
  std::map<peer::ChannelId, std::unique_ptr<FileSender>> senders_;
  std::map<peer::ChannelId, std::unique_ptr<FileReceiver>> receivers_;
  std::vector<std::string> waiting_files_;
  std::size_t files_sent_ = 0;
  std::size_t files_received_ = 0;
  bool failed_files_ = false;
  bool connected_ = false;
  bool ended_ = false;
};

}  // namespace peerhub::cli
