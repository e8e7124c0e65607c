// Mapping an HTTP request-target to a file below the web folder, refusing anything that could leave it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace peerhub::net {

// Returns the path relative to the web folder ("index.html", "js/app.js"), or nothing when the target must be
// refused: not origin-form, bad percent-encoding, a "." or ".." segment (also when percent-encoded, once or
// twice), a backslash, a NUL or other control character, a hidden (dot) file, or longer than 1024 bytes.
// A target ending in "/" names that folder's index.html.
std::optional<std::string> resolve_web_path(std::string_view request_target);

// The Content-Type for a file name, by extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view file_name);

}  // namespace peerhub::net
