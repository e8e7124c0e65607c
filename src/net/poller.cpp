#include "net/poller.hpp"

#include <cerrno>
#include <system_error>

#include <boost/asio/post.hpp>

namespace peerhub::net {
namespace {

int make_epoll() {
  const int fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  return fd;
}

constexpr std::uint32_t kReadEvents = EPOLLIN | EPOLLRDHUP;

}  // namespace

Poller::Poller(boost::asio::io_context& io, std::function<void(bool)> batch)
    : watch_(io.get_executor(), make_epoll()), batch_(std::move(batch)) {}

void Poller::start() {
  wait();
}

bool Poller::add(int fd, Client* client) {
  epoll_event ev{};
  ev.events = kReadEvents;
  ev.data.ptr = client;
  return ::epoll_ctl(watch_.native_handle(), EPOLL_CTL_ADD, fd, &ev) == 0;
}

void Poller::watch(int fd, Client* client, bool read, bool write) {
  epoll_event ev{};
  ev.events = (read ? kReadEvents : 0u) | (write ? static_cast<std::uint32_t>(EPOLLOUT) : 0u);
  ev.data.ptr = client;
  ::epoll_ctl(watch_.native_handle(), EPOLL_CTL_MOD, fd, &ev);
}

void Poller::remove(int fd) {
  epoll_event ev{};  // ignored, but kernels before 2.6.9 wanted a pointer
  ::epoll_ctl(watch_.native_handle(), EPOLL_CTL_DEL, fd, &ev);
}

void Poller::wait() {
  watch_.async_wait(boost::asio::posix::descriptor_base::wait_read,
                    [this](const boost::system::error_code& ec) {
                      if (!ec) run_batch();
                    });
}

void Poller::run_batch() {
  more_ = false;
  batch_(true);
  const int n = ::epoll_wait(watch_.native_handle(), events_.data(), static_cast<int>(events_.size()), 0);
  for (int i = 0; i < n; ++i)
    static_cast<Client*>(events_[i].data.ptr)->on_poll(events_[i].events);
  batch_(false);
  if (more_ || n == static_cast<int>(events_.size())) {
    boost::asio::post(watch_.get_executor(), [this] { run_batch(); });
  } else {
    wait();
  }
}

}  // namespace peerhub::net
