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

// Runs the call with stdin as chat until it ends; the exit code says how it went.
int run_call(asio::io_context& io, Call& call, int& code) {
  StdinLines lines(io);
  lines.start([&call](std::string line) { call.typed(line); }, [&call] { call.hang_up("input ended"); });
  io.run();
  lines.stop();
  return code;
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

}  // namespace

std::string default_control_path() {
  return "/tmp/peerhub-cli-" + std::to_string(::getuid()) + ".sock";
}

int run_offer(asio::io_context& io, OfflineOptions options) {
  int code = 0;
  bool gathered = false;
  std::vector<std::string> candidates;
  CallHooks hooks;
  hooks.on_candidate = [&](const std::string& c, const std::string&) { candidates.push_back(c); };
  hooks.on_gathered = [&] { gathered = true; };
  hooks.on_end = [&](bool ok, const std::string& why, bool) {
    say("call ended: " + why);
    code = ok ? 0 : 1;
    asio::post(io, [&io] { io.stop(); });
  };
  options.call_options.partner = options.call_options.partner.empty() ? "peer" : options.call_options.partner;
  Call call(io, options.configuration, options.host, options.call_options, hooks);
  call.open_chat();
  auto offer = call.pc().create_offer();
  if (!offer) return complain(offer.error()), 1;
  if (auto set = call.pc().set_local_description(call.now(), *offer); !set) return complain(set.error()), 1;
  if (auto started = call.start(); !started) return complain(started.error()), 1;
  wait_for_gathering(io, call, gathered);
  const auto local = call.pc().local_description();
  if (auto written = write_file(options.out, description_json(*local, candidates, "0")); !written) {
    return complain(written.error()), 1;
  }
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
        for (const auto& [c, mid] : parsed->candidates)
          (void)call.pc().add_ice_candidate(call.now(), c, mid);
        (void)call.pc().add_ice_candidate(call.now(), "", "0");
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
  run_call(io, call, code);
  ::unlink(path.c_str());
  return code;
}

int run_answer(asio::io_context& io, OfflineOptions options) {
  auto text = read_file(options.in);
  if (!text) return complain(text.error()), 1;
  auto parsed = parse_description_file(*text, options.in, peer::SdpType::offer);
  if (!parsed) return complain(parsed.error()), 1;
  int code = 0;
  bool gathered = false;
  std::vector<std::string> candidates;
  CallHooks hooks;
  hooks.on_candidate = [&](const std::string& c, const std::string&) { candidates.push_back(c); };
  hooks.on_gathered = [&] { gathered = true; };
  hooks.on_end = [&](bool ok, const std::string& why, bool) {
    say("call ended: " + why);
    code = ok ? 0 : 1;
    asio::post(io, [&io] { io.stop(); });
  };
  options.call_options.partner = options.call_options.partner.empty() ? "peer" : options.call_options.partner;
  Call call(io, options.configuration, options.host, options.call_options, hooks);
  if (auto set = call.pc().set_remote_description(call.now(), parsed->description); !set) {
    return complain(options.in + ": " + set.error()), 1;
  }
  auto answer = call.pc().create_answer();
  if (!answer) return complain(answer.error()), 1;
  if (auto set = call.pc().set_local_description(call.now(), *answer); !set) return complain(set.error()), 1;
  for (const auto& [c, mid] : parsed->candidates)
    (void)call.pc().add_ice_candidate(call.now(), c, mid);
  (void)call.pc().add_ice_candidate(call.now(), "", "0");
  if (auto started = call.start(); !started) return complain(started.error()), 1;
  wait_for_gathering(io, call, gathered);
  const auto local = call.pc().local_description();
  if (auto written = write_file(options.out, description_json(*local, candidates, "0")); !written) {
    return complain(written.error()), 1;
  }
  say("wrote the answer to " + options.out + "; run `peerhub-cli accept --in " + options.out +
      "` beside the offer");
  return run_call(io, call, code);
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
