#include "server_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "ice_servers.hpp"

namespace peerhub::cli {

namespace json = boost::json;

namespace {

std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The dialect-1 server may deliver a description as an object or (older clients) as a JSON string.
const json::object* object_of(const json::object& o, std::string_view key, json::value& storage) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return nullptr;
  if (v->is_object()) return &v->as_object();
  if (v->is_string()) {
    boost::system::error_code ec;
    storage = json::parse(v->as_string(), ec);
    if (!ec && storage.is_object()) return &storage.as_object();
  }
  return nullptr;
}

}  // namespace

ServerSession::ServerSession(boost::asio::io_context& io, ServerOptions options)
    : io_(io), options_(std::move(options)), configuration_(options_.configuration) {}

void ServerSession::start() {
  const auto url = net::parse_ws_url(options_.url);
  if (!url.error.empty()) {
    complain(url.error);
    return finish(2);
  }
  ws_ = net::WsClient::create(io_, url.url, options_.tls);
  ws_->start(
      [this] {
        send({{"type", "login"}, {"name", options_.name}, {"version", 1}});
      },
      [this](std::string_view text) { on_message(text); },
      [this](const std::string& reason) {
        if (done_) return;
        complain("signaling: " + reason);
        finish(1);
      });
  if (options_.mode == Mode::chat) {
    stdin_ = std::make_unique<StdinLines>(io_);
    stdin_->start(
        [this](std::string line) {
          if (line == "/quit") return leave("you hung up");
          if (call_) return call_->typed(line);
          complain("not in a call yet");
        },
        // The end of input hangs up and leaves, as closing the page does.
        [this] {
          leave("input ended");
          finish(exit_code_);
        });
  }
}

// The other side hears "leave" from the server before the connection closes under it, so it knows why.
void ServerSession::leave(const std::string& why) {
  if (!call_) return finish(exit_code_);
  send({{"type", "leave"}, {"name", partner_}});
  left_ = true;
  call_->hang_up(why);
}

void ServerSession::send(json::object message) {
  if (ws_) ws_->send(json::serialize(message));
}

void ServerSession::on_message(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return complain("the server sent something that is not a JSON object");
  const auto& m = value.as_object();
  const std::string type = text_of(m, "type");
  const std::string from = text_of(m, "name");
  if (type == "login") return on_login(m);
  if (type == "offer") return on_offer(from, m);
  if (type == "answer") return on_answer(from, m);
  if (type == "candidate") return on_candidate(from, m);
  if (type == "leave") return on_leave(from, m);
  if (type == "error") {
    const std::string words = text_of(m, "message");
    complain("the server says: " + words);
    // The one we called is not there: nothing more to do.
    if (!options_.call.empty() && !(call_ && call_->connected())) finish(1);
    return;
    return;
  }
}

void ServerSession::on_login(const json::object& m) {
  const auto* success = m.if_contains("success");
  if (success == nullptr || !success->is_bool() || !success->as_bool()) {
    const std::string error = text_of(m, "error");
    complain(error == "name-taken" ? "the name \"" + options_.name + "\" is already in use; choose another"
                                   : "login refused: " + (error.empty() ? text_of(m, "message") : error));
    return finish(1);
  }
  say("logged in as " + options_.name);
  std::vector<std::string> notes;
  if (const auto* servers = m.if_contains("iceServers")) {
    auto added = add_ice_servers(*servers, configuration_, notes);
    if (!added) complain(added.error());
  }
  for (const auto& note : notes)
    say("ICE server skipped: " + note);
  if (configuration_.relay_only && configuration_.turn_servers.empty()) {
    complain("--relay needs a TURN server, and the server's login answer named none");
    return finish(1);
  }
  if (!options_.call.empty()) {
    start_call(options_.call, true);
  } else {
    say("waiting for a call");
  }
}

void ServerSession::start_call(const std::string& partner, bool caller) {
  partner_ = partner;
  CallOptions call_options = options_.call_options;
  call_options.partner = partner;
  CallHooks hooks;
  hooks.on_candidate = [this](const std::string& candidate, const std::string& mid) {
    send({{"type", "candidate"},
          {"name", partner_},
          {"candidate", {{"candidate", candidate}, {"sdpMid", mid}, {"sdpMLineIndex", 0}}}});
  };
  hooks.on_end = [this](bool ok, const std::string& why, bool by_remote) {
    // Out of the Call's own stack before it is destroyed.
    boost::asio::post(io_, [this, ok, why, by_remote] { end_call(ok, why, by_remote); });
  };
  call_ =
      std::make_unique<Call>(io_, configuration_, options_.host, std::move(call_options), std::move(hooks));
  auto started = call_->start();
  if (!started) {
    complain(started.error());
    call_.reset();
    return finish(1);
  }
  if (!caller) return;
  say("calling " + partner);
  call_->open_chat();
  auto& pc = call_->pc();
  auto offer = pc.create_offer();
  if (!offer) {
    complain(offer.error());
    return finish(1);
  }
  auto applied = pc.set_local_description(call_->now(), *offer);
  if (!applied) {
    complain(applied.error());
    return finish(1);
  }
  send({{"type", "offer"}, {"name", partner}, {"offer", {{"type", "offer"}, {"sdp", offer->sdp}}}});
  call_->flush();
}

void ServerSession::on_offer(const std::string& from, const json::object& m) {
  json::value storage;
  const auto* offer = object_of(m, "offer", storage);
  if (offer == nullptr) return complain(from + " sent an offer without a description");
  if (call_ && from != partner_) {
    send({{"type", "leave"}, {"name", from}, {"reason", "busy"}});
    return say(from + " called, but this peer is busy");
  }
  if (!call_) {
    if (!options_.call.empty()) {
      send({{"type", "leave"}, {"name", from}, {"reason", "busy"}});
      return;
    }
    say(from + " is calling; answering");
    start_call(from, false);
    if (!call_) return;
  }
  auto& pc = call_->pc();
  auto set = pc.set_remote_description(call_->now(), {peer::SdpType::offer, text_of(*offer, "sdp")});
  if (!set) {
    complain("the offer from " + from + " cannot be used: " + set.error());
    send({{"type", "leave"}, {"name", from}});
    left_ = true;
    return end_call(false, set.error(), false);
  }
  auto answer = pc.create_answer();
  if (!answer) return complain(answer.error());
  auto applied = pc.set_local_description(call_->now(), *answer);
  if (!applied) return complain(applied.error());
  send({{"type", "answer"}, {"name", from}, {"answer", {{"type", "answer"}, {"sdp", answer->sdp}}}});
  remote_applied(from);
}

void ServerSession::on_answer(const std::string& from, const json::object& m) {
  if (!call_ || from != partner_) return;
  json::value storage;
  const auto* answer = object_of(m, "answer", storage);
  if (answer == nullptr) return complain(from + " sent an answer without a description");
  auto set =
      call_->pc().set_remote_description(call_->now(), {peer::SdpType::answer, text_of(*answer, "sdp")});
  if (!set) {
    complain("the answer from " + from + " cannot be used: " + set.error());
    return end_call(false, set.error(), false);
  }
  say(from + " answered");
  remote_applied(from);
}

// The remote description is in: candidates that came before it are added now, in order.
void ServerSession::remote_applied(const std::string& from) {
  has_remote_ = true;
  for (const auto& c : early_candidates_)
    on_candidate(from, c);
  early_candidates_.clear();
  call_->flush();
}

void ServerSession::on_candidate(const std::string& from, const json::object& m) {
  if (!call_ || from != partner_) return;
  // Trickled candidates can overtake the description they belong to (the server relays both in order, but the
  // offer waits here until the call is answered): kept, bounded, until it is applied.
  if (!has_remote_) {
    if (early_candidates_.size() < kMaxEarlyCandidates) early_candidates_.push_back(m);
    return;
  }
  json::value storage;
  const auto* c = object_of(m, "candidate", storage);
  std::string candidate;
  std::string mid;
  if (c != nullptr) {
    candidate = text_of(*c, "candidate");
    mid = text_of(*c, "sdpMid");
  }
  auto added = call_->pc().add_ice_candidate(call_->now(), candidate, mid);
  if (!added) complain("a candidate from " + from + " was not used: " + added.error());
  call_->flush();
}

void ServerSession::on_leave(const std::string& from, const json::object& m) {
  // The connection may close before the server's word arrives: the call is over already, but say who left.
  if (!call_ && from == last_partner_) {
    last_partner_.clear();
    return say(from + " left");
  }
  if (!call_ || from != partner_) return;
  const std::string reason = text_of(m, "reason");
  say(from + (reason == "declined" ? " declined the call" : reason == "busy" ? " is busy" : " left"));
  left_ = true;  // no "leave" back: the other side is gone
  last_partner_ = from;
  call_->hang_up(from + " left");
}

void ServerSession::end_call(bool ok, const std::string& why, bool by_remote) {
  if (!call_) return;
  if (!why.empty()) say("call ended: " + why);
  // Tell the other side, unless it ended the call (and so knows) or was told already.
  if (!by_remote && !left_) send({{"type", "leave"}, {"name", partner_}});
  call_.reset();
  early_candidates_.clear();
  has_remote_ = false;
  last_partner_ = partner_;
  partner_.clear();
  left_ = false;
  if (options_.mode == Mode::send || !options_.call.empty() ||
      options_.call_options.quit_after_received != 0) {
    return finish(ok ? 0 : 1);
  }
  say("waiting for a call");
}

void ServerSession::finish(int code) {
  if (done_) return;
  done_ = true;
  exit_code_ = code;
  if (stdin_) stdin_->stop();
  call_.reset();
  if (ws_) ws_->close();
  boost::asio::post(io_, [this] { io_.stop(); });
}

}  // namespace peerhub::cli
