// Finds the text of one top-level member's value inside a JSON object that the parser has already accepted,
// so a relayed payload can be copied byte for byte instead of serialized again from the DOM.
#pragma once

#include <optional>
#include <string_view>

namespace peerhub::signaling {

// The exact text of the value of `key` in the top-level object `json`. nullopt when the key is absent,
// appears more than once, is written with escapes, or the text is not what a validated object looks like;
// callers then fall back to serializing the parsed value.
std::optional<std::string_view> raw_member(std::string_view json, std::string_view key);

}  // namespace peerhub::signaling
