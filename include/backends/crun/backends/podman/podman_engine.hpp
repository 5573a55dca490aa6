#pragma once
// The Podman backend: the libpod REST API (/v{Libpod-Api-Version}/libpod/...)
// over a unix or tcp socket.

#include <crun/backends/api_client.hpp>
#include <crun/backends/engine.hpp>
#include <crun/backends/probe.hpp>
#include <crun/transport/endpoint.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace crun::backends::podman {

/// Connects to the Podman service at `endpoint`, pings it and reads its
/// version, all within `timeouts.connect`; its
/// calls then keep to `timeouts`. Throws Error(Errc::engine_unavailable)
/// naming the endpoint when nothing answers; Error(Errc::engine_error) when
/// the service is too old (libpod API below 4.0) or is no Podman.
/// `pinged` is the endpoint's /_ping answer when the caller has just had
/// one (backend selection's): then it is not pinged again.
std::unique_ptr<Engine> connect_podman(const transport::Endpoint& endpoint,
                                       const ApiTimeouts& timeouts,
                                       const std::optional<ProbeResult>& pinged = std::nullopt);

} // namespace crun::backends::podman
