// The in-memory datagram BIO: one write is one datagram, one read is one datagram.
#include "dtls/datagram_bio.hpp"

#include <sys/time.h>

#include <cstring>
#include <mutex>

namespace peerhub::dtls {
namespace {

DatagramQueues* queues_of(BIO* bio) {
  return static_cast<DatagramQueues*>(BIO_get_data(bio));
}

int write_datagram(BIO* bio, const char* data, int length) {
  DatagramQueues* q = queues_of(bio);
  BIO_clear_retry_flags(bio);
  if (q == nullptr || length < 0) return -1;
  if (q->outgoing.size() >= q->max_outgoing) {
    // A full send queue drops, as a socket buffer would; DTLS retransmits what matters.
    q->outgoing.pop_front();
    ++q->dropped;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
  q->outgoing.emplace_back(bytes, bytes + length);
  return length;
}

int read_datagram(BIO* bio, char* out, int capacity) {
  DatagramQueues* q = queues_of(bio);
  BIO_clear_retry_flags(bio);
  if (q == nullptr || capacity < 0) return -1;
  if (q->incoming.empty()) {
    BIO_set_retry_read(bio);
    return -1;
  }
  std::vector<std::uint8_t> datagram = std::move(q->incoming.front());
  q->incoming.pop_front();
  // A datagram larger than the reader's buffer is cut, as recvfrom() cuts it; its records then fail to
  // parse and are dropped.
  const std::size_t n = datagram.size() < static_cast<std::size_t>(capacity)
                            ? datagram.size()
                            : static_cast<std::size_t>(capacity);
  if (n > 0) std::memcpy(out, datagram.data(), n);
  return static_cast<int>(n);
}

long control(BIO* bio, int command, long /*number*/, void* pointer) {
  DatagramQueues* q = queues_of(bio);
  if (q == nullptr) return 0;
  switch (command) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return q->incoming.empty() ? 0 : static_cast<long>(q->incoming.front().size());
    case BIO_CTRL_WPENDING:
      return 0;
    case BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT: {
      auto* deadline = static_cast<struct timeval*>(pointer);
      q->openssl_deadline = deadline;
      q->timer_running = deadline != nullptr && (deadline->tv_sec != 0 || deadline->tv_usec != 0);
      if (q->timer_running) ++q->timer_starts;
      return 1;
    }
    default:
      // No MTU queries (SSL_OP_NO_QUERY_MTU), no peer address, no SCTP: 0 is "not supported".
      return 0;
  }
}

int create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int destroy(BIO* bio) {
  if (bio == nullptr) return 0;
  BIO_set_data(bio, nullptr);
  return 1;
}

BIO_METHOD* method() {
  static BIO_METHOD* made = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "peerhub datagram queue");
    if (made == nullptr) return;
    BIO_meth_set_write(made, write_datagram);
    BIO_meth_set_read(made, read_datagram);
    BIO_meth_set_ctrl(made, control);
    BIO_meth_set_create(made, create);
    BIO_meth_set_destroy(made, destroy);
  });
  return made;
}

}  // namespace

bool DatagramQueues::expire_openssl_timer() {
  if (openssl_deadline == nullptr || !timer_running) return false;
  // Any time in the past that is not the "stopped" value {0, 0}.
  openssl_deadline->tv_sec = 1;
  openssl_deadline->tv_usec = 0;
  return true;
}

BIO* new_datagram_bio(DatagramQueues* queues) {
  BIO_METHOD* m = method();
  if (m == nullptr) return nullptr;
  BIO* bio = BIO_new(m);
  if (bio != nullptr) BIO_set_data(bio, queues);
  return bio;
}

}  // namespace peerhub::dtls
