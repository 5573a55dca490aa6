#pragma once
// Signal numbers of this machine to the names engines take ("SIGINT"), since
// numbers differ between Linux and macOS while the container runs Linux.

#include <string>

namespace crun::core {

/// "SIGTERM" for SIGTERM; "SIG<n>" spelled as the number for a signal
/// without a portable name. Never fails.
std::string signal_name(int signal);

} // namespace crun::core
