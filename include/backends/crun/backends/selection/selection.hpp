#pragma once
// Backend selection: which engine crun-any talks to, and why.
//   1. the preference: --backend > CRUN_ANY_BACKEND > user config > auto
//      (preference.hpp);
//   2. the candidates: one named endpoint, or every place an engine may
//      answer, ranked (candidate.hpp, discovery.hpp);
//   3. every candidate pinged at once, each within a short timeout, so that
//      with nothing reachable the answer comes within a second;
//   4. the first healthy candidate of the kind asked for is chosen; what
//      answers decides the adapter (a socket that answers with a
//      Libpod-Api-Version header is Podman, whatever its path); how each
//      kind is probed, judged and connected is its row in engine_kinds.hpp;
//   5. with nothing healthy, the on-demand Podman service (podman_service.hpp)
//      when podman is on PATH and Podman is acceptable.
// Every candidate keeps its verdict and fix, for `crun-any doctor` and for
// the error when nothing is usable (report.hpp). Pure over its seams.
//
// Named endpoints: --host (and DOCKER_HOST with --backend docker,
// CONTAINER_CONNECTION/CONTAINER_HOST with --backend podman) is the only
// candidate. If what answers there is the other engine than --backend says,
// crun-any uses what answers (the socket the user named is the authority;
// the right adapter for it is the one that matches its API) and says so
// with -v and in doctor. In auto-detection, by contrast, --backend filters:
// a candidate of the other kind is rejected.
//
// Apple: --backend apple (or CRUN_ANY_BACKEND / the config) makes Apple's
// `container` CLI the one candidate on any OS (found on PATH, else
// /usr/local/bin/container); auto-detection considers it only on macOS, at
// rank 14, and --backend docker|podman leaves it out. It has no endpoint, so
// --host with the apple backend is a usage error.

#include <crun/backends/probe.hpp>
#include <crun/backends/selection/candidate.hpp>
#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/podman_service.hpp>
#include <crun/backends/selection/preference.hpp>
#include <crun/backends/selection/prober.hpp>
#include <crun/core/env.hpp>
#include <crun/transport/file_reader.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crun::backends::selection {

/// How long each candidate's /_ping may take; all run at once.
inline constexpr std::chrono::milliseconds k_probe_timeout{500};

enum class Health {
  healthy,       ///< answered /_ping as a Docker or Podman API; Apple: its service runs
  absent,        ///< no socket file there (on-demand: podman not installed; Apple: no CLI)
  unreachable,   ///< nothing answers (refused, timed out; Apple: its service is stopped)
  not_an_engine, ///< something answered, but no container engine API (or unreadable CLI output)
  unsupported,   ///< this build cannot use it (ssh://; an Apple version it does not know
                 ///< or a client/server version skew)
  invalid,       ///< the setting that names it is broken (bad URI, no such context)
  not_started,   ///< the on-demand Podman service, not (yet) needed
  failed,        ///< the on-demand Podman service did not come up
};

/// "healthy", "absent", "unreachable", ... as in doctor --json. Never fails.
std::string_view health_name(Health health) noexcept;

struct Assessment {
  Candidate candidate{};
  Health health = Health::absent;
  /// What answered a ping; set when a healthy endpoint.
  std::optional<ProbeResult> probe{};
  /// What the CLI said; set when a healthy CLI-driven engine (Apple).
  std::optional<apple::AppleStatus> cli{};
  /// What it is: the ping's answer when healthy, else what its source suggests.
  EngineKind kind = EngineKind::docker;
  /// The engine's version from the ping's Server header ("20.10.24"), or
  /// Apple's service version; may be empty.
  std::string engine_version{};
  bool chosen = false;
  /// Why it was chosen or rejected, one sentence.
  std::string verdict{};
  /// What would make it usable; empty when chosen or when nothing is to fix.
  std::string fix{};
};

struct Note {
  enum class Level { warning, info };
  Level level = Level::info; ///< warnings are always printed, infos with -v
  std::string text{};
};

struct Selection {
  Preference preference{};
  bool single_endpoint = false;
  std::vector<Assessment> candidates{}; ///< in ranking order
  std::optional<std::size_t> chosen{};  ///< index into candidates
  std::vector<Note> notes{};

  /// The chosen candidate, or nullptr. Never fails.
  const Assessment* chosen_candidate() const { return chosen ? &candidates[*chosen] : nullptr; }
};

struct SelectionInput {
  std::string_view backend_flag{}; ///< --backend, "" when absent
  std::string_view host_flag{};    ///< --host, "" when absent
  HostOs os = current_host_os();
  std::chrono::milliseconds probe_timeout = k_probe_timeout;
};

struct SelectionSeams {
  const Env& env;
  const transport::FileReader& files;
  const HostLookup& host;
  /// Pings the candidates, several at once; never null.
  std::shared_ptr<const Prober> prober;
  /// Starts the on-demand Podman service when it is the choice; nullptr
  /// leaves it not_started (and chosen, if nothing else answers).
  PodmanServiceStarter* starter = nullptr;
};

/// Selects the backend. Takes as long as the slowest probe (at most about
/// twice probe_timeout: see probe_engine), plus the on-demand service's
/// start when it is needed; no probe is left running. Finding no
/// usable engine is not an error: `chosen` is then empty and every
/// candidate says why. Throws only for a broken preference (see
/// resolve_preference), Error(Errc::usage) naming both for --host with the
/// apple backend, and what the starter throws other than
/// Errc::engine_unavailable (which becomes the on-demand candidate's
/// verdict).
Selection select_backend(const SelectionInput& input, const SelectionSeams& seams);

} // namespace crun::backends::selection
