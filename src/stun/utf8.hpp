// UTF-8 checks for text attributes and credentials (internal to the codec).
#pragma once

#include <string_view>

namespace peerhub::stun::detail {

// RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s);

}  // namespace peerhub::stun::detail
