// Where the on-demand Podman service lives, and for how long: pure.

#include <crun/backends/selection/podman_service.hpp>
#include <crun/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace crun::backends::selection {
namespace {

// sockaddr_un.sun_path holds 104 bytes on macOS, 108 on Linux, with the NUL.
constexpr std::size_t k_max_socket_path = 103;
constexpr long k_max_idle_seconds = 86400;

} // namespace

PodmanServicePlan plan_podman_service(const Env& env, const HostLookup& host)
{
  PodmanServicePlan plan;
  plan.podman = host.find_executable("podman").value_or("");
  std::string dir;
  if (auto runtime = env.get("XDG_RUNTIME_DIR")) {
    dir = *runtime;
    while (dir.size() > 1 && dir.back() == '/') {
      dir.pop_back();
    }
    dir += "/crun-any";
  }
  // A runtime directory too deep for a socket path falls back to /tmp.
  if (dir.empty() || dir.size() + std::string_view("/podman.sock").size() > k_max_socket_path) {
    dir = fmt::format("/tmp/crun-any-{}", host.user_id());
  }
  plan.dir = dir;
  plan.socket = dir + "/podman.sock";
  plan.log = dir + "/podman-service.log";
  return plan;
}

std::chrono::seconds podman_idle_timeout(const Env& env)
{
  auto value = env.get("CRUN_ANY_PODMAN_IDLE_TIMEOUT");
  if (!value) {
    return k_default_podman_idle;
  }
  bool digits = value->size() <= 6 && std::all_of(value->begin(), value->end(), [](char c) {
                  return std::isdigit(static_cast<unsigned char>(c));
                });
  long seconds = digits ? std::stol(*value) : 0;
  if (!digits || seconds < 1 || seconds > k_max_idle_seconds) {
    fail(Errc::invalid_input,
         "invalid CRUN_ANY_PODMAN_IDLE_TIMEOUT \"{}\": expected whole seconds from 1 to {}", *value,
         k_max_idle_seconds);
  }
  return std::chrono::seconds(seconds);
}

} // namespace crun::backends::selection
