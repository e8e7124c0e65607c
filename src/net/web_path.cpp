#include "net/web_path.hpp"

#include <array>
#include <utility>

namespace peerhub::net {
namespace {

constexpr std::size_t kMaxTarget = 1024;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX once. A '%' left in the result (from "%25") is refused by the caller: the web folder holds no
// such names, and refusing it closes double-encoding tricks like %252e%252e.
std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int hi = hex_value(in[i + 1]);
    const int lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool acceptable_char(unsigned char c) {
  return c >= 0x20 && c != 0x7f && c != '\\' && c != '%';
}

}  // namespace

std::optional<std::string> resolve_web_path(std::string_view target) {
  if (target.empty() || target.size() > kMaxTarget || target.front() != '/') return std::nullopt;
  if (const auto q = target.find_first_of("?#"); q != std::string_view::npos) target = target.substr(0, q);

  const auto decoded = percent_decode(target);
  if (!decoded) return std::nullopt;

  std::string result;
  std::string_view rest(*decoded);
  bool ends_with_slash = true;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    ends_with_slash = slash != std::string_view::npos;
    if (segment.empty()) continue;                    // "//" and the leading "/"
    if (segment.front() == '.') return std::nullopt;  // ".", "..", and hidden files
    for (const char c : segment) {
      if (!acceptable_char(static_cast<unsigned char>(c))) return std::nullopt;
    }
    if (!result.empty()) result.push_back('/');
    result.append(segment);
  }
  if (result.empty()) return std::string("index.html");
  if (ends_with_slash) result.append("/index.html");
  return result;
}

std::string_view content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".wasm", "application/wasm"},
      {".webm", "video/webm"},
      {".mp4", "video/mp4"},
      {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"},
  }};
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const auto ext = name.substr(dot);
  for (const auto& [e, type] : kTypes) {
    if (ext.size() == e.size()) {
      bool same = true;
      for (std::size_t i = 0; i < e.size(); ++i) {
        const char c = ext[i] >= 'A' && ext[i] <= 'Z' ? static_cast<char>(ext[i] - 'A' + 'a') : ext[i];
        same = same && c == e[i];
      }
      if (same) return type;
    }
  }
  return "application/octet-stream";
}

}  // namespace peerhub::net
