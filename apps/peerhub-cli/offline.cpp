#include "offline.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "console.hpp"

namespace peerhub::cli {

namespace json = boost::json;
namespace asio = boost::asio;

namespace {

constexpr std::size_t kMaxFile = 1 << 20;
constexpr auto kGatherLimit = std::chrono::seconds(10);

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read " + path + ": " + std::strerror(errno)};
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > kMaxFile) return Error{path + " is larger than 1 MiB: not a description file"};
  return text.str();
}

Result<void> write_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".part";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Error{"cannot write " + path + ": " + std::strerror(errno)};
    out << text;
    if (!out.flush()) return Error{"cannot write " + path + ": " + std::strerror(errno)};
  }
  // Whole or not at all: a reader never sees half a file.
  if (std::rename(temporary.c_str(), path.c_str()) != 0)
    return Error{"cannot write " + path + ": " + std::strerror(errno)};
  return {};
}

std::string description_json(const peer::Description& d, const std::vector<std::string>& candidates,
                             const std::string& mid) {
  json::array list;
  for (const auto& c : candidates)
    list.push_back(json::object{{"candidate", c}, {"sdpMid", mid}});
  json::object o{
      {"type", std::string(peer::to_string(d.type))}, {"sdp", d.sdp}, {"candidates", std::move(list)}};
  return json::serialize(o) + "\n";
}

struct ParsedFile {
  peer::Description description;
  std::vector<std::pair<std::string, std::string>> candidates;
};

Result<ParsedFile> parse_description_file(const std::string& text, const std::string& origin,
                                          peer::SdpType want) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return Error{origin + " is not a JSON object"};
  const auto& o = value.as_object();
  const auto* type = o.if_contains("type");
  const auto* sdp = o.if_contains("sdp");
  if (type == nullptr || !type->is_string() || sdp == nullptr || !sdp->is_string()) {
    return Error{origin + " needs \"type\" and \"sdp\""};
  }
  const auto parsed_type = peer::parse_sdp_type(type->as_string());
  if (!parsed_type || *parsed_type != want) {
    return Error{origin + " holds " + std::string(type->as_string()) + ", not an " +
                 std::string(peer::to_string(want))};
  }
  ParsedFile out;
  out.description = {want, std::string(sdp->as_string())};
  if (const auto* list = o.if_contains("candidates"); list && list->is_array()) {
    for (const auto& c : list->as_array()) {
      const auto* co = c.if_object();
      if (co == nullptr) continue;
      const auto* candidate = co->if_contains("candidate");
      const auto* mid = co->if_contains("sdpMid");
      if (candidate && candidate->is_string()) {
        out.candidates.emplace_back(std::string(candidate->as_string()),
                                    mid && mid->is_string() ? std::string(mid->as_string()) : std::string());
      }
    }
  }
  return out;
}

// Waits until gathering completes (or 10 s), running the io_context meanwhile.
void wait_for_gathering(asio::io_context& io, Call& call, bool& gathered) {
  asio::steady_timer limit(io, kGatherLimit);
  limit.async_wait([&](const boost::system::error_code& ec) {
    if (!ec && !gathered) say("ICE gathering is taking long; writing what was gathered");
    if (!ec) gathered = true;
  });
  while (!gathered && !io.stopped())
    io.run_one();
  limit.cancel();
  call.flush();
}

// One offline call: the Call, the candidates it gathers (for the file) and how it ended.
class OfflineCall {
 public:
  OfflineCall(asio::io_context& io, const OfflineOptions& options)
      : io_(io), call_(io, options.configuration, options.host, named(options.call_options), hooks()) {}

  Call& call() { return call_; }
  peer::PeerConnection& pc() { return call_.pc(); }

  // The other side's candidates from its file, then the end of them (the file holds them all).
  void add_remote_candidates(const ParsedFile& file) {
    for (const auto& [c, mid] : file.candidates)
      (void)pc().add_ice_candidate(call_.now(), c, mid);
    (void)pc().add_ice_candidate(call_.now(), "", "0");
  }

  // Opens the sockets, waits for gathering and writes our description with every candidate to `path`.
  Result<void> publish(const std::string& path) {
    if (auto started = call_.start(); !started) return started;
    wait_for_gathering(io_, call_, gathered_);
    return write_file(path, description_json(*pc().local_description(), candidates_, "0"));
  }

  // Chat on stdin until the call ends; the exit code.
  int run() {
    StdinLines lines(io_);
    lines.start([this](std::string line) { call_.typed(line); }, [this] { call_.hang_up("input ended"); });
    io_.run();
    lines.stop();
    return code_;
  }

 private:
  static CallOptions named(CallOptions options) {
    if (options.partner.empty()) options.partner = "peer";
    return options;
  }
  CallHooks hooks() {
    CallHooks h;
    h.on_candidate = [this](const std::string& c, const std::string&) { candidates_.push_back(c); };
    h.on_gathered = [this] { gathered_ = true; };
    h.on_end = [this](bool ok, const std::string& why, bool) {
      say("call ended: " + why);
      code_ = ok ? 0 : 1;
      asio::post(io_, [this] { io_.stop(); });
    };
    return h;
  }

  asio::io_context& io_;
  std::vector<std::string> candidates_;
  bool gathered_ = false;
  int code_ = 0;
  Call call_;  // last: its hooks use the members above
};

}  // namespace

std::string default_control_path() {
  return "/tmp/peerhub-cli-" + std::to_string(::getuid()) + ".sock";
}

int run_offer(asio::io_context& io, OfflineOptions options) {
  OfflineCall offline(io, options);
  auto& call = offline.call();
  call.open_chat();
  auto offer = call.pc().create_offer();
  if (!offer) return complain(offer.error()), 1;
  if (auto set = call.pc().set_local_description(call.now(), *offer); !set) return complain(set.error()), 1;
  if (auto published = offline.publish(options.out); !published) return complain(published.error()), 1;
  say("wrote the offer to " + options.out + "; waiting for `peerhub-cli accept --in <answer file>`");

  // The control socket: one connection brings the answer file's text.
  const std::string path = options.control.empty() ? default_control_path() : options.control;
  ::unlink(path.c_str());
  asio::local::stream_protocol::acceptor acceptor(io, asio::local::stream_protocol::endpoint(path));
  asio::local::stream_protocol::socket peer_socket(io);
  std::string received;
  std::array<char, 4096> chunk{};
  std::function<void()> read_more;
  read_more = [&] {
    peer_socket.async_read_some(asio::buffer(chunk), [&](const boost::system::error_code& ec, std::size_t n) {
      received.append(chunk.data(), n);
      if (!ec && received.size() <= kMaxFile) return read_more();
      auto parsed = parse_description_file(received, "the answer", peer::SdpType::answer);
      std::string reply;
      if (!parsed) {
        reply = "error: " + parsed.error();
      } else if (auto set = call.pc().set_remote_description(call.now(), parsed->description); !set) {
        reply = "error: " + set.error();
      } else {
        offline.add_remote_candidates(*parsed);
        reply = "ok";
        say("answer accepted");
        acceptor.close();
        ::unlink(path.c_str());
      }
      call.flush();
      boost::system::error_code ignored;
      asio::write(peer_socket, asio::buffer(reply), ignored);
      peer_socket.close(ignored);
      if (reply != "ok") {
        complain(reply.substr(7));
        acceptor.async_accept(peer_socket, [&](const boost::system::error_code& e) {
          if (!e) {
            received.clear();
            read_more();
          }
        });
      }
    });
  };
  acceptor.async_accept(peer_socket, [&](const boost::system::error_code& ec) {
    if (!ec) read_more();
  });
  const int code = offline.run();
  ::unlink(path.c_str());
  return code;
}

int run_answer(asio::io_context& io, OfflineOptions options) {
  auto text = read_file(options.in);
  if (!text) return complain(text.error()), 1;
  auto parsed = parse_description_file(*text, options.in, peer::SdpType::offer);
  if (!parsed) return complain(parsed.error()), 1;
  OfflineCall offline(io, options);
  auto& call = offline.call();
  if (auto set = call.pc().set_remote_description(call.now(), parsed->description); !set) {
    return complain(options.in + ": " + set.error()), 1;
  }
  auto answer = call.pc().create_answer();
  if (!answer) return complain(answer.error()), 1;
  if (auto set = call.pc().set_local_description(call.now(), *answer); !set) return complain(set.error()), 1;
  offline.add_remote_candidates(*parsed);
  if (auto published = offline.publish(options.out); !published) return complain(published.error()), 1;
  say("wrote the answer to " + options.out + "; run `peerhub-cli accept --in " + options.out +
      "` beside the offer");
  return offline.run();
}

int run_accept(OfflineOptions options) {
  auto text = read_file(options.in);
  if (!text) return complain(text.error()), 1;
  if (auto parsed = parse_description_file(*text, options.in, peer::SdpType::answer); !parsed) {
    return complain(parsed.error()), 1;
  }
  const std::string path = options.control.empty() ? default_control_path() : options.control;
  asio::io_context io;
  asio::local::stream_protocol::socket socket(io);
  boost::system::error_code ec;
  socket.connect(asio::local::stream_protocol::endpoint(path), ec);
  if (ec) return complain("no `peerhub-cli offer` is waiting at " + path + " (" + ec.message() + ")"), 1;
  asio::write(socket, asio::buffer(*text), ec);
  socket.shutdown(asio::socket_base::shutdown_send, ec);
  std::string reply;
  std::array<char, 1024> chunk{};
  for (;;) {
    const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    reply.append(chunk.data(), n);
    if (ec) break;
  }
  if (reply != "ok")
    return complain(reply.starts_with("error: ") ? reply.substr(7) : "the offer process did not answer"), 1;
  say("the offer process took the answer");
  return 0;
}

}  // namespace peerhub::cli
