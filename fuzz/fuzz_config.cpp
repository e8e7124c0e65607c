// The configuration parsers peerhub owns: ADDR:PORT endpoints, TOML text applied through the settings table,
// and PEERHUB_* variables. The first byte picks the parser; the rest is its input. A parse either succeeds or
// throws an exception with a message — nothing else (no crash, no undefined behaviour) is allowed.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "common/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  peerhub::Config config;
  try {
    switch (data[0] % 3) {
      case 0:
        peerhub::parse_endpoint(text);
        break;
      case 1:
        peerhub::load_toml_text(text, "fuzz.toml", config);
        peerhub::validate(config);
        break;
      default: {
        // One NAME=VALUE per line, as in environ.
        std::vector<std::string> lines;
        std::size_t start = 0;
        while (start <= text.size() && lines.size() < 64) {
          const auto end = text.find('\n', start);
          lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
          if (end == std::string::npos) break;
          start = end + 1;
        }
        std::vector<char*> env;
        for (auto& line : lines)
          env.push_back(line.data());
        env.push_back(nullptr);
        peerhub::apply_environment(env.data(), config);
        peerhub::validate(config);
        break;
      }
    }
  } catch (const std::exception&) {
    // A clear refusal is the expected answer to bad input.
  }
  return 0;
}
