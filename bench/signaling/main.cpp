// peerhub_bench_signaling: the signaling load generator. See bench/README.md.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "modes.hpp"

int main(int argc, char** argv) {
  using peerhub::bench::Options;
  CLI::App app{"Signaling load generator (Java-WebSocket dialect) for peerhub and the Node reference"};
  Options o;
  std::string url = "ws://127.0.0.1:8080/ws";
  std::string mode = "relay";
  app.add_option("--url", url, "ws://HOST:PORT/PATH of the server");
  app.add_option("--mode", mode, "relay | fixed | latency | idle | connect")
      ->check(CLI::IsMember({"relay", "fixed", "latency", "idle", "connect"}));
  app.add_option("--server-pid", o.server_pid, "server process to read CPU and RSS of");
  app.add_option("--pairs", o.pairs, "relay modes: logged-in pairs")->check(CLI::Range(1, 100000));
  app.add_option("--window", o.window, "relay: messages in flight per pair")->check(CLI::Range(1, 1000));
  app.add_option("--rate", o.rate, "fixed/latency: messages per second offered")->check(CLI::Range(1.0, 1e7));
  app.add_option("--warmup", o.warmup_s, "seconds not measured");
  app.add_option("--duration", o.duration_s, "seconds measured");
  app.add_option("--connections", o.connections, "idle/connect: connections")->check(CLI::Range(1, 1000000));
  app.add_option("--concurrency", o.concurrency, "idle/connect: in flight")->check(CLI::Range(1, 100000));
  app.add_option("--hold", o.hold_s, "idle: seconds to settle before reading RSS");
  app.add_option("--sdp-bytes", o.sdp_bytes, "padding in offers/answers")->check(CLI::Range(0, 60000));
  app.add_option("--sources", o.target.sources, "source addresses 127.0.0.1..N")->check(CLI::Range(1, 250));
  app.add_option("--timeout", o.timeout_s, "hard limit in seconds");
  app.add_option("--tag", o.tag, "login name prefix");
  CLI11_PARSE(app, argc, argv);
  try {
    const int sources = o.target.sources;
    o.target = peerhub::bench::parse_url(url);
    o.target.sources = sources;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bad --url: %s\n", e.what());
    return 2;
  }
  o.label = mode;
  if (mode == "relay") return peerhub::bench::run_relay(o, false);
  if (mode == "fixed" || mode == "latency") return peerhub::bench::run_relay(o, true);
  return peerhub::bench::run_connect(o, mode == "idle");
}
