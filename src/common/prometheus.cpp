#include "common/prometheus.hpp"

#include <charconv>

namespace peerhub {

void PrometheusWriter::name(std::string_view n) {
  out_.append(prefix_);
  out_.append(n);
}

void PrometheusWriter::value(std::uint64_t v) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.push_back(' ');
  out_.append(buf, end);
  out_.push_back('\n');
}

void PrometheusWriter::family(std::string_view n, std::string_view type, std::string_view help) {
  out_.append("# HELP ");
  name(n);
  out_.push_back(' ');
  out_.append(help);
  out_.append("\n# TYPE ");
  name(n);
  out_.push_back(' ');
  out_.append(type);
  out_.push_back('\n');
}

void PrometheusWriter::sample(std::string_view n, std::uint64_t v) {
  name(n);
  value(v);
}

void PrometheusWriter::sample(std::string_view n, std::string_view label, std::string_view label_value,
                              std::uint64_t v) {
  name(n);
  out_.push_back('{');
  out_.append(label);
  out_.append("=\"");
  out_.append(label_value);
  out_.append("\"}");
  value(v);
}

}  // namespace peerhub
