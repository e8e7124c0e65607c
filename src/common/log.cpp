#include "common/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <stdexcept>

#include "common/log_formatter.hpp"
#include "common/settings.hpp"

namespace peerhub::log {
namespace {

spdlog::level::level_enum parse_level(const std::string& level) {
  // spdlog's own from_str() turns any unknown word into "off": a typo would silence the server.
  if (level == "trace") return spdlog::level::trace;
  if (level == "debug") return spdlog::level::debug;
  if (level == "info") return spdlog::level::info;
  if (level == "warn") return spdlog::level::warn;
  if (level == "error") return spdlog::level::err;
  if (level == "off") return spdlog::level::off;
  throw std::invalid_argument("log level must be trace, debug, info, warn, error or off, got '" + level +
                              "'");
}

bool is_plain(std::string_view value) {
  if (value.empty()) return false;
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

void setup(const std::string& level, const std::string& format, std::shared_ptr<spdlog::sinks::sink> sink) {
  const auto parsed_level = parse_level(level);
  if (format != "text" && format != "json") {
    throw std::invalid_argument("log format must be text or json, got '" + format + "'");
  }
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("peerhub", std::move(sink));
  logger->set_formatter(std::make_unique<LineFormatter>(format == "json"));
  logger->set_level(parsed_level);
  logger->flush_on(spdlog::level::trace);  // tests and supervisors read the lines as they come
  spdlog::set_default_logger(std::move(logger));
}

std::string quote(std::string_view value) {
  if (is_plain(value)) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) {
      out += '?';  // no control character may break a log line
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string event(std::string_view name, std::initializer_list<Field> fields) {
  std::string out(name);
  for (const auto& field : fields) {
    out += ' ';
    out += field.key;
    out += '=';
    out += quote(field.value);
  }
  return out;
}

std::string describe_config(const Config& config) {
  std::string out = "config";
  for (const auto& setting : settings()) {
    out += ' ';
    out += setting.section;
    out += '.';
    out += setting.key;
    out += '=';
    out += quote(describe(setting, config));
  }
  return out;
}

}  // namespace peerhub::log
