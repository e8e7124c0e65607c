// Interop with an independent DTLS implementation: OpenSSL's own `openssl s_server -dtls1_2` and
// `openssl s_client -dtls1_2`, over UDP on 127.0.0.1 only. The Session stays sans-IO; this file is the
// shell: a socket, the real clock and a poll() loop. Checks: the handshake completes both ways, the SRTP
// profile and the exported key block equal what the openssl command prints for -keymatexport, and
// application data passes in both directions. Skipped when there is no openssl command.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "dtls/session.hpp"

namespace peerhub::dtls {
namespace {

using namespace std::chrono_literals;

bool have_openssl_cli() {
  return std::system("command -v openssl > /dev/null 2>&1") == 0;
}

// The openssl command, with stdin and stdout (and stderr) on pipes; killed when the test ends.
class OpensslProcess {
 public:
  explicit OpensslProcess(const std::vector<std::string>& args) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      dup2(out[1], 2);
      ::close(in[1]);
      ::close(out[0]);
      std::vector<char*> argv;
      for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    fcntl(stdout_, F_SETFL, O_NONBLOCK);
  }
  ~OpensslProcess() {
    if (stdin_ >= 0) ::close(stdin_);
    if (stdout_ >= 0) ::close(stdout_);
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  void write_line(const std::string& line) {
    const std::string text = line + "\n";
    EXPECT_EQ(::write(stdin_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  // Everything it printed so far.
  const std::string& output() {
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(stdout_, buffer, sizeof(buffer));
      if (n <= 0) break;
      output_.append(buffer, static_cast<std::size_t>(n));
    }
    return output_;
  }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string output_;
};

struct TempFiles {
  std::string dir;
  std::string cert;
  std::string key;
  explicit TempFiles(const Certificate& certificate) {
    char pattern[] = "/tmp/peerhub-dtls-interop-XXXXXX";
    dir = mkdtemp(pattern);
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    std::ofstream(cert) << certificate.certificate_pem();
    std::ofstream(key) << certificate.private_key_pem();
  }
  ~TempFiles() {
    std::remove(cert.c_str());
    std::remove(key.c_str());
    rmdir(dir.c_str());
  }
};

class UdpSocket {
 public:
  UdpSocket() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local));
  }
  ~UdpSocket() { ::close(fd_); }
  std::uint16_t port() const {
    sockaddr_in local{};
    socklen_t length = sizeof(local);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length);
    return ntohs(local.sin_port);
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

std::uint16_t free_udp_port() {
  UdpSocket probe;
  return probe.port();
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (auto b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

// The exporter block in RFC 5764 §4.2 order, as `-keymatexport EXTRACTOR-dtls_srtp` prints it.
std::string key_block_hex(const SrtpKeyMaterial& keys) {
  return hex(keys.client_write_key) + hex(keys.server_write_key) + hex(keys.client_write_salt) +
         hex(keys.server_write_salt);
}

// The shell: drives `session` over `socket` with the real clock until `done` or the deadline.
class Shell {
 public:
  Shell(Session& session, UdpSocket& socket) : session_(session), socket_(socket) {}

  void set_peer(std::uint16_t port) {
    peer_.sin_family = AF_INET;
    peer_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    peer_.sin_port = htons(port);
    have_peer_ = true;
  }

  template <typename Done>
  bool run(Done done, std::chrono::milliseconds budget = 10s) {
    const auto deadline = Clock::now() + budget;
    for (;;) {
      flush();
      if (done()) return true;
      const auto now = Clock::now();
      if (now >= deadline) return false;
      auto wake = std::min(deadline, now + 50ms);
      if (auto t = session_.next_timeout()) wake = std::min(wake, *t);
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
      pollfd p{socket_.fd(), POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(std::max<long long>(wait, 0))) > 0) {
        std::vector<std::uint8_t> buffer(65536);
        sockaddr_in from{};
        socklen_t length = sizeof(from);
        const ssize_t n = recvfrom(socket_.fd(), buffer.data(), buffer.size(), 0,
                                   reinterpret_cast<sockaddr*>(&from), &length);
        if (n > 0 && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK)) {
          if (!have_peer_) {
            peer_ = from;
            have_peer_ = true;
          }
          session_.handle_datagram(Clock::now(), std::span(buffer.data(), static_cast<std::size_t>(n)));
        }
      }
      if (auto t = session_.next_timeout(); t && Clock::now() >= *t) session_.handle_timeout(Clock::now());
    }
  }

  void flush() {
    while (auto t = session_.poll_transmit()) {
      ASSERT_LE(t->bytes.size(), 1200U);
      if (have_peer_) {
        sendto(socket_.fd(), t->bytes.data(), t->bytes.size(), 0, reinterpret_cast<sockaddr*>(&peer_),
               sizeof(peer_));
      }
    }
    while (auto e = session_.poll_event())
      events.push_back(std::move(*e));
  }

  template <typename T>
  const T* find() const {
    for (const auto& e : events) {
      if (const auto* t = std::get_if<T>(&e)) return t;
    }
    return nullptr;
  }
  std::string received_text() const {
    std::string text;
    for (const auto& e : events) {
      if (const auto* d = std::get_if<ApplicationData>(&e)) text.append(d->bytes.begin(), d->bytes.end());
    }
    return text;
  }

  std::vector<Event> events;

 private:
  Session& session_;
  UdpSocket& socket_;
  sockaddr_in peer_{};
  bool have_peer_ = false;
};

// Waits (polling its output) until the process printed `text`.
bool wait_for_output(OpensslProcess& process, const std::string& text,
                     std::chrono::milliseconds budget = 10s) {
  const auto deadline = Clock::now() + budget;
  while (Clock::now() < deadline) {
    if (process.output().find(text) != std::string::npos) return true;
    usleep(10'000);
  }
  return false;
}

std::vector<std::uint8_t> bytes_of(const std::string& text) {
  return {text.begin(), text.end()};
}

TEST(DtlsOpensslInterop, PeerhubClientAgainstOpensslServer) {
  if (!have_openssl_cli()) GTEST_SKIP() << "no openssl command";
  const Certificate server_certificate = Certificate::generate(std::chrono::system_clock::now());
  const Certificate client_certificate = Certificate::generate(std::chrono::system_clock::now());
  TempFiles files(server_certificate);
  const std::uint16_t port = free_udp_port();
  OpensslProcess server({"openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + std::to_string(port),
                         "-cert", files.cert, "-key", files.key, "-verify", "1", "-use_srtp",
                         "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", "-keymatexport",
                         "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56"});
  ASSERT_TRUE(wait_for_output(server, "ACCEPT")) << server.output();

  Session session(Config{.role = Role::client, .certificate = client_certificate});
  session.set_remote_fingerprint(server_certificate.fingerprint());
  UdpSocket socket;
  Shell shell(session, socket);
  shell.set_peer(port);
  session.start(Clock::now());
  ASSERT_TRUE(shell.run([&] {
    return shell.find<Connected>() != nullptr || shell.find<Failed>() != nullptr;
  })) << server.output();
  ASSERT_EQ(shell.find<Failed>(), nullptr) << shell.find<Failed>()->reason;
  const Connected& connected = *shell.find<Connected>();
  ASSERT_EQ(connected.srtp_profile, SrtpProfile::aead_aes128_gcm);

  const std::string expected_keys = "Keying material: " + key_block_hex(connected.keys);
  ASSERT_TRUE(wait_for_output(server, expected_keys)) << server.output() << "\nexpected " << expected_keys;
  EXPECT_NE(server.output().find("SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM"),
            std::string::npos);

  ASSERT_EQ(session.send(bytes_of("hello from peerhub\n")), SendResult::sent);
  shell.flush();
  EXPECT_TRUE(wait_for_output(server, "hello from peerhub")) << server.output();

  server.write_line("hello from openssl");
  EXPECT_TRUE(
      shell.run([&] { return shell.received_text().find("hello from openssl") != std::string::npos; }));
}

TEST(DtlsOpensslInterop, OpensslClientAgainstPeerhubServer) {
  if (!have_openssl_cli()) GTEST_SKIP() << "no openssl command";
  const Certificate server_certificate = Certificate::generate(std::chrono::system_clock::now());
  const Certificate client_certificate = Certificate::generate(std::chrono::system_clock::now());
  TempFiles files(client_certificate);

  Config config{.role = Role::server, .certificate = server_certificate};
  config.srtp_profiles = {SrtpProfile::aes128_cm_sha1_80};  // the server's choice must be honoured
  Session session(config);
  session.set_remote_fingerprint(client_certificate.fingerprint());
  UdpSocket socket;
  Shell shell(session, socket);
  session.start(Clock::now());

  OpensslProcess client({"openssl", "s_client", "-dtls1_2", "-connect",
                         "127.0.0.1:" + std::to_string(socket.port()), "-cert", files.cert, "-key", files.key,
                         "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", "-keymatexport",
                         "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60"});
  ASSERT_TRUE(shell.run([&] {
    return shell.find<Connected>() != nullptr || shell.find<Failed>() != nullptr;
  })) << client.output();
  ASSERT_EQ(shell.find<Failed>(), nullptr) << shell.find<Failed>()->reason << "\n" << client.output();
  const Connected& connected = *shell.find<Connected>();
  ASSERT_EQ(connected.srtp_profile, SrtpProfile::aes128_cm_sha1_80);

  const std::string expected_keys = "Keying material: " + key_block_hex(connected.keys);
  ASSERT_TRUE(wait_for_output(client, expected_keys)) << client.output() << "\nexpected " << expected_keys;
  // s_client saw our certificate, the one our fingerprint names.
  EXPECT_NE(client.output().find("CN = peerhub"), std::string::npos) << client.output();

  ASSERT_EQ(session.send(bytes_of("hello from peerhub\n")), SendResult::sent);
  shell.flush();
  EXPECT_TRUE(wait_for_output(client, "hello from peerhub")) << client.output();
  client.write_line("hello from openssl");
  EXPECT_TRUE(
      shell.run([&] { return shell.received_text().find("hello from openssl") != std::string::npos; }));
}

}  // namespace
}  // namespace peerhub::dtls
