#include "net/http_routes.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "net/web_path.hpp"
#include "ws/frame.hpp"

namespace peerhub::net {
namespace {

constexpr std::string_view kServer = "peerhub";

void common_headers(http::fields& f) {
  f.set(http::field::server, kServer);
  f.set("X-Content-Type-Options", "nosniff");
}

// A page from another site must not reach the signaling socket with the visitor's network position when the
// operator named the pages that may (cross-site WebSocket hijacking).
bool origin_allowed(const Request& req, const HttpServices& services) {
  if (services.allowed_origins.empty()) return true;
  const auto origin = req.find(http::field::origin);
  if (origin == req.end()) return true;  // not a browser
  for (const auto& allowed : services.allowed_origins) {
    if (boost::beast::iequals(origin->value(), allowed)) return true;
  }
  return false;
}

Routed websocket_upgrade(const Request& req, const HttpServices& services) {
  // RFC 6455 §4.2.1: GET, Upgrade: websocket, Connection: Upgrade, a 16-byte base64 key, version 13.
  if (req.method() != http::verb::get || !boost::beast::websocket::is_upgrade(req)) {
    return {text_response(req, http::status::upgrade_required, "this endpoint speaks WebSocket\n")};
  }
  if (req[http::field::sec_websocket_version] != "13") {
    auto res = text_response(req, http::status::upgrade_required, "WebSocket version 13 is required\n");
    res.set(http::field::sec_websocket_version, "13");
    return {std::move(res)};
  }
  if (!origin_allowed(req, services)) {
    return {text_response(req, http::status::forbidden, "this page's origin may not open /ws\n")};
  }
  const auto key = req[http::field::sec_websocket_key];
  if (key.size() != 24) return {text_response(req, http::status::bad_request, "bad Sec-WebSocket-Key\n")};
  http::response<http::empty_body> res{http::status::switching_protocols, req.version()};
  res.set(http::field::server, kServer);
  res.set(http::field::upgrade, "websocket");
  res.set(http::field::connection, "Upgrade");
  res.set(http::field::sec_websocket_accept, ws::accept_key(key));
  return {std::move(res), true};
}

Routed static_file(const Request& req, const HttpServices& services) {
  const auto relative = resolve_web_path(req.target());
  if (!relative) return {text_response(req, http::status::bad_request, "bad path\n")};
  std::error_code fs_ec;
  auto path = services.web_root / *relative;
  if (std::filesystem::is_directory(path, fs_ec)) {
    // "/dir" → "/dir/" so that the page's relative links resolve inside it.
    auto res = text_response(req, http::status::moved_permanently, "moved\n");
    std::string target(req.target());
    res.set(http::field::location, target.substr(0, target.find_first_of("?#")) + "/");
    return {std::move(res)};
  }
  // A link inside the web folder must not lead out of it.
  const auto real = std::filesystem::canonical(path, fs_ec);
  const auto root = services.web_root.native();
  if (fs_ec || real.native().compare(0, root.size(), root) != 0 || real.native().size() <= root.size() ||
      real.native()[root.size()] != '/') {
    return {text_response(req, http::status::not_found, "not found\n")};
  }
  http::file_body::value_type body;
  boost::beast::error_code ec;
  body.open(real.c_str(), boost::beast::file_mode::scan, ec);
  if (ec) return {text_response(req, http::status::not_found, "not found\n")};
  const auto size = body.size();
  const auto type = content_type_for(*relative);
  if (req.method() == http::verb::head) {
    http::response<http::empty_body> res{http::status::ok, req.version()};
    common_headers(res);
    res.set(http::field::content_type, type);
    res.content_length(size);
    res.keep_alive(req.keep_alive());
    return {std::move(res)};
  }
  http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                      std::make_tuple(http::status::ok, req.version())};
  common_headers(res);
  res.set(http::field::content_type, type);
  res.set(http::field::cache_control, "no-cache");
  res.content_length(size);
  res.keep_alive(req.keep_alive());
  return {std::move(res)};
}

}  // namespace

http::response<http::string_body> text_response(const Request& req, http::status status, std::string body,
                                                std::string_view content_type) {
  http::response<http::string_body> res{status, req.version()};
  common_headers(res);
  res.set(http::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::head) res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Routed route_request(const Request& req, const HttpServices& services) {
  const std::string_view target = req.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (path == "/ws") return websocket_upgrade(req, services);
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = text_response(req, http::status::method_not_allowed, "only GET and HEAD\n");
    res.set(http::field::allow, "GET, HEAD");
    return {std::move(res)};
  }
  if (path == "/healthz") return {text_response(req, http::status::ok, "ok\n")};
  if (path == "/metrics") {
    return {text_response(req, http::status::ok, services.metrics_text(), "text/plain; version=0.0.4")};
  }
  return static_file(req, services);
}

}  // namespace peerhub::net
