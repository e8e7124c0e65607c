#include "call.hpp"

#include "common/overloaded.hpp"
#include "console.hpp"

namespace peerhub::cli {

inline constexpr std::size_t kMaxUnsentLines = 100;

Call::Call(boost::asio::io_context& io, peer::Configuration configuration, net::PeerHostOptions host,
           CallOptions options, CallHooks hooks)
    : host_(io, std::move(configuration), std::move(host)),
      options_(std::move(options)),
      hooks_(std::move(hooks)) {
  waiting_files_ = options_.files;
}

Result<void> Call::start() {
  return host_.start([this](peer::Event&& event) { on_event(std::move(event)); });
}

void Call::open_chat() {
  auto id = pc().create_data_channel("chat");
  if (id) chat_ = *id;
}

void Call::typed(const std::string& line) {
  if (line == "/quit") return hang_up("you hung up");
  if (line.starts_with("/send ")) return send_file(line.substr(6));
  if (line.empty()) return;
  if (!chat_open_) {
    if (unsent_.size() >= kMaxUnsentLines) return complain("not connected yet; this line was not sent");
    unsent_.push_back(line);
    return;
  }
  auto sent = pc().send(*chat_, line);
  if (!sent) complain("not sent: " + sent.error());
  flush();
}

void Call::send_file(const std::string& path) {
  if (!connected_) {
    waiting_files_.push_back(path);
    say("\"" + path + "\" will be sent once connected");
    return;
  }
  auto sender =
      std::make_unique<FileSender>(pc(), path, [this](const FileResult& r) { on_file_done(r, true); });
  const std::string error = sender->start();
  if (!error.empty()) {
    complain(error);
    failed_files_ = true;
    if (options_.quit_after_files) end(false, error);
    return;
  }
  const auto id = sender->channel();
  senders_[id] = std::move(sender);
  flush();
}

void Call::hang_up(const std::string& why) {
  if (ended_) return;
  host_.close();
  end(!failed_files_, why);
}

void Call::on_event(peer::Event&& event) {
  std::visit(Overloaded{
                 [&](peer::event::LocalCandidate& c) {
                   if (hooks_.on_candidate) hooks_.on_candidate(c.candidate, c.mid);
                 },
                 [&](peer::event::GatheringComplete&) {
                   if (hooks_.on_gathered) hooks_.on_gathered();
                 },
                 [&](peer::event::StateChanged& s) {
                   say("connection " + std::string(peer::to_string(s.state)) +
                       (s.reason.empty() ? "" : ": " + s.reason));
                   if (s.state == peer::ConnectionState::connected && !connected_) {
                     connected_ = true;
                     auto files = std::move(waiting_files_);
                     waiting_files_.clear();
                     for (const auto& f : files)
                       send_file(f);
                   }
                   // The other side going away ends a call that was up; it is a failure only when it cut a
                   // file short
                   // (or the connection never came up).
                   const bool over =
                       s.state == peer::ConnectionState::failed || s.state == peer::ConnectionState::closed;
                   if (over) end(connected_ && !transfers_pending() && !failed_files_, s.reason, true);
                 },
                 [&](peer::event::IceStateChanged& i) { say("ice " + std::string(ice::to_string(i.state))); },
                 [&](peer::event::SelectedPair& p) { say("path " + p.local + " <-> " + p.remote); },
                 [&](peer::event::ChannelOpen& o) {
                   if (o.label == "chat") {
                     chat_ = o.id;
                     chat_open_ = true;
                     say("chat with " + options_.partner + " is open");
                     while (!unsent_.empty()) {
                       (void)pc().send(o.id, unsent_.front());
                       unsent_.pop_front();
                     }
                   } else if (o.label == "file" && o.incoming) {
                     receivers_[o.id] = std::make_unique<FileReceiver>(
                         pc(), o.id, options_.dir, [this](const FileResult& r) { on_file_done(r, false); });
                   } else if (auto s = senders_.find(o.id); s != senders_.end()) {
                     s->second->on_open();
                   } else if (o.incoming) {
                     (void)pc().close_channel(o.id);  // a channel this program does not speak
                   }
                 },
                 [&](peer::event::Message& m) {
                   if (chat_ && m.id == *chat_) {
                     chat_line(options_.partner, std::string(m.bytes.begin(), m.bytes.end()));
                   } else if (auto r = receivers_.find(m.id); r != receivers_.end()) {
                     r->second->on_message(m.binary, m.bytes);
                   }
                 },
                 [&](peer::event::BufferedAmountLow& b) {
                   if (auto s = senders_.find(b.id); s != senders_.end()) s->second->on_buffered_amount_low();
                 },
                 [&](peer::event::ChannelClosed& c) {
                   if (chat_ && c.id == *chat_) {
                     chat_open_ = false;
                     say("chat closed");
                   }
                   if (auto s = senders_.find(c.id); s != senders_.end()) s->second->on_closed();
                   if (auto r = receivers_.find(c.id); r != receivers_.end()) r->second->on_closed();
                 },
                 [&](auto&) {},
             },
             event);
}

bool Call::transfers_pending() const {
  for (const auto& [id, s] : senders_) {
    if (!s->finished()) return true;
  }
  for (const auto& [id, r] : receivers_) {
    if (!r->finished()) return true;
  }
  return false;
}

void Call::on_file_done(const FileResult& r, bool sent) {
  if (r.ok) {
    if (sent) {
      say("delivered \"" + r.name + "\": " + std::to_string(r.size) + " bytes, sha256 " + r.sha256 +
          " confirmed");
      ++files_sent_;
    } else {
      say("received \"" + r.name + "\" into " + r.path + ": " + std::to_string(r.size) + " bytes, sha256 " +
          r.sha256 + " verified");
      ++files_received_;
    }
  } else {
    complain((sent ? "sending \"" : "receiving \"") + r.name + "\" failed: " + r.error);
    failed_files_ = true;
  }
  if (options_.quit_after_files && files_sent_ + (failed_files_ ? 1 : 0) >= options_.files.size()) {
    hang_up(failed_files_ ? "a file was not delivered" : "every file was delivered");
  }
  if (options_.quit_after_received != 0 && files_received_ >= options_.quit_after_received) {
    hang_up("received " + std::to_string(files_received_) + " file(s)");
  }
}

void Call::end(bool ok, const std::string& why, bool by_remote) {
  if (ended_) return;
  ended_ = true;
  if (hooks_.on_end) hooks_.on_end(ok, why, by_remote);
}

}  // namespace peerhub::cli
