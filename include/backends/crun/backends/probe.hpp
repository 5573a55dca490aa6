#pragma once
// What answers at an endpoint: one GET /_ping tells Docker from Podman (a
// socket that answers with a Libpod-Api-Version header is Podman, whatever
// its path, even at docker.sock) and gives the API versions to use.

#include <crun/transport/endpoint.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace crun::backends {

struct ProbeResult {
  enum class Kind { docker, podman };
  Kind kind = Kind::docker;
  std::string api_version;    ///< Api-Version: the Docker(-compatible) API's highest version
  std::string libpod_version; ///< Libpod-Api-Version (Podman only): the libpod API version
  std::string server;         ///< the Server header ("Docker/20.10.24 (linux)", "Libpod/4.3.1")
};

/// Pings `endpoint`: connecting and the answer's head each within `timeout`
/// (the body is not read), so that it returns or throws within twice
/// `timeout`, except where a DNS lookup outlasts it (getaddrinfo cannot be
/// interrupted; the system resolver's own timeouts bound it).
/// Throws Error(Errc::engine_unavailable) naming the endpoint when nothing
/// answers; Error(Errc::protocol) when something answers that is no
/// container engine (no Api-Version header); Error(Errc::engine_error) when
/// the engine answers with an HTTP error status.
ProbeResult probe_engine(const transport::Endpoint& endpoint, std::chrono::milliseconds timeout);

/// The engine's version from the Server header `server` of its /_ping:
/// "20.10.24+dfsg1" from "Docker/20.10.24+dfsg1 (linux)", "4.3.1" from
/// "Libpod/4.3.1 (linux)"; "" when it names none. Never fails.
std::string server_version(std::string_view server);

/// "docker" or "podman". Never fails.
std::string_view kind_name(ProbeResult::Kind kind);

} // namespace crun::backends
