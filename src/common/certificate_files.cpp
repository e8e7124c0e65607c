#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "common/certificate.hpp"

namespace peerhub {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& action) {
  throw std::runtime_error("cannot " + action + " " + path + ": " + std::strerror(errno));
}

void write_file(const std::string& path, const std::string& contents, mode_t mode, bool overwrite) {
  // O_EXCL makes "refuse to overwrite" atomic; O_NOFOLLOW keeps --force from writing through a symlink.
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (overwrite ? O_TRUNC : O_EXCL);
  const int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) fail(path, "create");
  // An existing file keeps its old mode through open(): set it before a byte of the key is written.
  if (::fchmod(fd, mode) != 0) {
    ::close(fd);
    fail(path, "chmod");
  }
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t result = ::write(fd, contents.data() + written, contents.size() - written);
    if (result < 0 && errno == EINTR) continue;
    if (result <= 0) {
      ::close(fd);
      fail(path, "write");
    }
    written += static_cast<std::size_t>(result);
  }
  if (::close(fd) != 0) fail(path, "close");
}

}  // namespace

CertificateFiles write_certificate_files(const PemCertificate& pem, const std::string& dir, bool overwrite) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::runtime_error("cannot create folder " + dir + ": " + error.message());

  const auto folder = std::filesystem::path(dir);
  CertificateFiles files{(folder / "cert.pem").string(), (folder / "key.pem").string()};
  if (!overwrite) {
    for (const auto& path : {files.certificate_path, files.key_path}) {
      if (std::filesystem::symlink_status(path, error).type() != std::filesystem::file_type::not_found) {
        throw std::runtime_error(path + " already exists (use --force to replace it)");
      }
    }
  }
  write_file(files.key_path, pem.private_key, 0600, overwrite);
  write_file(files.certificate_path, pem.certificate, 0644, overwrite);
  return files;
}

}  // namespace peerhub
