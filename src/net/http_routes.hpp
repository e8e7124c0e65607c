// What peerhub answers to an HTTP request: a pure function of the request and the web folder (plus the
// metrics text), so the session only moves bytes.
#pragma once

#include <variant>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "net/http_session.hpp"

namespace peerhub::net {

namespace http = boost::beast::http;

using Request = http::request<http::empty_body>;
using Response = std::variant<http::response<http::string_body>, http::response<http::file_body>,
                              http::response<http::empty_body>>;

struct Routed {
  Response response;
  bool upgrade = false;  // the response is the 101 of a WebSocket handshake
};

Routed route_request(const Request& request, const HttpServices& services);

// A small text response with the usual headers, for errors and endpoints.
http::response<http::string_body> text_response(const Request& request, http::status status, std::string body,
                                                std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace peerhub::net
