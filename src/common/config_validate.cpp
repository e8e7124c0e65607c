// Ranges and combinations that no single setting can check alone. Every message names the setting as it
// is written in TOML and says what would be accepted.
#include <cmath>
#include <stdexcept>
#include <string>

#include "common/config.hpp"
#include "common/turn_config.hpp"

namespace peerhub {
namespace {

constexpr unsigned kMaxWorkers = 256;
constexpr std::size_t kMaxFrameLimit = 16 * 1024 * 1024;  // one message is held whole in memory

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

void require_endpoint(const std::string& key, const std::string& value) {
  try {
    parse_endpoint(value);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(key + ": " + error.what());
  }
}

void require_positive(const std::string& key, double value) {
  require(value > 0 && std::isfinite(value), key + " must be greater than 0");
}

bool is_one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* item : allowed) {
    if (value == item) return true;
  }
  return false;
}

bool is_ice_url(const std::string& url) {
  for (const char* scheme : {"stun:", "stuns:", "turn:", "turns:"}) {
    if (url.starts_with(scheme) && url.size() > std::char_traits<char>::length(scheme)) return true;
  }
  return false;
}

}  // namespace

void validate(const Config& config) {
  require_endpoint("server.http", config.http);
  plan_turn(config);  // every [turn] setting, with the defaults they take from each other
  require_endpoint("media.listen", config.media);
  require(!config.web_dir.empty(), "server.web must name a folder");
  require(config.workers <= kMaxWorkers, "server.workers must be at most " + std::to_string(kMaxWorkers) +
                                             " (0 = one per core), got " + std::to_string(config.workers));
  require(is_one_of(config.log_level, {"trace", "debug", "info", "warn", "error", "off"}),
          "server.log_level must be trace, debug, info, warn, error or off, got '" + config.log_level + "'");
  require(is_one_of(config.log_format, {"text", "json"}),
          "server.log_format must be text or json, got '" + config.log_format + "'");

  require(config.tls_cert.empty() || !config.tls_key.empty(),
          "tls.cert is set but tls.key is not (--tls-key)");
  require(config.tls_key.empty() || !config.tls_cert.empty(),
          "tls.key is set but tls.cert is not (--tls-cert)");

  require_positive("signaling.max_frame", static_cast<double>(config.max_frame));
  require(config.max_frame <= kMaxFrameLimit,
          "signaling.max_frame must be at most " + std::to_string(kMaxFrameLimit) + " bytes");
  require_positive("signaling.max_connections", static_cast<double>(config.max_connections));
  require_positive("signaling.messages_per_second", config.messages_per_second);
  require(config.message_burst >= 1 && std::isfinite(config.message_burst),
          "signaling.message_burst must be at least 1");
  require_positive("signaling.rooms_per_connection", static_cast<double>(config.rooms_per_connection));
  require_positive("signaling.members_per_room", static_cast<double>(config.members_per_room));
  require_positive("signaling.ping_interval", config.ping_interval_s);
  require(config.idle_timeout_s > config.ping_interval_s,
          "signaling.idle_timeout (" + std::to_string(config.idle_timeout_s) +
              " s) must be longer than signaling.ping_interval (" + std::to_string(config.ping_interval_s) +
              " s), or a quiet client is dropped before it is pinged");
  // A relayed message must fit in the receiver's queue, or every large message would drop the receiver.
  require(config.send_queue_bytes >= config.max_frame,
          "signaling.send_queue_bytes must be at least signaling.max_frame (" +
              std::to_string(config.max_frame) + " bytes)");
  for (const auto& server : config.ice_servers) {
    require(!server.urls.empty(), "signaling.ice_servers: an entry has no urls");
    for (const auto& url : server.urls) {
      require(is_ice_url(url),
              "signaling.ice_servers: '" + url + "' is not a stun:, stuns:, turn: or turns: URL");
    }
  }

  for (const auto& origin : config.allowed_origins) {
    // Browsers send "scheme://host[:port]" with no path and no trailing slash; anything else never matches.
    const auto scheme_end = origin.find("://");
    const bool web_scheme = origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0;
    require(web_scheme && scheme_end != std::string::npos && origin.size() > scheme_end + 3 &&
                origin.find('/', scheme_end + 3) == std::string::npos,
            "server.allowed_origins: '" + origin + "' is not an origin like https://host:8443");
  }

  require_positive("auth.token_ttl", config.token_ttl_s);
  require(!config.turn_realm.empty(), "turn.realm must not be empty");
  for (const auto& user : config.turn_users) {
    // Only the name part may be quoted: the rest is a password.
    auto colon = user.find(':');
    require(colon != std::string::npos, "turn.users: an entry has no ':' (expected USER:PASS)");
    require(colon > 0 && colon + 1 < user.size(), "turn.users: the entry for '" + user.substr(0, colon) +
                                                      "' needs USER:PASS with both parts non-empty");
  }
}

}  // namespace peerhub
