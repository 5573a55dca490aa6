#pragma once
// The engine kinds crun-any drives, one row each: how a candidate of the
// kind is found, probed, judged and connected. Selection (probe_all,
// assessment), open_engine and doctor go through this table rather than
// branching on the kind, so that adding an engine is adding a row
// (ARCHITECTURE.md, "Adding things").
//
// Two shapes of target:
//   endpoint    docker, podman: a socket or tcp address (Candidate::endpoint),
//               found by discovery's ranked origins and pinged (GET /_ping);
//               what answers decides docker or podman, whatever was expected.
//   executable  apple: a CLI (Candidate::executable), found on PATH (absolute
//               entries only), else at its installer's path, and probed by
//               running it (`container --version`, `system status`).

#include <crun/backends/engine.hpp>
#include <crun/backends/selection/candidate.hpp>
#include <crun/backends/selection/host_lookup.hpp>
#include <crun/backends/selection/prober.hpp>
#include <crun/backends/selection/selection.hpp>
#include <crun/core/env.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace crun::backends::selection {

/// How long running a CLI engine's probe (two children) or connecting it
/// may take at least: a process start costs more than a ping, and the
/// selection's 500 ms would refuse a CLI that is merely slow to start.
inline constexpr std::chrono::milliseconds k_cli_probe_timeout{5000};

struct EngineKindEntry {
  enum class Target { endpoint, executable };

  EngineKind kind = EngineKind::docker;
  std::string_view name{}; ///< "docker", "podman", "apple"
  Target target = Target::endpoint;

  /// Executable kinds: the CLI's absolute path on this machine, or
  /// std::nullopt when none is installed. nullptr for endpoint kinds, whose
  /// sockets discovery's origins find. Never throws.
  std::optional<std::string> (*find)(const HostLookup& host) = nullptr;
  /// Executable kinds: why a candidate without a CLI is absent, and how to
  /// install one; empty for endpoint kinds.
  std::string_view not_found{};
  std::string_view install_fix{};

  /// Asks `candidate` (whose target is set) what it is through `prober`,
  /// within about `timeout`; returns an `answered` outcome with `result`
  /// (endpoint) or `cli` (executable) set. Throws as the prober does.
  ProbeOutcome (*probe)(const Candidate& candidate, const Prober& prober,
                        std::chrono::milliseconds timeout) = nullptr;

  /// Judges an assessment from an `answered` or `failed` outcome: its
  /// health, kind, versions, verdict and fix. Never throws (except
  /// std::bad_alloc).
  void (*assess)(Assessment& assessment, const ProbeOutcome& outcome) = nullptr;

  /// An Engine driving the chosen, healthy candidate `chosen` (of this kind
  /// by what answered), connecting within about `timeout`; `env` is
  /// crun-any's environment, where the endpoint kinds read their calls'
  /// timeouts (call_timeouts.hpp). Throws as connect_docker / connect_podman /
  /// apple::connect_apple and api_timeouts; Error(Errc::engine_unavailable)
  /// when the candidate has no target.
  std::unique_ptr<Engine> (*connect)(const Assessment& chosen, const Env& env,
                                     std::chrono::milliseconds timeout) = nullptr;
};

/// The row of `kind`. Never fails.
const EngineKindEntry& engine_kind(EngineKind kind) noexcept;

/// Marks `assessment` healthy with what answered a ping (docker or podman,
/// by the answer). Used by the endpoint kinds' assess and for the on-demand
/// Podman service once started. Never throws (except std::bad_alloc).
void mark_pinged(Assessment& assessment, const ProbeResult& probe);

} // namespace crun::backends::selection
