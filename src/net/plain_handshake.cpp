#include "net/plain_handshake.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "net/http_routes.hpp"
#include "net/net_metrics.hpp"
#include "net/ws_transport.hpp"

namespace peerhub::net {
namespace {

// The head of a response without a body, as it goes on the wire.
std::string wire_head(const http::response<http::empty_body>& res) {
  std::string out = "HTTP/1.1 ";
  out.append(std::to_string(res.result_int())).append(" ").append(res.reason()).append("\r\n");
  for (const auto& field : res)
    out.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  out.append("\r\n");
  return out;
}

}  // namespace

void PlainHandshake::start(int fd, Worker& worker, HttpServices& services) {
  auto handshake = std::make_shared<PlainHandshake>(fd, worker, services);
  if (!worker.poller().add(fd, handshake.get())) return;  // the destructor closes fd
  handshake->self_ = handshake;
  worker.add(*handshake);
  handshake->on_poll(EPOLLIN);  // the request is usually here already (TCP_DEFER_ACCEPT)
}

PlainHandshake::PlainHandshake(int fd, Worker& worker, HttpServices& services)
    : fd_(fd), worker_(worker), services_(services), started_(std::chrono::steady_clock::now()) {
  services_.metrics.http_open++;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(kHttpHeaderLimit));
  parser_->body_limit(0);
}

PlainHandshake::~PlainHandshake() {
  services_.metrics.http_open--;
  if (fd_ >= 0) ::close(fd_);
}

void PlainHandshake::on_poll(std::uint32_t) {
  if (fd_ < 0) return;  // handed on earlier in this batch
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) return close();
    bytes_.append(buffer, static_cast<std::size_t>(n));
    // A short read drained the socket (level-triggered epoll reports anything that comes later); past the
    // limit the Asio session answers "too large".
    if (static_cast<std::size_t>(n) < sizeof buffer || bytes_.size() > kHttpHeaderLimit) break;
  }
  parse();
}

void PlainHandshake::parse() {
  boost::beast::error_code ec;
  const std::size_t consumed = parser_->put(boost::asio::buffer(bytes_), ec);
  if (ec == http::error::need_more && bytes_.size() <= kHttpHeaderLimit)
    return;  // wait for the rest of the head
  if (!ec && parser_->is_done()) {
    const auto target = parser_->get().target();
    if (target.substr(0, target.find('?')) == "/ws") return become_websocket(consumed);
  }
  hand_to_asio();
}

void PlainHandshake::become_websocket(std::size_t consumed) {
  auto routed = route_request(parser_->get(), services_);
  auto* head = std::get_if<http::response<http::empty_body>>(&routed.response);
  if (!routed.upgrade || head == nullptr)
    return hand_to_asio();  // the session re-reads and answers the error
  const std::string wire = wire_head(*head);
  // A fresh socket's send buffer always takes a response head this small; anything else is a broken peer.
  if (::send(fd_, wire.data(), wire.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(wire.size()))
    return close();
  services_.metrics.count_response(101);
  services_.metrics.ws_upgrades++;
  auto connection = std::make_shared<PlainWsConnection>(fd_, true, worker_, services_.ws);
  fd_ = -1;
  const std::string early = bytes_.substr(consumed);  // frames the client sent right behind its request
  finish();
  connection->start(early);
}

void PlainHandshake::hand_to_asio() {
  worker_.poller().remove(fd_);
  TcpSocket socket(worker_.io().get_executor());
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
  boost::system::error_code ec;
  socket.assign(address.ss_family == AF_INET6 ? boost::asio::ip::tcp::v6() : boost::asio::ip::tcp::v4(), fd_,
                ec);
  if (ec) return close();
  fd_ = -1;
  const std::string early = std::move(bytes_);
  Worker& worker = worker_;
  HttpServices& services = services_;
  finish();  // may be the last reference to this object
  start_http_session(std::move(socket), worker, services, nullptr, early);
}

void PlainHandshake::on_tick(std::chrono::steady_clock::time_point now) {
  if (now - started_ > kHttpRequestTimeout) close();
}

void PlainHandshake::on_shutdown() {
  close();
}

void PlainHandshake::close() {
  if (fd_ >= 0) ::close(fd_);  // also leaves the epoll set
  fd_ = -1;
  finish();
}

void PlainHandshake::finish() {
  auto keep = shared_from_this();  // until the caller returns
  unlink();
  worker_.retire(keep);  // events of this batch may still name it
  self_.reset();
}

}  // namespace peerhub::net
