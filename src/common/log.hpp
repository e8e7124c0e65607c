// Structured logs on stderr. A message is `event key=value ...` (values quoted when they need it), written
// as `TIMESTAMP LEVEL MESSAGE` (text) or {"ts":…,"level":…,"msg":…} (json), one line per message.
// Secrets never reach a log: describe_config() shows them as "(set)".
#pragma once

#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>

#include <concepts>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "common/config.hpp"

namespace peerhub::log {

// Installs the default spdlog logger. `level`: trace debug info warn error off; `format`: text | json.
// `sink` defaults to stderr (tests pass their own). Throws std::invalid_argument on an unknown level/format.
void setup(const std::string& level, const std::string& format,
           std::shared_ptr<spdlog::sinks::sink> sink = nullptr);

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false") {}
  template <std::integral T>
  Field(std::string_view k, T v) : key(k), value(std::to_string(v)) {}
  std::string_view key;
  std::string value;
};

// event("listening", {{"service", "http"}, {"addr", "127.0.0.1:8080"}}) == "listening service=http
// addr=127.0.0.1:8080"
std::string event(std::string_view name, std::initializer_list<Field> fields = {});

// A value as it appears after `key=`: bare when it is one plain word, else "quoted" with \" \\ \n escapes.
std::string quote(std::string_view value);

// `config server.http=127.0.0.1:8080 ... auth.secret=(set) ...`: the effective configuration for the
// startup log, every secret redacted.
std::string describe_config(const Config& config);

}  // namespace peerhub::log
