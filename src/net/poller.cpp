#include "net/poller.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#include "net/nocancel.hpp"

namespace peerhub::net {
namespace {

constexpr std::uint32_t kReadEvents = EPOLLIN | EPOLLRDHUP;

// Entries that are not clients: their data.ptr points at one of these tags.
char reactor_tag;
char wake_tag;

int checked(int fd, const char* what) {
  if (fd < 0) throw std::system_error(errno, std::generic_category(), what);
  return fd;
}

void add_tagged(int epoll, int fd, char* tag) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = tag;
  checked(::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev), "epoll_ctl (worker)");
}

}  // namespace

Poller::Poller(int reactor, std::function<void(bool)> batch)
    : epoll_(checked(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1")),
      wake_(checked(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd")),
      batch_(std::move(batch)) {
  add_tagged(epoll_, reactor, &reactor_tag);
  add_tagged(epoll_, wake_, &wake_tag);
}

Poller::~Poller() {
  ::close(wake_);
  ::close(epoll_);
}

void Poller::run() {
  const int n = nocancel::epoll_wait(epoll_, events_.data(), static_cast<int>(events_.size()), -1);
  if (n <= 0) return;  // EINTR (a signal): the caller comes back
  batch_(true);
  for (int i = 0; i < n; ++i) {
    void* ptr = events_[i].data.ptr;
    if (ptr == &reactor_tag) continue;  // the worker runs Asio's ready work after the round
    if (ptr == &wake_tag) {
      std::uint64_t count = 0;
      [[maybe_unused]] const auto ignored = ::read(wake_, &count, sizeof count);
      continue;
    }
    static_cast<Client*>(ptr)->on_poll(events_[i].events);
  }
  batch_(false);
}

void Poller::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = ::write(wake_, &one, sizeof one);  // EAGAIN: already awake
}

bool Poller::add(int fd, Client* client) {
  epoll_event ev{};
  ev.events = kReadEvents;
  ev.data.ptr = client;
  return ::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

void Poller::watch(int fd, Client* client, bool read, bool write) {
  epoll_event ev{};
  ev.events = (read ? kReadEvents : 0u) | (write ? static_cast<std::uint32_t>(EPOLLOUT) : 0u);
  ev.data.ptr = client;
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev);
}

void Poller::remove(int fd) {
  epoll_event ev{};  // ignored, but kernels before 2.6.9 wanted a pointer
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, &ev);
}

}  // namespace peerhub::net
