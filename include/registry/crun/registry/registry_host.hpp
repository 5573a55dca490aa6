#pragma once
// Where a repository's registry API answers, and how to speak to it. Docker
// Hub is the one registry whose API host differs from the name in the
// reference (distribution/reference calls it docker.io; the API is at
// registry-1.docker.io, as in docker's registry/config.go).

#include <crun/core/image_ref.hpp>

#include <string>
#include <string_view>

namespace crun::registry {

inline constexpr std::string_view k_docker_hub_domain = "docker.io";
inline constexpr std::string_view k_docker_hub_api_host = "registry-1.docker.io";

/// The host (with its port, as written) that serves `ref`'s registry API:
/// "docker.io" -> "registry-1.docker.io"; "ghcr.io", "127.0.0.1:5857",
/// "[::1]:5000" as they are. Never fails.
std::string registry_host(const core::ImageRef& ref);

/// True when `host` ("name", "name:port", "[v6]" or "[v6]:port") is a
/// loopback address: "localhost" (any case), an IPv4 address in 127.0.0.0/8,
/// or "[::1]". Only these are spoken to over plain HTTP: traffic that never
/// leaves the machine cannot be read or changed by the network, and local
/// test registries rarely have certificates. Everything else is HTTPS.
/// Never fails.
bool use_plain_http(std::string_view host);

} // namespace crun::registry
