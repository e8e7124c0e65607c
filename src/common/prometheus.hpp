// Writes the Prometheus text exposition format (version 0.0.4): a family's HELP and TYPE lines, then its
// samples. Every module that exposes counters writes through this, each under its own name prefix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace peerhub {

class PrometheusWriter {
 public:
  // `prefix` starts every metric name, e.g. "peerhub_signaling_".
  PrometheusWriter(std::string& out, std::string_view prefix) : out_(out), prefix_(prefix) {}

  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, std::uint64_t value);
  // One label. Label values here are fixed identifiers of the program, never client text: nothing to escape.
  void sample(std::string_view name, std::string_view label, std::string_view label_value,
              std::uint64_t value);
  // A family of one unlabelled sample.
  void single(std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
    family(name, type, help);
    sample(name, value);
  }

 private:
  void name(std::string_view name);
  void value(std::uint64_t v);

  std::string& out_;
  std::string_view prefix_;
};

}  // namespace peerhub
