#pragma once
// The on-demand Podman service. Podman is daemonless: where the `podman`
// binary is on PATH but no Podman socket answers (and nothing better does),
// crun-any starts `podman system service --time=<idle> unix://<private socket>`
// itself, detached, so that it outlives crun-any briefly and later calls
// reuse it; it exits by itself after the idle timeout.
// The private directory is $XDG_RUNTIME_DIR/crun-any/, else
// /tmp/crun-any-<uid>/, mode 0700; it holds podman.sock, the service's log
// (podman-service.log) and a lock that serialises concurrent starts.
// Planning is pure; starting is PodmanServiceStarter's.

#include <crun/backends/probe.hpp>
#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/prober.hpp>
#include <crun/core/env.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace crun::backends::selection {

/// How long the service waits, idle, before it exits, unless
/// CRUN_ANY_PODMAN_IDLE_TIMEOUT (seconds) says otherwise. A minute lets a
/// pull, a run and an inspect typed one after another share one service
/// (Podman takes about a second to start), and still leaves nothing
/// behind soon after.
inline constexpr std::chrono::seconds k_default_podman_idle{60};

/// How long a started service may take to answer /_ping.
inline constexpr std::chrono::seconds k_podman_start_wait{10};

struct PodmanServicePlan {
  std::string podman{}; ///< the executable; empty when podman is not on PATH
  std::string dir{};    ///< the private directory
  std::string socket{}; ///< dir/podman.sock
  std::string log{};    ///< dir/podman-service.log
};

/// The plan for this user: where the service's socket and log go, and the
/// podman executable found through `host` (empty when there is none).
/// Never fails.
PodmanServicePlan plan_podman_service(const Env& env, const HostLookup& host);

/// The idle timeout: CRUN_ANY_PODMAN_IDLE_TIMEOUT in whole seconds
/// (1-86400), else k_default_podman_idle. Throws Error(Errc::invalid_input)
/// naming the variable for any other value (0 would make a service that
/// never exits).
std::chrono::seconds podman_idle_timeout(const Env& env);

class PodmanServiceStarter {
public:
  virtual ~PodmanServiceStarter() = default;
  /// Makes a Podman service answer at plan.socket, starting one if none
  /// does, and returns its /_ping. Throws Error(Errc::engine_unavailable)
  /// saying why (with the end of the service's log) when it cannot;
  /// Error(Errc::invalid_input) for a bad CRUN_ANY_PODMAN_IDLE_TIMEOUT or an
  /// unsafe private directory (not ours, or writable by others).
  virtual ProbeResult start(const PodmanServicePlan& plan) = 0;
};

/// Starts the real service: takes the lock, reuses a service that already
/// answers, removes a stale socket, then forks `podman system service` in a
/// new session (stdin /dev/null, stdout and stderr to the log, no other
/// descriptor inherited, the environment of `env` passed through: it carries
/// CONTAINERS_CONF, CONTAINERS_STORAGE_CONF, CONTAINERS_REGISTRIES_CONF),
/// and waits up to k_podman_start_wait for /_ping through `prober`. A
/// service that does not answer in time is killed. POSIX.
class DetachedPodmanStarter final : public PodmanServiceStarter {
public:
  DetachedPodmanStarter(const Env& env, std::shared_ptr<const Prober> prober)
    : m_env(env), m_prober(std::move(prober))
  {
  }
  ProbeResult start(const PodmanServicePlan& plan) override;

private:
  const Env& m_env;
  std::shared_ptr<const Prober> m_prober;
};

} // namespace crun::backends::selection
