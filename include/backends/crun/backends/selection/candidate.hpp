#pragma once
// A place where an engine may answer, and where crun-any learned of it.
//
// THE RANKING (docs/backends.md repeats it; tests pin it). Auto-detection
// pings every candidate at once and takes the first healthy one in this order:
//
//  Explicit settings, in the order the user is most likely to have meant them:
//   1. DOCKER_HOST           the most widely honoured override (docker, compose,
//                            testcontainers; `podman machine start` prints it)
//   2. CONTAINER_CONNECTION  Podman's own order: a named connection before...
//   3. CONTAINER_HOST        ...a bare URI (root.go setupRemoteConnection)
//   4. docker context        DOCKER_CONTEXT, else currentContext in config.json
//                            (Docker Desktop, colima and OrbStack register one)
//   5. podman default connection  podman-connections.json "Default", else
//                            containers.conf [engine] active_service
//  Default sockets: the user's own engines before the machine-wide ones, since
//  a per-user engine is one the user started and can use without root, and a
//  machine-wide socket is often just a symlink to one of them (deduplicated).
//  Among per-user ones Podman comes first: CI builds the images with Podman,
//  so the same engine gives the closest behaviour.
//   6. rootless Podman       $XDG_RUNTIME_DIR/podman/podman.sock
//   7. rootless Docker       $XDG_RUNTIME_DIR/docker.sock
//   8. Docker Desktop        ~/.docker/run/docker.sock, ~/.docker/desktop/docker.sock
//   9. OrbStack              ~/.orbstack/run/docker.sock
//  10. colima                ~/.colima/default/docker.sock
//  11. system Docker         /var/run/docker.sock (also the podman-docker and
//                            podman-mac-helper symlinks: the ping tells)
//  12. rootful Podman        /run/podman/podman.sock
//  Then engines that need a VM or a CLI, and last resort:
//  13. podman machine        (macOS) $TMPDIR/podman/<machine>-api.sock
//  14. Apple `container`     (macOS) the CLI on PATH, else /usr/local/bin/container;
//                            run, not pinged (engine_kinds.hpp)
//  15. on-demand Podman      (Linux) `podman system service` that crun-any starts
//                            itself on a private socket when `podman` is on PATH
// --host (and, with --backend docker, DOCKER_HOST; with --backend podman,
// CONTAINER_CONNECTION or CONTAINER_HOST) names the one endpoint instead;
// --backend apple (on any OS) makes Apple's CLI the one candidate.

#include <crun/transport/endpoint.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::backends::selection {

/// Where a candidate came from; the enumerators are in ranking order.
enum class Origin {
  host_flag,                 ///< --host: the one endpoint, never ranked
  docker_host,               ///< 1
  container_connection,      ///< 2
  container_host,            ///< 3
  docker_context,            ///< 4
  podman_default_connection, ///< 5
  rootless_podman,           ///< 6
  rootless_docker,           ///< 7
  docker_desktop,            ///< 8
  orbstack,                  ///< 9
  colima,                    ///< 10
  system_docker,             ///< 11
  rootful_podman,            ///< 12
  podman_machine,            ///< 13
  apple,                     ///< 14
  on_demand_podman,          ///< 15
};

/// The engine a candidate is, or is expected to be.
enum class EngineKind { docker, podman, apple };

/// "docker", "podman" or "apple". Never fails.
std::string_view engine_kind_name(EngineKind kind) noexcept;

/// A short stable name for `origin` ("DOCKER_HOST", "rootless-podman"),
/// used in --json output. Never fails.
std::string_view origin_id(Origin origin) noexcept;

/// True for the origins the user set explicitly (--host, the environment,
/// a docker context, a podman connection): their failures are worth a
/// warning even when another candidate answers. Never fails.
bool is_explicit(Origin origin) noexcept;

struct Candidate {
  Origin origin = Origin::system_docker;
  /// For messages: "DOCKER_HOST", "docker context \"colima\"",
  /// "Docker Desktop socket".
  std::string source{};
  /// The endpoint as written ("unix:///…", "ssh://…"), or for Apple the CLI's
  /// path; empty when the setting that names it is broken (or no CLI is found).
  std::string uri{};
  /// The target of an endpoint kind (docker, podman): the parsed endpoint;
  /// std::nullopt when it cannot be used (ssh://, a bad URI), and then
  /// `problem` says why. Always std::nullopt for a CLI-driven kind.
  std::optional<transport::Endpoint> endpoint{};
  /// The target of a CLI-driven kind (Apple): the CLI's absolute path; empty
  /// when none is installed (the candidate is then absent), and for the
  /// endpoint kinds.
  std::string executable{};
  /// What the source suggests; the ping decides what it really is.
  EngineKind expected = EngineKind::docker;
  /// Why this candidate cannot be used before anything is pinged ("ssh://
  /// endpoints are not supported yet"); empty when it can be.
  std::string problem{};
  /// True when `problem` is a limit of this build (ssh://) rather than a
  /// broken setting.
  bool unsupported = false;
  /// The fix to suggest if it does not answer.
  std::string fix{};
  /// Other sources that named the same socket (deduplicated into this one).
  std::vector<std::string> also_named_by{};
};

} // namespace crun::backends::selection
