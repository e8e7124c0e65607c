#include "net/http_session.hpp"

#include <optional>

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "net/http_routes.hpp"
#include "net/net_metrics.hpp"
#include "net/ws_transport.hpp"

namespace peerhub::net {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using TlsStream = asio::ssl::stream<TcpSocket>;

TcpSocket& lowest(TcpSocket& s) {
  return s;
}
TcpSocket& lowest(TlsStream& s) {
  return s.next_layer();
}

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream stream, Worker& worker, HttpServices& services)
      : stream_(std::move(stream)),
        worker_(worker),
        services_(services),
        deadline_(worker.io().get_executor()) {
    services_.metrics.http_open++;
  }
  ~HttpSession() { services_.metrics.http_open--; }
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void start(std::string_view early) {
    if (!early.empty()) {
      const auto n = std::min(early.size(), kHttpHeaderLimit);
      buffer_.commit(boost::asio::buffer_copy(buffer_.prepare(n), boost::asio::buffer(early.data(), n)));
    }
    arm_deadline();
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                if (ec) return self->close();
                                self->read_request();
                              });
    } else {
      read_request();
    }
  }

 private:
  void arm_deadline() {
    deadline_.expires_after(kHttpRequestTimeout);
    deadline_.async_wait([weak = this->weak_from_this()](error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->close();
    });
  }

  void read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(kHttpHeaderLimit));
    parser_->body_limit(0);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_request(ec); });
  }

  void on_request(error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted) {
      return close();
    }
    if (ec) {
      // Malformed or oversized request: say so, then close (the stream position is unknown).
      Request bad;
      bad.version(11);
      auto res = text_response(bad, http::status::bad_request, "bad request: " + ec.message() + "\n");
      res.keep_alive(false);
      return send(Routed{std::move(res)});
    }
    auto request = parser_->release();
    send(route_request(request, services_));
  }

  void send(Routed routed) {
    const bool upgrade = routed.upgrade;
    std::visit(
        [&](auto& res) {
          services_.metrics.count_response(res.result_int());
          const bool keep_alive = res.keep_alive();
          auto message = std::make_shared<std::decay_t<decltype(res)>>(std::move(res));
          http::async_write(
              stream_, *message,
              [self = this->shared_from_this(), message, keep_alive, upgrade](error_code ec, std::size_t) {
                if (ec) return self->close();
                if (upgrade) return self->become_websocket();
                if (!keep_alive) return self->close();
                self->arm_deadline();
                self->read_request();
              });
        },
        routed.response);
  }

  void become_websocket() {
    deadline_.cancel();
    services_.metrics.ws_upgrades++;
    const auto early = buffer_.data();
    const std::string_view early_bytes(static_cast<const char*>(early.data()), early.size());
    std::shared_ptr<WsConnection> connection;
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      connection = std::make_shared<TlsWsConnection>(std::move(stream_), worker_, services_.ws);
    } else {
      connection = std::make_shared<PlainWsConnection>(std::move(stream_), worker_, services_.ws);
    }
    connection->start(early_bytes);
  }

  void close() {
    deadline_.cancel();
    error_code ec;
    lowest(stream_).shutdown(TcpSocket::shutdown_both, ec);
    lowest(stream_).close(ec);
  }

  Stream stream_;
  Worker& worker_;
  HttpServices& services_;
  boost::beast::flat_buffer buffer_{kHttpHeaderLimit};
  std::optional<http::request_parser<http::empty_body>> parser_;
  SteadyTimer deadline_;
};

}  // namespace

void start_http_session(TcpSocket socket, Worker& worker, HttpServices& services, asio::ssl::context* tls,
                        std::string_view early) {
  if (tls != nullptr) {
    std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *tls), worker, services)
        ->start(early);
  } else {
    std::make_shared<HttpSession<TcpSocket>>(std::move(socket), worker, services)->start(early);
  }
}

}  // namespace peerhub::net
