// peerhub-cli through a peerhub server: log in by name over the signaling WebSocket (protocol version 1),
// call someone or wait to be called, and run the Call; offer / answer / candidate / leave travel as the web
// client sends them, so a browser tab and this program reach each other by name.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <vector>

#include "call.hpp"
#include "console.hpp"
#include "net/ws_client.hpp"

namespace peerhub::cli {

enum class Mode { chat, send, receive };

struct ServerOptions {
  std::string url;
  std::string name;
  std::string call;  // whom to call; empty: wait to be called
  Mode mode = Mode::chat;
  net::WsClientOptions tls;
  net::PeerHostOptions host;
  peer::Configuration configuration;  // --relay, --stun; the login answer's ICE servers are added to it
  CallOptions call_options;
};

class ServerSession {
 public:
  ServerSession(boost::asio::io_context& io, ServerOptions options);
  void start();
  int exit_code() const { return exit_code_; }

 private:
  void on_message(std::string_view text);
  void on_login(const boost::json::object& message);
  void on_offer(const std::string& from, const boost::json::object& message);
  void on_answer(const std::string& from, const boost::json::object& message);
  void on_candidate(const std::string& from, const boost::json::object& message);
  void on_leave(const std::string& from, const boost::json::object& message);
  void start_call(const std::string& partner, bool caller);
  void end_call(bool ok, const std::string& why, bool by_remote);
  void remote_applied(const std::string& from);
  void leave(const std::string& why);
  void send(boost::json::object message);
  void finish(int code);

  boost::asio::io_context& io_;
  ServerOptions options_;
  std::shared_ptr<net::WsClient> ws_;
  std::unique_ptr<StdinLines> stdin_;
  peer::Configuration configuration_;
  std::unique_ptr<Call> call_;
  std::string partner_;
  std::string last_partner_;  // of the call that just ended, to name them when their "leave" comes late
  bool left_ = false;         // "leave" was sent (or received) for the current call
  static constexpr std::size_t kMaxEarlyCandidates = 200;
  std::vector<boost::json::object> early_candidates_;  // before the call's remote description
  bool has_remote_ = false;
  int exit_code_ = 0;
  bool done_ = false;
};

}  // namespace peerhub::cli
