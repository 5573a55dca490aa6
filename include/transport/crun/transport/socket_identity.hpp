#pragma once
// Which socket file an endpoint is, as opposed to its path: an engine that
// restarts (or a VM that is recreated) makes its socket anew, and so gets a
// new identity behind the same path. What crun-any remembers about an engine
// (core/engine_platform_cache.hpp) holds only while the identity is equal.

#include <crun/transport/endpoint.hpp>

#include <optional>
#include <string>

namespace crun::transport {

/// "<device>:<inode>:<mtime>:<ctime>" of the unix socket file `endpoint`
/// names (nanoseconds where the system has them); std::nullopt for a tcp
/// endpoint (nothing says that the machine behind an address stays the same)
/// or when the file cannot be stat'ed. Never fails.
std::optional<std::string> socket_identity(const Endpoint& endpoint);

} // namespace crun::transport
