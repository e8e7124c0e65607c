// Session: one libsrtp2 context with an outbound and an inbound policy (see session.hpp).
#include "srtp/session.hpp"

#include <srtp2/srtp.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace peerhub::srtp {
namespace {

// libsrtp2 keeps global state (crypto kernel, debug modules): set it up once per process.
void initialise_libsrtp() {
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_ok;
  std::call_once(once, [] { status = srtp_init(); });
  if (status != srtp_err_status_ok) throw std::runtime_error("libsrtp2 could not start");
}

constexpr std::size_t kRtpHeader = 12;  // RFC 3550 §5.1
constexpr std::size_t kRtcpHeader = 8;  // RFC 3550 §6.4: header and sender SSRC
constexpr std::size_t kSrtcpIndex = 4;  // RFC 3711 §3.4: E flag and SRTCP index

Error from_libsrtp(srtp_err_status_t status) {
  switch (status) {
    case srtp_err_status_ok:
      return Error::ok;
    case srtp_err_status_auth_fail:
      return Error::auth_failed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      return Error::replayed;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
    case srtp_err_status_no_ctx:
      return Error::bad_packet;
    default:
      return Error::internal;
  }
}

void set_crypto(SrtpProfile profile, srtp_policy_t& policy) {
  // RFC 5764 §4.1.2 / RFC 7714 §14.2: the same transform for SRTP and SRTCP.
  if (profile == SrtpProfile::aead_aes128_gcm) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
  }
}

std::size_t tag_length(SrtpProfile profile) {
  return profile == SrtpProfile::aead_aes128_gcm ? 16 : 10;
}

}  // namespace

std::string_view to_string(Error error) {
  switch (error) {
    case Error::ok:
      return "ok";
    case Error::too_short:
      return "packet too short for its header and authentication tag";
    case Error::too_long:
      return "packet too long";
    case Error::auth_failed:
      return "authentication failed (tampered with, or protected with other keys)";
    case Error::replayed:
      return "replayed packet (already received, or older than the replay window)";
    case Error::bad_packet:
      return "malformed SRTP/SRTCP packet";
    case Error::internal:
      return "libsrtp2 failed";
  }
  return "unknown SRTP error";
}

struct Session::Context {
  srtp_t outbound = nullptr;  // our keys, any SSRC we send
  srtp_t inbound = nullptr;   // the peer's keys, any SSRC it sends
  ~Context() {
    if (outbound != nullptr) srtp_dealloc(outbound);
    if (inbound != nullptr) srtp_dealloc(inbound);
  }
};

Session::Session(SrtpProfile profile, const SrtpKeyMaterial& keys, dtls::Role local_role, Options options)
    : profile_(profile), context_(std::make_unique<Context>()) {
  initialise_libsrtp();
  const std::size_t key_length = dtls::srtp_key_length(profile);
  const std::size_t salt_length = dtls::srtp_salt_length(profile);
  if (keys.client_write_key.size() != key_length || keys.server_write_key.size() != key_length ||
      keys.client_write_salt.size() != salt_length || keys.server_write_salt.size() != salt_length) {
    throw std::invalid_argument(std::string("SRTP keys have the wrong length for ") +
                                std::string(dtls::to_string(profile)));
  }
  // RFC 5764 §4.2: the DTLS client sends with the client_write key.
  const bool client = local_role == dtls::Role::client;
  const auto& local_key = client ? keys.client_write_key : keys.server_write_key;
  const auto& local_salt = client ? keys.client_write_salt : keys.server_write_salt;
  const auto& remote_key = client ? keys.server_write_key : keys.client_write_key;
  const auto& remote_salt = client ? keys.server_write_salt : keys.client_write_salt;

  // libsrtp2 takes the master key followed by the master salt.
  std::vector<unsigned char> local(local_key.begin(), local_key.end());
  local.insert(local.end(), local_salt.begin(), local_salt.end());
  std::vector<unsigned char> remote(remote_key.begin(), remote_key.end());
  remote.insert(remote.end(), remote_salt.begin(), remote_salt.end());

  const unsigned long window = std::clamp<std::size_t>(options.replay_window, 64, 0x8000 - 1);
  // libsrtp2 takes one wildcard policy per context, so each direction has its own.
  const auto create = [&](srtp_t& out, srtp_ssrc_type_t direction, std::vector<unsigned char>& key) {
    srtp_policy_t policy{};
    set_crypto(profile, policy);
    policy.ssrc.type = direction;
    policy.key = key.data();
    policy.window_size = window;
    policy.allow_repeat_tx = 0;  // our sender never repeats a packet index; libsrtp2 refuses one
    const srtp_err_status_t status = srtp_create(&out, &policy);
    std::fill(key.begin(), key.end(), 0);
    if (status != srtp_err_status_ok) {
      out = nullptr;
      throw std::runtime_error("libsrtp2 refused the SRTP policy (error " +
                               std::to_string(static_cast<int>(status)) + ")");
    }
  };
  create(context_->outbound, ssrc_any_outbound, local);
  create(context_->inbound, ssrc_any_inbound, remote);
}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

std::size_t Session::rtp_trailer() const {
  return tag_length(profile_);
}
std::size_t Session::rtcp_trailer() const {
  return tag_length(profile_) + kSrtcpIndex;
}

Error Session::protect_rtp(std::vector<std::uint8_t>& packet) {
  if (packet.size() < kRtpHeader) return Error::too_short;
  if (packet.size() + kMaxTrailer > kMaxPacket) return Error::too_long;
  const std::size_t plain = packet.size();
  packet.resize(plain + kMaxTrailer);  // room libsrtp2 writes the tag into
  int length = static_cast<int>(plain);
  const Error error = from_libsrtp(srtp_protect(context_->outbound, packet.data(), &length));
  packet.resize(error == Error::ok ? static_cast<std::size_t>(length) : plain);
  return error;
}

Error Session::protect_rtcp(std::vector<std::uint8_t>& packet) {
  if (packet.size() < kRtcpHeader) return Error::too_short;
  if (packet.size() + kMaxTrailer > kMaxPacket) return Error::too_long;
  const std::size_t plain = packet.size();
  packet.resize(plain + kMaxTrailer);
  int length = static_cast<int>(plain);
  const Error error = from_libsrtp(srtp_protect_rtcp(context_->outbound, packet.data(), &length));
  packet.resize(error == Error::ok ? static_cast<std::size_t>(length) : plain);
  return error;
}

Error Session::unprotect_rtp(std::span<std::uint8_t>& packet) {
  if (packet.size() < kRtpHeader + tag_length(profile_)) return Error::too_short;
  if (packet.size() > kMaxPacket) return Error::too_long;
  int length = static_cast<int>(packet.size());
  const Error error = from_libsrtp(srtp_unprotect(context_->inbound, packet.data(), &length));
  if (error == Error::ok) packet = packet.first(static_cast<std::size_t>(length));
  return error;
}

Error Session::unprotect_rtcp(std::span<std::uint8_t>& packet) {
  if (packet.size() < kRtcpHeader + kSrtcpIndex + tag_length(profile_)) return Error::too_short;
  if (packet.size() > kMaxPacket) return Error::too_long;
  int length = static_cast<int>(packet.size());
  const Error error = from_libsrtp(srtp_unprotect_rtcp(context_->inbound, packet.data(), &length));
  if (error == Error::ok) packet = packet.first(static_cast<std::size_t>(length));
  return error;
}

}  // namespace peerhub::srtp
