#include <crun/backends/selection/candidate.hpp>

namespace crun::backends::selection {

std::string_view engine_kind_name(EngineKind kind) noexcept
{
  switch (kind) {
  case EngineKind::docker: return "docker";
  case EngineKind::podman: return "podman";
  case EngineKind::apple: return "apple";
  }
  return "docker";
}

std::string_view origin_id(Origin origin) noexcept
{
  switch (origin) {
  case Origin::host_flag: return "--host";
  case Origin::docker_host: return "DOCKER_HOST";
  case Origin::container_connection: return "CONTAINER_CONNECTION";
  case Origin::container_host: return "CONTAINER_HOST";
  case Origin::docker_context: return "docker-context";
  case Origin::podman_default_connection: return "podman-default-connection";
  case Origin::rootless_podman: return "rootless-podman";
  case Origin::rootless_docker: return "rootless-docker";
  case Origin::docker_desktop: return "docker-desktop";
  case Origin::orbstack: return "orbstack";
  case Origin::colima: return "colima";
  case Origin::system_docker: return "system-docker";
  case Origin::rootful_podman: return "rootful-podman";
  case Origin::podman_machine: return "podman-machine";
  case Origin::apple: return "apple";
  case Origin::on_demand_podman: return "on-demand-podman";
  }
  return "unknown";
}

bool is_explicit(Origin origin) noexcept
{
  return origin <= Origin::podman_default_connection;
}

} // namespace crun::backends::selection
