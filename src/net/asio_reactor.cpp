#include "net/asio_reactor.hpp"

#include <type_traits>

#include <boost/asio/detail/epoll_reactor.hpp>
#include <boost/asio/detail/reactor.hpp>

namespace peerhub::net {
namespace {

using Reactor = boost::asio::detail::epoll_reactor;
static_assert(std::is_same_v<boost::asio::detail::reactor, Reactor>,
              "the worker loop needs Asio's epoll reactor (Linux, without BOOST_ASIO_DISABLE_EPOLL)");

// Asio declares the descriptor private and has no accessor for it. An explicit instantiation may name a
// private member (C++20 [temp.spec.general]/6), so one instantiation hands the member pointer to a friend
// function; a renamed member is a compile error here, not a wrong descriptor at run time.
struct EpollMember {
  using type = int Reactor::*;
  friend type member_of(EpollMember);
};

template <class Tag, typename Tag::type Member>
struct Expose {
  friend typename Tag::type member_of(Tag) { return Member; }
};

template struct Expose<EpollMember, &Reactor::epoll_fd_>;

}  // namespace

int reactor_descriptor(boost::asio::io_context& io) {
  auto& reactor = boost::asio::use_service<Reactor>(io);
  return reactor.*member_of(EpollMember{});
}

}  // namespace peerhub::net
