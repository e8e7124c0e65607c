// The epoll descriptor of an io_context's reactor, so a worker can wait on it inside its own epoll set.
//
// A worker blocks in its poller's epoll set (poller.hpp) rather than in Asio's: the set holds the sockets the
// worker reads itself (TURN, plain WebSocket) and Asio's descriptor, which becomes readable when anything
// Asio watches (timers, TLS sockets, its wake-up) is ready. Asio keeps that descriptor to itself; this reads
// it once, when the worker is built.
#pragma once

#include <boost/asio/io_context.hpp>

namespace peerhub::net {

// The descriptor of `io`'s epoll reactor (created here if the context has none yet).
int reactor_descriptor(boost::asio::io_context& io);

}  // namespace peerhub::net
