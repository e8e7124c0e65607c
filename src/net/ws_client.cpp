#include "net/ws_client.hpp"

#include "common/host_port.hpp"

#include <deque>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace peerhub::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

WsUrlParse parse_ws_url(std::string_view text) {
  WsUrlParse out;
  std::string_view rest;
  if (text.starts_with("ws://")) {
    rest = text.substr(5);
  } else if (text.starts_with("wss://")) {
    out.url.tls = true;
    rest = text.substr(6);
  } else {
    out.error = "the server URL must start with ws:// or wss:// (got \"" + std::string(text) + "\")";
    return out;
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.url.target = std::string(rest.substr(slash));
  const auto split = split_host_port(authority);
  if (!split.error.empty()) {
    out.error = split.error + " in the server URL";
    return out;
  }
  out.url.host = split.host;
  out.url.port = split.port ? std::to_string(*split.port) : out.url.tls ? "443" : "80";
  return out;
}

namespace {

constexpr std::size_t kMaxQueued = 1024;
constexpr std::size_t kMaxMessage = 1 << 20;

template <class Stream>
class Client final : public WsClient, public std::enable_shared_from_this<Client<Stream>> {
 public:
  Client(asio::io_context& io, WsUrl url) : resolver_(io), ws_(io), url_(std::move(url)) {}
  Client(asio::io_context& io, WsUrl url, std::shared_ptr<asio::ssl::context> tls, bool insecure)
      : tls_(std::move(tls)), resolver_(io), ws_(io, *tls_), url_(std::move(url)), insecure_(insecure) {}

  void start(OnOpen on_open, OnMessage on_message, OnClosed on_closed) override {
    on_open_ = std::move(on_open);
    on_message_ = std::move(on_message);
    on_closed_ = std::move(on_closed);
    ws_.read_message_max(kMaxMessage);
    resolver_.async_resolve(url_.host, url_.port, [self = this->shared_from_this()](auto ec, auto results) {
      if (ec) return self->fail("cannot resolve " + self->url_.host + ": " + ec.message());
      self->connect(results);
    });
  }

  void send(std::string text) override {
    if (closed_) return;
    if (queue_.size() >= kMaxQueued)
      return fail("the signaling connection is not keeping up (send queue full)");
    queue_.push_back(std::move(text));
    if (open_ && !writing_) write_next();
  }

  void close() override {
    if (closed_) return;
    if (!open_) return fail("closed");
    closing_ = true;
    ws_.async_close(websocket::close_code::normal,
                    [self = this->shared_from_this()](auto) { self->fail("closed"); });
  }

 private:
  void connect(const tcp::resolver::results_type& results) {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(ws_).async_connect(results, [self = this->shared_from_this()](auto ec, auto) {
      if (ec) {
        return self->fail("cannot connect to " + self->url_.host + ":" + self->url_.port + ": " +
                          ec.message());
      }
      self->secure();
    });
  }

  void secure() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      if (!SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), url_.host.c_str())) {
        return fail("cannot set the TLS server name");
      }
      if (!insecure_) ws_.next_layer().set_verify_callback(asio::ssl::host_name_verification(url_.host));
      ws_.next_layer().async_handshake(asio::ssl::stream_base::client,
                                       [self = this->shared_from_this()](auto ec) {
                                         if (ec) return self->fail("TLS handshake failed: " + ec.message());
                                         self->upgrade();
                                       });
    } else {
      upgrade();
    }
  }

  void upgrade() {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
      request.set(beast::http::field::user_agent, "peerhub-cli");
    }));
    const std::string host = url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
    ws_.async_handshake(host + ":" + url_.port, url_.target, [self = this->shared_from_this()](auto ec) {
      if (ec) return self->fail("WebSocket upgrade failed: " + ec.message());
      self->open_ = true;
      self->ws_.text(true);
      if (self->on_open_) self->on_open_();
      self->read();
      if (!self->queue_.empty() && !self->writing_) self->write_next();
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        if (ec == websocket::error::closed) return self->fail("the server closed the connection");
        return self->fail(self->closing_ ? "closed" : "connection lost: " + ec.message());
      }
      const auto data = self->buffer_.data();
      const std::string_view text(static_cast<const char*>(data.data()), data.size());
      if (self->on_message_ && !self->closed_) self->on_message_(text);
      self->buffer_.consume(self->buffer_.size());
      if (!self->closed_) self->read();
    });
  }

  void write_next() {
    writing_ = true;
    ws_.async_write(asio::buffer(queue_.front()), [self = this->shared_from_this()](auto ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->fail("cannot send: " + ec.message());
      self->queue_.pop_front();
      if (!self->queue_.empty() && !self->closed_) self->write_next();
    });
  }

  void fail(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    open_ = false;
    queue_.clear();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    if (auto done = std::move(on_closed_)) done(reason);
  }

  std::shared_ptr<asio::ssl::context> tls_;  // outlives the stream that uses it
  tcp::resolver resolver_;
  websocket::stream<Stream> ws_;
  WsUrl url_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  OnOpen on_open_;
  OnMessage on_message_;
  OnClosed on_closed_;
  bool open_ = false;
  bool closing_ = false;
  bool writing_ = false;
  bool closed_ = false;
  bool insecure_ = false;
};

}  // namespace

std::shared_ptr<WsClient> WsClient::create(asio::io_context& io, WsUrl url, WsClientOptions options) {
  if (!url.tls) return std::make_shared<Client<beast::tcp_stream>>(io, std::move(url));
  auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  tls->set_default_verify_paths();
  if (!options.ca_file.empty()) tls->load_verify_file(options.ca_file);  // throws with the file's error
  tls->set_verify_mode(options.insecure ? asio::ssl::verify_none : asio::ssl::verify_peer);
  return std::make_shared<Client<beast::ssl_stream<beast::tcp_stream>>>(io, std::move(url), std::move(tls),
                                                                        options.insecure);
}

}  // namespace peerhub::net
