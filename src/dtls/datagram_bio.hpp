// Inside the DTLS module: an OpenSSL BIO that keeps datagram boundaries in memory (OpenSSL 3.0 has no
// BIO_s_dgram_mem). Each BIO_write from OpenSSL is one datagram for the peer; each BIO_read hands OpenSSL
// one datagram from the peer, as a UDP socket would.
//
// It also watches OpenSSL's retransmission timer: OpenSSL reports every start and stop of it to its read
// BIO with BIO_CTRL_DGRAM_SET_NEXT_TIMEOUT, passing (in 3.0) the address of its own deadline, a struct
// timeval that lives as long as the SSL. session.hpp explains why the Session moves that deadline. Later
// OpenSSL versions pass a copy (3.2 keeps the deadline as OSSL_TIME), so the build stops on them rather
// than write through a dangling pointer; porting means finding that version's way to expire the timer,
// and dtls_retransmit_test.cpp says whether it works.
#pragma once

#include <openssl/bio.h>
#include <openssl/opensslv.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#if OPENSSL_VERSION_NUMBER < 0x30000000L || OPENSSL_VERSION_NUMBER >= 0x30100000L
#error "dtls/datagram_bio: written for OpenSSL 3.0 (the DTLS timer deadline is reached through the BIO)"
#endif

struct timeval;

namespace peerhub::dtls {

struct DatagramQueues {
  std::deque<std::vector<std::uint8_t>> incoming;  // from the peer, oldest first
  std::deque<std::vector<std::uint8_t>> outgoing;  // to the peer, oldest first
  std::size_t max_incoming = 64;
  std::size_t max_outgoing = 256;
  std::size_t dropped = 0;

  // OpenSSL's retransmission deadline and how often it was (re)started.
  struct timeval* openssl_deadline = nullptr;
  bool timer_running = false;
  std::uint64_t timer_starts = 0;

  // Makes OpenSSL's timer due now, so that DTLSv1_handle_timeout retransmits. False when no timer runs.
  bool expire_openssl_timer();
};

// A new BIO reading from and writing to `queues`, which must outlive it. The caller owns the reference.
BIO* new_datagram_bio(DatagramQueues* queues);

}  // namespace peerhub::dtls
