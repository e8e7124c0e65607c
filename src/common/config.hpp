// peerhub's configuration: defaults, then a TOML file, then command-line flags, then PEERHUB_* environment
// variables — a later source wins over an earlier one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace peerhub {

struct IceServerConfig {
  std::vector<std::string> urls;
  std::string username;
  std::string credential;
};

struct Config {
  // [server]
  std::string http = "127.0.0.1:8080";  // ADDR:PORT; port 0 picks a free one (logged)
  std::string web_dir = "web";
  // Browser pages whose Origin may open /ws (scheme://host[:port]); empty: any. Clients that send no Origin
  // (native programs) are not browsers and always may.
  std::vector<std::string> allowed_origins;
  unsigned workers = 0;             // 0 = one per core
  std::string log_level = "info";   // trace debug info warn error off
  std::string log_format = "text";  // text | json

  // [tls] HTTPS/WSS when both are set
  std::string tls_cert;
  std::string tls_key;

  // [signaling]
  std::size_t max_frame = 64 * 1024;  // bytes of one WebSocket message
  double messages_per_second = 100;
  double message_burst = 200;
  std::size_t max_connections = 20000;
  std::size_t rooms_per_connection = 16;
  std::size_t members_per_room = 64;
  unsigned ping_interval_s = 20;               // a ping after this much silence ...
  unsigned idle_timeout_s = 60;                // ... and the connection is dropped after this much
  std::size_t send_queue_bytes = 1024 * 1024;  // a slower reader is dropped
  std::vector<IceServerConfig> ice_servers;

  // [auth]
  std::string auth_secret;  // non-empty: login needs a token (never logged)
  unsigned token_ttl_s = 24 * 3600;

  // [turn] the embedded STUN/TURN server (see common/turn_config.hpp for how these combine)
  std::string turn = "127.0.0.1:3478";  // UDP and TCP; "" or "off": no STUN/TURN
  std::string turn_tls;                 // "": the TURN IP, port 5349, when tls.cert is set; "off": none
  std::string turn_realm = "peerhub";
  std::vector<std::string> turn_users;  // USER:PASS
  std::string turn_secret;              // REST secret; empty: a random one per run
  bool turn_allow_loopback_peers = false;
  std::vector<std::string> turn_allow_peers;      // CIDR ranges relayed to despite the safety defaults
  std::string turn_relay_ports = "49152-65535";   // MIN-MAX
  std::vector<std::string> turn_relay_addresses;  // at most one IPv4 and one IPv6; default: the listen IP
  std::string turn_public_host;                   // host in stun:/turn: URLs; default: listen or relay IP
  std::size_t turn_max_allocations = 10000;
  std::size_t turn_max_allocations_per_user = 16;
  std::size_t turn_bandwidth = 0;              // bytes/s per allocation and direction; 0 = unlimited
  unsigned turn_credential_ttl_s = 24 * 3600;  // lifetime of the login's REST credentials

  // [media]: reserved for the SFU
  std::string media = "127.0.0.1:0";
};

struct Endpoint {
  std::string host;
  std::uint16_t port = 0;
};

// "127.0.0.1:8080", "[::1]:0", ":8080" (host "0.0.0.0": every IPv4 interface; "[::]:8080" for every
// interface). Only IP literals: names are not resolved. Throws std::invalid_argument with a clear message.
Endpoint parse_endpoint(const std::string& text);

// Reads a TOML file into `config` (only the keys it names). Throws std::runtime_error naming the file, line
// and key on a syntax error, an unknown key or a value of the wrong type.
void load_toml_file(const std::string& path, Config& config);
// The same for TOML text in memory; `source` names it in errors.
void load_toml_text(std::string_view text, const std::string& source, Config& config);

// Names the TOML file, like --config (and, being the environment, wins over it).
inline constexpr const char* kConfigFileVariable = "PEERHUB_CONFIG";

// Applies PEERHUB_* variables from `env` (an environ-style array, may be null): PEERHUB_<FLAG IN UPPER SNAKE
// CASE>, e.g. PEERHUB_MAX_FRAME; list settings take comma-separated values. Throws std::invalid_argument
// naming the variable on a malformed value. Returns one warning per PEERHUB_* variable that names no setting,
// for the caller to log: a typo must be visible, but is no reason to refuse to start.
std::vector<std::string> apply_environment(char** env, Config& config);

// Checks ranges and combinations (e.g. a cert without a key); throws std::invalid_argument.
void validate(const Config& config);

}  // namespace peerhub
