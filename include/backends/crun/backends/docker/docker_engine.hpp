#pragma once
// The Docker backend: the Engine API over a unix or tcp socket.

#include <crun/backends/api_client.hpp>
#include <crun/backends/engine.hpp>
#include <crun/backends/probe.hpp>
#include <crun/backends/run_sequence.hpp>
#include <crun/transport/endpoint.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace crun::backends::docker {

/// Connects to the Docker engine at `endpoint`, pings it and negotiates the
/// API version, all within `timeouts.connect`; its
/// calls then keep to `timeouts`. Throws Error(Errc::engine_unavailable)
/// naming the endpoint when nothing answers; Error(Errc::engine_error) when
/// the engine is too old.
/// `pinged` is the endpoint's /_ping answer when the caller has just had
/// one (backend selection's): then it is not pinged again.
std::unique_ptr<Engine> connect_docker(const transport::Endpoint& endpoint,
                                       const ApiTimeouts& timeouts,
                                       const std::optional<ProbeResult>& pinged = std::nullopt);

} // namespace crun::backends::docker
