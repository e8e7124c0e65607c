// The module's value-or-words type is the project's (common/result.hpp): every refusal is a sentence a person
// can read, "channel 4 is closed", "label length 300 runs past the 20-byte message".
#pragma once

#include "common/result.hpp"

namespace peerhub::sctp {

using peerhub::Error;
using peerhub::Result;

}  // namespace peerhub::sctp
