#include "client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace peerhub::bench {
namespace {

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char a = text[i];
    char b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

// The value of header `name` in a raw HTTP response head, or empty.
std::string_view header_value(std::string_view head, std::string_view name) {
  std::size_t at = head.find("\r\n");
  while (at != std::string_view::npos && at + 2 < head.size()) {
    const std::size_t start = at + 2;
    const std::size_t end = head.find("\r\n", start);
    std::string_view line = head.substr(start, end == std::string_view::npos ? head.npos : end - start);
    if (iequals_prefix(line, name) && line.size() > name.size() && line[name.size()] == ':') {
      std::string_view v = line.substr(name.size() + 1);
      while (!v.empty() && v.front() == ' ')
        v.remove_prefix(1);
      while (!v.empty() && v.back() == ' ')
        v.remove_suffix(1);
      return v;
    }
    at = end;
  }
  return {};
}

}  // namespace

Target parse_url(std::string_view url) {
  Target t;
  if (url.substr(0, 5) != "ws://") throw std::invalid_argument("url must start with ws://");
  url.remove_prefix(5);
  const std::size_t slash = url.find('/');
  const std::string_view hostport = url.substr(0, slash);
  t.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  const std::size_t colon = hostport.rfind(':');
  if (colon == std::string_view::npos) throw std::invalid_argument("url needs a port");
  t.host = std::string(hostport.substr(0, colon));
  t.port = static_cast<std::uint16_t>(std::stoul(std::string(hostport.substr(colon + 1))));
  return t;
}

Client::Client(Target target, Handler& handler)
    : target_(std::move(target)), handler_(handler), read_buf_(256 * 1024) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) throw std::runtime_error("epoll_create1 failed");
  for (int i = 0; i < target_.sources; ++i) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000001U + static_cast<std::uint32_t>(i));
    sources_.push_back(a);
  }
}

Client::~Client() {
  abort_all();
  if (epoll_ >= 0) ::close(epoll_);
}

Conn* Client::connect() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return nullptr;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto conn = std::make_unique<Conn>();
  conn->fd = fd;
  conn->id = static_cast<std::uint32_t>(conns_.size());
  if (sources_.size() > 1) {
    // The kernel then picks the port at connect() time per 4-tuple, so each source address has its own
    // ~28k ephemeral ports.
    ::setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    const sockaddr_in& src = sources_[conn->id % sources_.size()];
    ::bind(fd, reinterpret_cast<const sockaddr*>(&src), sizeof src);
  }
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(target_.port);
  ::inet_pton(AF_INET, target_.host.c_str(), &dst.sin_addr);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&dst), sizeof dst) < 0 && errno != EINPROGRESS) {
    ::close(fd);
    return nullptr;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.ptr = conn.get();
  conn->want_write = true;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  ++live_;
  conns_.push_back(std::move(conn));
  return conns_.back().get();
}

void Client::send_text(Conn& c, std::string_view text) {
  if (c.state != Conn::State::open) return;
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 17;
  rng_ ^= rng_ << 5;
  ws::append_frame(c.out, ws::Opcode::text, text, rng_ | 1U);
  mark_dirty(c);
}

void Client::mark_dirty(Conn& c) {
  if (c.dirty) return;
  c.dirty = true;
  dirty_.push_back(&c);
}

void Client::poll(int timeout_ms) {
  epoll_event events[256];
  const int n = ::epoll_wait(epoll_, events, 256, timeout_ms);
  for (int i = 0; i < n; ++i) {
    Conn& c = *static_cast<Conn*>(events[i].data.ptr);
    if (c.state == Conn::State::closed) continue;
    if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_writable(c);
    if (c.state != Conn::State::closed && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
      on_readable(c);
  }
  flush();
}

void Client::flush() {
  // Indexing, not iterators: a drop inside write_out may let a handler queue more.
  for (std::size_t i = 0; i < dirty_.size(); ++i) {
    Conn* c = dirty_[i];
    c->dirty = false;
    if (c->state != Conn::State::closed && c->state != Conn::State::connecting) write_out(*c);
  }
  dirty_.clear();
}

void Client::on_writable(Conn& c) {
  if (c.state == Conn::State::connecting) {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return drop(c, std::strerror(err));
    c.state = Conn::State::upgrading;
    unsigned char raw[16];
    for (auto& b : raw) {
      rng_ ^= rng_ << 13;
      rng_ ^= rng_ >> 17;
      rng_ ^= rng_ << 5;
      b = static_cast<unsigned char>(rng_);
    }
    unsigned char encoded[32];
    const int m = EVP_EncodeBlock(encoded, raw, sizeof raw);
    c.key.assign(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(m));
    c.out += "GET " + target_.path + " HTTP/1.1\r\nHost: " + target_.host + ":" +
             std::to_string(target_.port) +
             "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + c.key +
             "\r\nSec-WebSocket-Version: 13\r\n\r\n";
  }
  write_out(c);
}

void Client::write_out(Conn& c) {
  while (c.out_off < c.out.size()) {
    const ssize_t w = ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
    if (w > 0) {
      c.out_off += static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return update_events(c, true);
    return drop(c, "write failed");
  }
  c.out.clear();
  c.out_off = 0;
  update_events(c, false);
}

void Client::update_events(Conn& c, bool want_write) {
  if (c.want_write == want_write) return;
  c.want_write = want_write;
  epoll_event ev{};
  ev.events = EPOLLIN | (want_write ? EPOLLOUT : 0U);
  ev.data.ptr = &c;
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
}

void Client::on_readable(Conn& c) {
  for (int round = 0; round < 4 && c.state != Conn::State::closed; ++round) {
    const ssize_t r = ::recv(c.fd, read_buf_.data(), read_buf_.size(), 0);
    if (r == 0) return drop(c, "closed by server");
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      return drop(c, "read failed");
    }
    const auto n = static_cast<std::size_t>(r);
    if (c.state == Conn::State::upgrading) {
      c.in.append(read_buf_.data(), n);
      handle_handshake(c);
    } else if (c.state == Conn::State::open) {
      handle_frames(c, read_buf_.data(), n);
    }
    if (n < read_buf_.size()) return;
  }
}

void Client::handle_handshake(Conn& c) {
  const std::size_t end = c.in.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (c.in.size() > 16 * 1024) drop(c, "oversized upgrade response");
    return;
  }
  const std::string_view head(c.in.data(), end + 2);
  if (head.substr(0, 12) != "HTTP/1.1 101") return drop(c, "upgrade refused");
  if (header_value(head, "sec-websocket-accept") != ws::accept_key(c.key)) return drop(c, "bad accept key");
  std::string rest = c.in.substr(end + 4);
  c.in = std::string();
  c.key = std::string();
  c.state = Conn::State::open;
  ++open_;
  handler_.on_open(c);
  if (!rest.empty() && c.state == Conn::State::open) handle_frames(c, rest.data(), rest.size());
}

void Client::handle_frames(Conn& c, char* data, std::size_t n) {
  std::string_view failure;
  const bool ok = c.parser.feed(std::span<char>(data, n), [&](const ws::Event& e) {
    switch (e.kind) {
      case ws::Event::Kind::text:
        ++frames_in_;
        handler_.on_text(c, e.payload);
        break;
      case ws::Event::Kind::ping:
        ws::append_frame(c.out, ws::Opcode::pong, e.payload, rng_ | 1U);
        mark_dirty(c);
        break;
      case ws::Event::Kind::close:
        failure = "server sent close";
        break;
      default:
        break;
    }
  });
  if (!ok) return drop(c, "protocol error");
  if (!failure.empty()) drop(c, failure);
}

void Client::drop(Conn& c, std::string_view why) {
  if (c.state == Conn::State::closed) return;
  const bool was_open = c.state == Conn::State::open;
  ::close(c.fd);
  c.fd = -1;
  c.state = Conn::State::closed;
  --live_;
  if (was_open) --open_;
  handler_.on_close(c, why);
}

void Client::abort(Conn& c) {
  if (c.state == Conn::State::closed) return;
  const linger lg{1, 0};
  ::setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  drop(c, "aborted");
}

void Client::abort_all() {
  for (auto& c : conns_)
    abort(*c);
}

}  // namespace peerhub::bench
