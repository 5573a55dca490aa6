#pragma once
// Which Docker engine to talk to, decided exactly as the docker CLI decides it
// (docker/cli cli/command/cli.go resolveContextName, cli/flags/options.go):
//   --context > --host > DOCKER_HOST > DOCKER_CONTEXT > currentContext in
//   config.json > the default unix:///var/run/docker.sock.
// Pure over Env and FileReader, so every branch is unit-tested.

#include <crun/core/env.hpp>
#include <crun/transport/endpoint.hpp>
#include <crun/transport/file_reader.hpp>

#include <optional>
#include <string>
#include <vector>

namespace crun::transport {

inline constexpr std::string_view k_default_docker_host = "unix:///var/run/docker.sock";

/// The command-line flags that take part in the decision; unset when absent.
struct DockerEndpointFlags {
  std::optional<std::string> host{};    ///< --host / -H
  std::optional<std::string> context{}; ///< --context / -c
};

struct ResolvedEndpoint {
  Endpoint endpoint{};
  /// Where it came from, for messages: "--host", "DOCKER_HOST",
  /// "context \"desktop-linux\"" or "default".
  std::string source{};
  /// Problems the docker CLI also only warns about (an unreadable
  /// config.json), for the caller to print; usually empty.
  std::vector<std::string> warnings{};
};

/// The host the endpoint is named by, as written, before it is parsed.
struct DockerHost {
  std::string uri{};                   ///< "unix:///var/run/docker.sock", "ssh://me@build", ...
  std::string source{};                ///< as ResolvedEndpoint::source
  std::vector<std::string> warnings{}; ///< as ResolvedEndpoint::warnings
};

/// The docker configuration directory: $DOCKER_CONFIG, else $HOME/.docker;
/// std::nullopt when neither is set. Never fails.
std::optional<std::string> docker_config_dir(const Env& env);

/// The lower-case hex SHA-256 of `name`: the directory a context's files are
/// stored under. Never fails.
std::string docker_context_dir_name(std::string_view name);

/// Resolves the Docker endpoint from `flags`, `env` and the files under the
/// docker configuration directory, read through `files`.
/// TLS: for --host/DOCKER_HOST, DOCKER_TLS_VERIFY (any non-empty value, as in
/// the CLI) turns TLS and verification on, DOCKER_TLS turns TLS on without
/// verification; the files are {ca,cert,key}.pem in DOCKER_CERT_PATH (default:
/// the configuration directory), each used only if it exists. For a context,
/// its stored TLS files and SkipTLSVerify apply.
/// Throws Error(Errc::usage) when both --host and --context are given;
/// Error(Errc::invalid_input) when a named context does not exist (naming it
/// and suggesting `docker context ls`), when its meta.json is not valid, or
/// when a host does not parse (see Endpoint::parse).
ResolvedEndpoint resolve_docker_endpoint(const Env& env, const FileReader& files,
                                         const DockerEndpointFlags& flags = {});

/// The host resolve_docker_endpoint would parse (the flag's, DOCKER_HOST,
/// the context's Host, or the default socket), as written: for callers that
/// handle some schemes themselves, as selection does ssh://. Throws as
/// resolve_docker_endpoint, except for what only parsing the host refuses.
DockerHost docker_host(const Env& env, const FileReader& files,
                       const DockerEndpointFlags& flags = {});

} // namespace crun::transport
