#include "net/server.hpp"

#include <csignal>
#include <thread>

#include <spdlog/spdlog.h>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/json/object.hpp>

#include "net/listener.hpp"
#include "net/net_metrics.hpp"
#include "net/port_claim.hpp"
#include "net/signaling_router.hpp"
#include "net/turn_service.hpp"
#include "net/turn_sockaddr.hpp"

namespace peerhub::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

constexpr auto kShutdownGrace = std::chrono::seconds(3);  // for clients to answer our close frames

// `turn` is set before any worker runs, so before any login asks for the iceServers.
signaling::HubConfig hub_config(const Config& c, const std::unique_ptr<TurnService>& turn) {
  signaling::HubConfig h;
  h.max_connections = c.max_connections;
  h.messages_per_second = c.messages_per_second;
  h.message_burst = c.message_burst;
  h.rooms_per_connection = c.rooms_per_connection;
  h.members_per_room = c.members_per_room;
  h.auth_secret = c.auth_secret;
  boost::json::array servers;
  for (const auto& s : c.ice_servers) {
    boost::json::object o;
    boost::json::array urls;
    for (const auto& u : s.urls)
      urls.emplace_back(u);
    o["urls"] = std::move(urls);
    if (!s.username.empty()) o["username"] = s.username;
    if (!s.credential.empty()) o["credential"] = s.credential;
    servers.emplace_back(std::move(o));
  }
  h.ice_servers = [servers, &turn](std::string_view name, std::int64_t unix_s) {
    auto out = servers;
    if (turn) turn->append_ice_servers(name, unix_s, out);  // fresh REST credentials for this login
    return out;
  };
  return h;
}

std::unique_ptr<asio::ssl::context> tls_context(const Config& c) {
  if (c.tls_cert.empty()) return nullptr;
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  ctx->use_certificate_chain_file(c.tls_cert);
  ctx->use_private_key_file(c.tls_key, asio::ssl::context::pem);
  return ctx;
}

tcp::endpoint endpoint_of(const std::string& text) {
  const auto ep = parse_endpoint(text);
  const auto address =
      ep.host.empty() ? asio::ip::address(asio::ip::address_v6::any()) : asio::ip::make_address(ep.host);
  return {address, ep.port};
}

std::string show(const tcp::endpoint& ep) {
  const auto a = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + a + "]" : a) + ":" + std::to_string(ep.port());
}

}  // namespace

int run_server(const Config& config) {
  std::signal(SIGPIPE, SIG_IGN);
  const unsigned count =
      config.workers != 0 ? config.workers : std::max(1u, std::thread::hardware_concurrency());

  NetMetrics metrics;
  std::unique_ptr<TurnService> turn;
  SignalingRouter router(hub_config(config, turn), count);
  WsServices ws{
      router, metrics,
      WsLimits{config.max_frame, config.send_queue_bytes, std::chrono::seconds(config.ping_interval_s),
               std::chrono::seconds(config.idle_timeout_s)}};
  std::error_code fs_ec;
  auto web_root = std::filesystem::canonical(config.web_dir, fs_ec);
  if (fs_ec) {
    spdlog::warn("web folder missing dir=\"{}\" error=\"{}\": only /ws, /healthz and /metrics are served",
                 config.web_dir, fs_ec.message());
    web_root = std::filesystem::absolute(config.web_dir);
  }
  HttpServices http{web_root, metrics, ws,
                    [&] {
                      std::string out;
                      append_prometheus(metrics, out);
                      router.append_prometheus(out);
                      if (turn) turn->append_prometheus(out);
                      return out;
                    },
                    config.allowed_origins};
  std::unique_ptr<asio::ssl::context> tls;
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < count; ++i) {
    workers.push_back(std::make_unique<Worker>(i));
  }

  asio::io_context main_io(1);
  std::vector<std::unique_ptr<Listener>> listeners;
  try {
    tls = tls_context(config);
    auto endpoint = endpoint_of(config.http);
    // Claimed by a plain bind first: another server on this address is an error, not a silent split of the
    // connections between two SO_REUSEPORT groups (port_claim.hpp).
    if (const auto address = stun_address(endpoint.address().to_string(), endpoint.port())) {
      endpoint.port(claim_port(*address, false, "server.http"));
    }
    for (auto& w : workers) {
      listeners.push_back(
          std::make_unique<Listener>(*w, endpoint, http, tls.get(), config.max_connections + 256));
      endpoint = listeners.back()->local_endpoint();  // port 0: the others share the port the first one got
    }
  } catch (const std::exception& e) {
    spdlog::error("startup failed http={} error=\"{}\"", config.http, e.what());
    return 1;
  }
  try {
    const auto plan = plan_turn(config);
    if (plan.enabled) {
      turn = std::make_unique<TurnService>(config, plan, workers, tls.get());
      turn->start();  // logs its addresses before the HTTP line, which tests wait for
    }
  } catch (const std::exception& e) {
    spdlog::error("startup failed turn={} error=\"{}\"", config.turn, e.what());
    turn.reset();  // before the workers its sockets belong to
    return 1;
  }

  const auto tick = std::chrono::milliseconds(std::min<unsigned>(1000, config.ping_interval_s * 500));
  for (std::size_t i = 0; i < workers.size(); ++i) {
    workers[i]->start_ticks(tick);
    listeners[i]->start();
    workers[i]->start();
  }
  const auto bound = show(listeners.front()->local_endpoint());
  const char* scheme = tls ? "https" : "http";
  spdlog::info("listening service={} addr={} url={}://{}/ workers={}", scheme, bound, scheme, bound, count);

  asio::signal_set signals(main_io, SIGINT, SIGTERM);
  asio::steady_timer drain(main_io);
  std::chrono::steady_clock::time_point deadline;
  std::function<void()> wait_for_drain = [&] {
    if (metrics.ws_open.load() == 0 || std::chrono::steady_clock::now() > deadline) {
      main_io.stop();
      return;
    }
    drain.expires_after(std::chrono::milliseconds(20));
    drain.async_wait([&](boost::system::error_code ec) {
      if (!ec) wait_for_drain();
    });
  };
  signals.async_wait([&](boost::system::error_code ec, int signo) {
    if (ec) return;
    spdlog::info("stopping signal={} websockets={}", signo, metrics.ws_open.load());
    for (std::size_t i = 0; i < workers.size(); ++i) {
      workers[i]->post([&w = *workers[i], &l = *listeners[i]] {
        l.stop();
        w.shutdown_members();
      });
    }
    deadline = std::chrono::steady_clock::now() + kShutdownGrace;
    wait_for_drain();
  });
  main_io.run();

  for (auto& w : workers)
    w->stop();
  for (auto& w : workers)
    w->join();
  router.release_all();
  listeners.clear();
  turn.reset();
  workers.clear();
  spdlog::info("stopped");
  return 0;
}

}  // namespace peerhub::net
