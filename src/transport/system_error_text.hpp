#pragma once
// Private to src/transport: short, lower-case descriptions of system errors
// for messages that follow the project's style ("...: connection refused").

#include <string>

namespace crun::transport::detail {

/// The description of errno value `error`, lower-case, no trailing period:
/// "no such file", "connection refused". Never fails.
std::string errno_text(int error);

} // namespace crun::transport::detail
