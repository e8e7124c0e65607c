// [server] [tls] [signaling] [[signaling.ice_servers]] [auth] [turn] [media]: keys and types come from the
// settings table; anything the table does not name is an error, so a typo never silently does nothing.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>

#include <toml++/toml.h>

#include "common/config.hpp"
#include "common/overloaded.hpp"
#include "common/settings.hpp"

namespace peerhub {
namespace {

constexpr std::uintmax_t kMaxConfigFileBytes = 1024 * 1024;

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

// Problems found while walking the document; `where` renders "FILE:LINE".
struct Located : std::invalid_argument {
  Located(const toml::source_region& region, const std::string& what)
      : std::invalid_argument(what), line(region.begin.line) {}
  Located(std::size_t at, const std::string& what) : std::invalid_argument(what), line(at) {}
  std::size_t line;
};

[[noreturn]] void wrong_type(const toml::node& node, const std::string& expected) {
  throw Located(node.source(), "expected " + expected + ", got " + type_name(node));
}

std::string string_of(const toml::node& node) {
  if (const auto* text = node.as_string()) return text->get();
  wrong_type(node, "a string");
}

unsigned long long count_of(const toml::node& node, unsigned long long max) {
  const auto* number = node.as_integer();
  const std::string expected = "a whole number from 0 to " + std::to_string(max);
  if (!number) wrong_type(node, expected);
  if (number->get() < 0 || static_cast<unsigned long long>(number->get()) > max) {
    throw Located(node.source(), "expected " + expected + ", got " + std::to_string(number->get()));
  }
  return static_cast<unsigned long long>(number->get());
}

// A string or an array of strings, as [[signaling.ice_servers]] urls and [turn] users accept.
std::vector<std::string> strings_of(const toml::node& node) {
  if (node.is_string()) return {string_of(node)};
  const auto* array = node.as_array();
  if (!array) wrong_type(node, "a string or an array of strings");
  std::vector<std::string> out;
  for (const auto& item : *array)
    out.push_back(string_of(item));
  return out;
}

std::vector<IceServerConfig> ice_servers_of(const toml::node& node) {
  const auto* array = node.as_array();
  if (!array) wrong_type(node, "an array of tables ([[signaling.ice_servers]])");
  std::vector<IceServerConfig> servers;
  for (const auto& item : *array) {
    const auto* table = item.as_table();
    if (!table) wrong_type(item, "a table with urls, username, credential");
    IceServerConfig server;
    for (const auto& [key, value] : *table) {
      if (key == "urls") {
        server.urls = strings_of(value);
      } else if (key == "username") {
        server.username = string_of(value);
      } else if (key == "credential") {
        server.credential = string_of(value);
      } else {
        throw Located(key.source(), "unknown key '" + std::string(key.str()) +
                                        "' (ice_servers take urls, username, credential)");
      }
    }
    servers.push_back(std::move(server));
  }
  return servers;
}

void set_from_toml(const Setting& setting, const toml::node& node, Config& config) {
  std::visit(
      Overloaded{
          [&](std::string Config::*field) { config.*field = string_of(node); },
          [&](unsigned Config::*field) {
            config.*field = static_cast<unsigned>(count_of(node, std::numeric_limits<unsigned>::max()));
          },
          [&](std::size_t Config::*field) {
            config.*field = static_cast<std::size_t>(count_of(node, std::numeric_limits<std::size_t>::max()));
          },
          [&](double Config::*field) {
            if (const auto* integer = node.as_integer()) {
              config.*field = static_cast<double>(integer->get());
            } else if (const auto* number = node.as_floating_point()) {
              config.*field = number->get();
            } else {
              wrong_type(node, "a number");
            }
          },
          [&](bool Config::*field) {
            if (const auto* flag = node.as_boolean()) {
              config.*field = flag->get();
            } else {
              wrong_type(node, "true or false");
            }
          },
          [&](std::vector<std::string> Config::*field) { config.*field = strings_of(node); },
          [&](std::vector<IceServerConfig> Config::*field) { config.*field = ice_servers_of(node); },
      },
      setting.field);
}

const Setting* find_setting(std::string_view section, std::string_view key) {
  for (const auto& setting : settings()) {
    if (setting.section == section && setting.key == key) return &setting;
  }
  return nullptr;
}

bool known_section(std::string_view section) {
  for (const auto& setting : settings()) {
    if (setting.section == section) return true;
  }
  return false;
}

void apply_table(const toml::table& root, Config& config) {
  for (const auto& [section, node] : root) {
    const std::string name(section.str());
    const auto* table = node.as_table();
    if (!table) {
      std::string hint;
      for (const auto& setting : settings()) {
        if (setting.key == name) hint = " (did you mean it under [" + std::string(setting.section) + "]?)";
      }
      throw Located(section.source(), "unknown key '" + name + "' outside any section" + hint);
    }
    if (!known_section(name)) throw Located(section.source(), "unknown section [" + name + "]");
    for (const auto& [key, value] : *table) {
      const Setting* setting = find_setting(name, key.str());
      if (!setting) throw Located(key.source(), "unknown key '" + name + "." + std::string(key.str()) + "'");
      try {
        set_from_toml(*setting, value, config);
      } catch (const Located& error) {
        throw Located(error.line, name + "." + std::string(key.str()) + ": " + error.what());
      }
    }
  }
}

}  // namespace

void load_toml_text(std::string_view text, const std::string& source, Config& config) {
  if (text.size() > kMaxConfigFileBytes) {
    throw std::runtime_error(source + ": larger than " + std::to_string(kMaxConfigFileBytes) + " bytes");
  }
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& error) {
    const auto line = error.source().begin.line;
    throw std::runtime_error(source + (line > 0 ? ":" + std::to_string(line) : "") + ": " +
                             std::string(error.description()));
  }
  // Fill a copy so that a file with an error changes nothing.
  Config loaded = config;
  try {
    apply_table(root, loaded);
  } catch (const Located& error) {
    throw std::runtime_error(source + ":" + std::to_string(error.line) + ": " + error.what());
  }
  config = std::move(loaded);
}

void load_toml_file(const std::string& path, Config& config) {
  // A configuration is a few kilobytes; anything far larger is a wrong path, not a config to read whole.
  if (std::error_code ignored; std::filesystem::is_directory(path, ignored)) {
    throw std::runtime_error(path + ": is a folder, not a TOML file");
  }
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (!size_error && size > kMaxConfigFileBytes) {
    throw std::runtime_error(path + ": larger than " + std::to_string(kMaxConfigFileBytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read: " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  load_toml_text(text, path, config);
}

}  // namespace peerhub
