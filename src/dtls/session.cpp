// Session: the DTLS state machine around one OpenSSL connection (see session.hpp for the contract).
#include "dtls/session.hpp"

#include <openssl/err.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <deque>
#include <stdexcept>

#include "dtls/context.hpp"
#include "dtls/datagram_bio.hpp"

namespace peerhub::dtls {
namespace {

// OpenSSL wants the thread's error queue empty before a call whose result SSL_get_error() reads. Emptying a
// queue that is already empty was a few percent of reading a record, so look first.
void clear_errors() {
  if (ERR_peek_error() != 0) ERR_clear_error();
}

// RFC 6347 §4.2.4.1: "an initial timer value of 1 second", doubled at each retransmission "up to no less
// than the RFC 6298 maximum of 60 seconds".
constexpr Duration kInitialRetransmit = std::chrono::seconds(1);
constexpr Duration kMaxRetransmit = std::chrono::seconds(60);

// RFC 5764 §4.2.
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";

const char* const kFingerprintMismatch = "the remote certificate's fingerprint does not match a=fingerprint";

}  // namespace

std::optional<Role> role_from_setup(std::string_view local_setup) {
  if (local_setup == "active") return Role::client;
  if (local_setup == "passive") return Role::server;
  return std::nullopt;
}

std::string_view to_string(SendResult result) {
  switch (result) {
    case SendResult::sent:
      return "sent";
    case SendResult::not_connected:
      return "the DTLS session is not connected";
    case SendResult::too_large:
      return "the message is larger than one DTLS record may carry within the MTU";
    case SendResult::queue_full:
      return "the outgoing datagram queue is full";
    case SendResult::failed:
      return "OpenSSL could not encrypt the message";
  }
  return "unknown";
}

struct Session::Impl {
  explicit Impl(Config c)
      : config(std::move(c)),
        context(nullptr, SSL_CTX_free),
        ssl(nullptr, SSL_free),
        rto(kInitialRetransmit) {}

  Config config;
  // Before the SSL, so that it outlives it: OpenSSL may still flush into the BIO while being freed.
  DatagramQueues queues;
  SslCtxPtr context;
  SslPtr ssl;
  std::deque<Event> events;
  State state = State::idle;

  std::optional<Fingerprint> remote_fingerprint;
  std::unique_ptr<X509, decltype(&X509_free)> remote_certificate{nullptr, X509_free};
  bool fingerprint_checked = false;  // both known and equal
  bool fingerprint_mismatch = false;

  std::optional<TimePoint> retransmit_at;
  Duration rto;
  std::optional<TimePoint> give_up_at;
  bool forcing_timeout = false;

  std::vector<std::vector<std::uint8_t>> held;  // application data before the fingerprint matched
  std::vector<std::uint8_t> read_buffer = std::vector<std::uint8_t>(SSL3_RT_MAX_PLAIN_LENGTH);
  std::size_t dropped_messages = 0;

  void setup();
  static int verify(int preverify_ok, X509_STORE_CTX* store);
  bool on_peer_certificate(X509* leaf);
  bool check_fingerprint();
  void drive(TimePoint now);
  void read_application_data();
  void deliver(std::vector<std::uint8_t> bytes);
  void become_connected();
  void fail(std::string reason);
  void push_event(Event event);
  bool active() const { return state == State::handshaking || state == State::awaiting_fingerprint; }
};

void Session::Impl::setup() {
  if (config.mtu < kMinMtu || config.mtu > kMaxMtu) {
    throw std::invalid_argument("DTLS MTU must be " + std::to_string(kMinMtu) + ".." +
                                std::to_string(kMaxMtu) + " bytes");
  }
  if (config.certificate.x509() == nullptr) throw std::invalid_argument("DTLS needs a certificate");
  queues.max_outgoing = std::max<std::size_t>(config.max_outgoing, 1);
  context = make_context(config, &Impl::verify);
  ssl = make_connection(context.get(), config);
  SSL_set_app_data(ssl.get(), this);
  BIO* bio = new_datagram_bio(&queues);
  if (bio == nullptr) throw std::runtime_error("DTLS setup: no datagram BIO");
  SSL_set_bio(ssl.get(), bio, bio);  // the SSL takes our reference (and one more for the second role)
}

// Called by OpenSSL for the peer's chain; the leaf is all WebRTC looks at. Self-signed is fine
// (preverify_ok is 0 for it); the fingerprint decides, now if it is known, else when it arrives.
int Session::Impl::verify(int /*preverify_ok*/, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl != nullptr ? static_cast<Impl*>(SSL_get_app_data(ssl)) : nullptr;
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  if (self == nullptr || leaf == nullptr) return 0;
  if (self->on_peer_certificate(leaf)) return 1;
  // The peer then reads "bad certificate" (alert 42) rather than "unknown CA".
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

bool Session::Impl::on_peer_certificate(X509* leaf) {
  if (remote_certificate.get() != leaf) {
    X509_up_ref(leaf);
    remote_certificate.reset(leaf);
    fingerprint_checked = false;
  }
  return check_fingerprint();
}

// False only for a mismatch; true while either side is still unknown.
bool Session::Impl::check_fingerprint() {
  if (fingerprint_checked) return true;
  if (!remote_certificate || !remote_fingerprint) return true;
  const Fingerprint actual = Fingerprint::of(remote_certificate.get(), remote_fingerprint->algorithm);
  if (actual == *remote_fingerprint) {
    fingerprint_checked = true;
    return true;
  }
  fingerprint_mismatch = true;
  return false;
}

void Session::Impl::push_event(Event event) {
  if (events.size() >= config.max_events && std::holds_alternative<ApplicationData>(event)) {
    ++dropped_messages;
    return;
  }
  events.push_back(std::move(event));
}

void Session::Impl::fail(std::string reason) {
  if (state == State::failed || state == State::closed) return;
  state = State::failed;
  retransmit_at.reset();
  give_up_at.reset();
  held.clear();
  queues.incoming.clear();
  push_event(Failed{std::move(reason)});
}

void Session::Impl::deliver(std::vector<std::uint8_t> bytes) {
  if (state == State::awaiting_fingerprint) {
    if (held.size() >= config.max_held) {
      ++dropped_messages;
      return;
    }
    held.push_back(std::move(bytes));
    return;
  }
  push_event(ApplicationData{std::move(bytes)});
}

void Session::Impl::become_connected() {
  state = State::connected;
  retransmit_at.reset();
  give_up_at.reset();

  Connected connected;
  if (const SRTP_PROTECTION_PROFILE* p = SSL_get_selected_srtp_profile(ssl.get())) {
    const auto profile = static_cast<SrtpProfile>(p->id);
    const std::size_t key = srtp_key_length(profile);
    const std::size_t salt = srtp_salt_length(profile);
    std::vector<std::uint8_t> block(2 * (key + salt));
    if (SSL_export_keying_material(ssl.get(), block.data(), block.size(), kExporterLabel,
                                   sizeof(kExporterLabel) - 1, nullptr, 0, 0) != 1) {
      fail("could not export the SRTP keys: " + take_openssl_errors());
      return;
    }
    // client key | server key | client salt | server salt
    const auto at = [&](std::size_t offset, std::size_t length) {
      return std::vector<std::uint8_t>(block.begin() + static_cast<std::ptrdiff_t>(offset),
                                       block.begin() + static_cast<std::ptrdiff_t>(offset + length));
    };
    connected.srtp_profile = profile;
    connected.keys.client_write_key = at(0, key);
    connected.keys.server_write_key = at(key, key);
    connected.keys.client_write_salt = at(2 * key, salt);
    connected.keys.server_write_salt = at(2 * key + salt, salt);
    OPENSSL_cleanse(block.data(), block.size());
  }
  push_event(std::move(connected));
  for (auto& bytes : held)
    push_event(ApplicationData{std::move(bytes)});
  held.clear();
}

void Session::Impl::drive(TimePoint now) {
  if (state == State::handshaking) {
    const std::uint64_t starts_before = queues.timer_starts;
    clear_errors();
    const int result = SSL_do_handshake(ssl.get());
    if (result != 1) {
      const int error = SSL_get_error(ssl.get(), result);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        fail(fingerprint_mismatch ? std::string(kFingerprintMismatch)
                                  : "DTLS handshake failed: " + take_openssl_errors());
        return;
      }
    }
    // A new flight went out: RFC 6347 §4.2.4 restarts the timer at its initial value.
    if (queues.timer_starts != starts_before) {
      rto = kInitialRetransmit;
      retransmit_at = now + rto;
    }
    if (!queues.timer_running) retransmit_at.reset();
    if (result == 1) {
      retransmit_at.reset();
      if (!check_fingerprint()) {
        fail(kFingerprintMismatch);
        return;
      }
      state = State::awaiting_fingerprint;
      if (fingerprint_checked) become_connected();
    }
  }
  if (state == State::connected || state == State::awaiting_fingerprint) read_application_data();
}

void Session::Impl::read_application_data() {
  for (;;) {
    clear_errors();
    const int n = SSL_read(ssl.get(), read_buffer.data(), static_cast<int>(read_buffer.size()));
    if (n > 0) {
      deliver(std::vector<std::uint8_t>(read_buffer.begin(), read_buffer.begin() + n));
      continue;
    }
    const int error = SSL_get_error(ssl.get(), n);
    if (error == SSL_ERROR_ZERO_RETURN) {
      state = State::closed;
      held.clear();
      push_event(Closed{});
      return;
    }
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
    fail("DTLS failed: " + take_openssl_errors());
    return;
  }
}

Session::Session(Config config) : impl_(std::make_unique<Impl>(std::move(config))) {
  impl_->setup();
}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

void Session::start(TimePoint now) {
  Impl& s = *impl_;
  if (s.state != State::idle) return;
  s.state = State::handshaking;
  s.give_up_at = now + s.config.handshake_timeout;
  if (s.config.role == Role::client) s.drive(now);  // the ClientHello
}

void Session::handle_datagram(TimePoint now, std::span<const std::uint8_t> bytes) {
  Impl& s = *impl_;
  if (s.state == State::idle && s.config.role == Role::server) start(now);
  if (s.state == State::idle || s.state == State::failed || s.state == State::closed) return;
  if (bytes.empty() || bytes.size() > kMaxDatagramSize) {
    ++s.queues.dropped;
    return;
  }
  if (s.queues.incoming.size() >= s.queues.max_incoming) {
    s.queues.incoming.pop_front();
    ++s.queues.dropped;
  }
  s.queues.incoming.emplace_back(bytes.begin(), bytes.end());
  s.drive(now);
}

void Session::handle_timeout(TimePoint now) {
  Impl& s = *impl_;
  if (!s.active()) return;
  if (s.give_up_at && now >= *s.give_up_at) {
    s.fail(s.state == State::handshaking
               ? "DTLS handshake timed out"
               : "DTLS handshake timed out waiting for the remote fingerprint (a=fingerprint)");
    return;
  }
  if (s.state != State::handshaking || !s.retransmit_at || now < *s.retransmit_at) return;
  // session.hpp, "Time" step 3: OpenSSL's deadline is made due, so it retransmits the flight now.
  if (s.queues.expire_openssl_timer()) {
    clear_errors();
    if (DTLSv1_handle_timeout(s.ssl.get()) < 0) {
      s.fail("DTLS handshake failed: " + take_openssl_errors());
      return;
    }
  }
  s.rto = std::min(s.rto * 2, kMaxRetransmit);
  s.retransmit_at = now + s.rto;
  if (!s.queues.timer_running) s.retransmit_at.reset();
}

SendResult Session::send(std::span<const std::uint8_t> bytes) {
  Impl& s = *impl_;
  if (s.state != State::connected) return SendResult::not_connected;
  if (bytes.empty() || bytes.size() > max_application_data()) return SendResult::too_large;
  if (s.queues.outgoing.size() >= s.queues.max_outgoing) return SendResult::queue_full;
  clear_errors();
  const int n = SSL_write(s.ssl.get(), bytes.data(), static_cast<int>(bytes.size()));
  if (n <= 0 || static_cast<std::size_t>(n) != bytes.size()) {
    clear_errors();
    return SendResult::failed;
  }
  return SendResult::sent;
}

void Session::close(TimePoint /*now*/) {
  Impl& s = *impl_;
  if (s.state == State::failed || s.state == State::closed) return;
  if (SSL_is_init_finished(s.ssl.get())) {
    clear_errors();
    SSL_shutdown(s.ssl.get());  // close_notify; we do not wait for the peer's
    clear_errors();
  }
  s.state = State::closed;
  s.retransmit_at.reset();
  s.give_up_at.reset();
  s.held.clear();
}

void Session::set_remote_fingerprint(const Fingerprint& fingerprint) {
  Impl& s = *impl_;
  if (s.state == State::failed || s.state == State::closed) return;
  if (s.remote_fingerprint && *s.remote_fingerprint == fingerprint) return;
  s.remote_fingerprint = fingerprint;
  s.fingerprint_checked = false;
  if (!s.check_fingerprint()) {
    // Tell the peer we are done if we can (an alert needs a finished handshake to be sent this way).
    if (SSL_is_init_finished(s.ssl.get())) {
      clear_errors();
      SSL_shutdown(s.ssl.get());
      clear_errors();
    }
    s.fail(kFingerprintMismatch);
    return;
  }
  if (s.state == State::awaiting_fingerprint && s.fingerprint_checked) s.become_connected();
}

std::optional<Transmit> Session::poll_transmit() {
  auto& out = impl_->queues.outgoing;
  if (out.empty()) return std::nullopt;
  Transmit transmit{std::move(out.front())};
  out.pop_front();
  return transmit;
}

std::optional<Event> Session::poll_event() {
  auto& events = impl_->events;
  if (events.empty()) return std::nullopt;
  Event event = std::move(events.front());
  events.pop_front();
  return event;
}

std::optional<TimePoint> Session::next_timeout() const {
  const Impl& s = *impl_;
  if (!s.active()) return std::nullopt;
  if (s.retransmit_at && s.give_up_at) return std::min(*s.retransmit_at, *s.give_up_at);
  return s.retransmit_at ? s.retransmit_at : s.give_up_at;
}

State Session::state() const {
  return impl_->state;
}
Role Session::role() const {
  return impl_->config.role;
}

std::size_t Session::max_application_data() const {
  if (!SSL_is_init_finished(impl_->ssl.get())) return 0;
  return std::min<std::size_t>(DTLS_get_data_mtu(impl_->ssl.get()), SSL3_RT_MAX_PLAIN_LENGTH);
}

X509* Session::remote_certificate() const {
  return impl_->remote_certificate.get();
}

std::size_t Session::dropped() const {
  return impl_->queues.dropped + impl_->dropped_messages;
}

}  // namespace peerhub::dtls
