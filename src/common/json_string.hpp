// A string as a JSON string literal (RFC 8259 §7), quotes included. Shared by every JSON writer of peerhub:
// the signaling messages and the JSON log lines.
#pragma once

#include <string>
#include <string_view>

namespace peerhub {

// Escapes '"', '\\', the control characters and DEL (harmless to JSON, but it keeps terminals sane).
void append_json_string(std::string& out, std::string_view s);

}  // namespace peerhub
