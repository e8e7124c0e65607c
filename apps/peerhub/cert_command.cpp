// `peerhub cert --host NAME... [--out DIR] [--days N] [--force]`: a self-signed certificate for a LAN.
#include <chrono>
#include <exception>
#include <iostream>

#include "commands.hpp"
#include "common/certificate.hpp"

namespace peerhub::app {

CLI::App* add_cert_command(CLI::App& app, CertCommand& command) {
  CLI::App* cert = app.add_subcommand(
      "cert", "write a self-signed certificate (DIR/cert.pem) and its key (DIR/key.pem, mode 0600)");
  cert->add_option("--host", command.hosts,
                   "DNS name or IP address the certificate is for (repeatable; at least one)")
      ->type_name("NAME")
      ->required()
      ->allow_extra_args(false);
  cert->add_option("--out", command.out, "folder to write cert.pem and key.pem into")
      ->type_name("DIR")
      ->capture_default_str();
  cert->add_option("--days", command.days, "validity in days")
      ->type_name("N")
      ->capture_default_str()
      ->check(CLI::Range(1u, kMaxCertificateDays));
  cert->add_flag("--force", command.force, "replace cert.pem and key.pem when they exist");
  return cert;
}

int run_cert_command(const CertCommand& command) {
  PemCertificate pem;
  try {
    pem = generate_self_signed_certificate(
        CertificateRequest{command.hosts, command.days, std::chrono::system_clock::now()});
  } catch (const std::invalid_argument& error) {
    return usage_error(error.what());
  }
  try {
    const auto files = write_certificate_files(pem, command.out, command.force);
    std::cout << "wrote " << files.certificate_path << " and " << files.key_path << " (valid " << command.days
              << " days)\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "peerhub: error: " << error.what() << std::endl;
    return 1;
  }
}

}  // namespace peerhub::app
