// The relay path's system calls, made without glibc's cancellation wrappers.
//
// glibc's recvmmsg, sendmsg, sendmmsg and epoll_wait are thread cancellation points: in a process with more
// than one thread, each call switches the thread to asynchronous cancellation before the system call and back
// after it (an atomic compare-and-swap on the thread's cancel state each time). A relaying worker makes these
// calls tens of thousands of times a second, and perf put the switching at 1.3 % of its CPU. peerhub never
// cancels a thread, so these wrappers go to the kernel directly. They return what the system call returns,
// with errno set on failure, as glibc's do.
#pragma once

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>

namespace peerhub::net::nocancel {

inline int recvmmsg(int fd, mmsghdr* messages, unsigned count, int flags) {
  return static_cast<int>(::syscall(SYS_recvmmsg, fd, messages, count, flags, nullptr));
}

inline int sendmmsg(int fd, mmsghdr* messages, unsigned count, int flags) {
  return static_cast<int>(::syscall(SYS_sendmmsg, fd, messages, count, flags));
}

inline ssize_t sendmsg(int fd, const msghdr* message, int flags) {
  return static_cast<ssize_t>(::syscall(SYS_sendmsg, fd, message, flags));
}

// epoll_pwait with no signal mask is epoll_wait; it exists on every architecture, epoll_wait does not.
inline int epoll_wait(int epoll, epoll_event* events, int count, int timeout_ms) {
  return static_cast<int>(::syscall(SYS_epoll_pwait, epoll, events, count, timeout_ms, nullptr, _NSIG / 8));
}

}  // namespace peerhub::net::nocancel
