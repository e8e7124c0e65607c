// peerhub-cli: the native peer. Chat and files over a data channel with a browser tab or another peerhub-cli,
// through a peerhub server (chat, send, receive) or with no server at all (offer, answer, accept).
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <csignal>
#include <iostream>
#include <random>

#include "console.hpp"
#include "ice_servers.hpp"
#include "offline.hpp"
#include "server_session.hpp"

using namespace peerhub;
using namespace peerhub::cli;

namespace {

struct Common {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool loopback = false;
  bool relay = false;
  std::vector<std::string> stun;
  std::string dir = ".";
};

void add_common(CLI::App* app, Common& c) {
  app->add_option("--interface", c.include,
                  "use only these interfaces or address ranges for ICE (repeatable)");
  app->add_option("--exclude-interface", c.exclude, "never use these interfaces or ranges (repeatable)");
  app->add_flag("--loopback", c.loopback,
                "offer loopback candidates too (a browser on this machine needs them)");
  app->add_option("--dir", c.dir, "where received files are saved")->check(CLI::ExistingDirectory);
  app->add_flag("--relay", c.relay, "use only relayed (TURN) candidates, as iceTransportPolicy 'relay'");
}

struct Built {
  net::PeerHostOptions host;
  peer::Configuration configuration;
};

// Loopback only when asked for, or when the machine has nothing else (a test's network namespace).
Result<Built> build(const Common& c) {
  Built b;
  b.host.interfaces.include = c.include;
  b.host.interfaces.exclude = c.exclude;
  b.host.interfaces.allow_loopback = c.loopback;
  auto list = net::local_addresses(b.host.interfaces);
  if (!list.error.empty()) return Error{list.error};
  if (list.addresses.empty() && c.include.empty()) b.host.interfaces.allow_loopback = true;
  b.configuration.relay_only = c.relay;
  for (const auto& url : c.stun) {
    auto added = add_ice_url(url.starts_with("stun:") ? url : "stun:" + url, "", "", b.configuration);
    if (!added) return Error{added.error()};
  }
  return b;
}

std::string random_name() {
  std::random_device device;
  return "cli-" + std::to_string(device() % 100000);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"peerhub-cli: chat and send files over WebRTC data channels, with a browser or another peer.",
               "peerhub-cli"};
  app.require_subcommand(1);
  Common common;
  std::string server = "ws://127.0.0.1:8080/ws";
  std::string name;
  std::string call;
  std::string to;
  std::string ca;
  bool insecure = false;
  std::string file;
  std::size_t count = 0;
  OfflineOptions offline;

  const auto add_server = [&](CLI::App* sub) {
    sub->add_option("--server", server, "the peerhub signaling URL (ws:// or wss://)")->capture_default_str();
    sub->add_option("--name", name, "the name to log in with (default: cli-<number>)");
    sub->add_option("--ca", ca, "wss: trust this certificate (e.g. from `peerhub cert`)");
    sub->add_flag("--insecure", insecure, "wss: accept any certificate (only for trying it out)");
  };
  auto* chat =
      app.add_subcommand("chat", "log in, call or wait to be called, chat on stdin/stdout (/send FILE)");
  add_server(chat);
  add_common(chat, common);
  chat->add_option("--call", call, "call this name (otherwise wait to be called)");
  auto* send = app.add_subcommand("send", "send a file to someone logged in to the server");
  add_server(send);
  add_common(send, common);
  send->add_option("file", file, "the file")->required()->check(CLI::ExistingFile);
  send->add_option("--to", to, "the name to send it to")->required();
  auto* receive = app.add_subcommand("receive", "wait to be called and save the files that arrive");
  add_server(receive);
  add_common(receive, common);
  receive->add_option("--count", count, "leave after this many files (default: keep receiving)");
  auto* offer = app.add_subcommand("offer", "no server: write an offer file, then wait for `accept`");
  offer->add_option("--out", offline.out, "the offer file to write")->required();
  offer->add_option("--control", offline.control, "the socket `accept` reaches this process on");
  offer->add_option("--stun", common.stun, "a STUN server host:port for a server-reflexive candidate");
  add_common(offer, common);
  auto* answer =
      app.add_subcommand("answer", "no server: read an offer file, write an answer file, then chat");
  answer->add_option("--in", offline.in, "the offer file")->required()->check(CLI::ExistingFile);
  answer->add_option("--out", offline.out, "the answer file to write")->required();
  answer->add_option("--stun", common.stun, "a STUN server host:port for a server-reflexive candidate");
  add_common(answer, common);
  auto* accept = app.add_subcommand("accept", "no server: hand the answer file to the waiting `offer`");
  accept->add_option("--in", offline.in, "the answer file")->required()->check(CLI::ExistingFile);
  accept->add_option("--control", offline.control, "the socket of the waiting `offer`");
  for (auto* sub : {offer, answer}) {
    sub->add_option("--send", offline.call_options.files, "send this file once connected (repeatable)");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }

  if (accept->parsed()) return run_accept(offline);

  auto built = build(common);
  if (!built) {
    complain(built.error());
    return 2;
  }
  boost::asio::io_context io;
  if (offer->parsed() || answer->parsed()) {
    offline.host = built->host;
    offline.configuration = built->configuration;
    offline.call_options.dir = common.dir;
    return offer->parsed() ? run_offer(io, offline) : run_answer(io, offline);
  }

  ServerOptions options;
  options.url = server;
  options.name = name.empty() ? random_name() : name;
  options.tls = {ca, insecure};
  options.host = built->host;
  options.configuration = built->configuration;
  options.call_options.dir = common.dir;
  if (insecure) say("--insecure: the server's certificate is not checked");
  if (chat->parsed()) {
    options.mode = Mode::chat;
    options.call = call;
  } else if (send->parsed()) {
    options.mode = Mode::send;
    options.call = to;
    options.call_options.files = {file};
    options.call_options.quit_after_files = true;
  } else {
    options.mode = Mode::receive;
    options.call_options.quit_after_received = count;
  }
  ServerSession session(io, options);
  session.start();
  io.run();
  return session.exit_code();
}
