// libFuzzer target for the static file resolver (src/net/web_path.hpp): whatever the request-target, a
// result never leaves the web folder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/web_path.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const std::optional<std::string> path = peerhub::net::resolve_web_path(target);
  if (!path) return 0;
  const std::string_view p = *path;
  check(!p.empty() && p.front() != '/');
  check(p.find('\\') == std::string_view::npos);
  for (char c : p)
    check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);  // no NUL, no control bytes
  // No "." or ".." segment, and no hidden file: no segment starts with a dot.
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t end = std::min(p.find('/', start), p.size());
    const std::string_view segment = p.substr(start, end - start);
    check(segment != ".." && (segment.empty() || segment.front() != '.'));
    start = end + 1;
  }
  check(p.size() <= 1024 + 10);  // the length limit, plus "index.html" for a folder
  return 0;
}
