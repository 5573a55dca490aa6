// The endpoint kinds' rows of the engine-kind table: docker and podman are
// both pinged at their socket, and what answers decides which adapter
// drives it (a Libpod-Api-Version header is Podman, whatever the path).

#include "engine_kinds_impl.hpp"

#include <crun/backends/call_timeouts.hpp>
#include <crun/backends/docker/docker_engine.hpp>
#include <crun/backends/podman/podman_engine.hpp>
#include <crun/core/error.hpp>

#include <fmt/format.h>

namespace crun::backends::selection {

void mark_pinged(Assessment& a, const ProbeResult& probe)
{
  a.health = Health::healthy;
  a.probe = probe;
  a.kind = probe.kind == ProbeResult::Kind::podman ? EngineKind::podman : EngineKind::docker;
  a.engine_version = server_version(probe.server);
  if (a.engine_version.empty() && a.kind == EngineKind::podman) {
    a.engine_version = probe.libpod_version; // Libpod-Api-Version is Podman's version
  }
  a.fix.clear();
}

namespace kinds {
namespace {

const transport::Endpoint& endpoint_of(const Assessment& chosen)
{
  if (!chosen.candidate.endpoint) {
    fail(Errc::engine_unavailable, "{} names no usable endpoint", chosen.candidate.source);
  }
  return *chosen.candidate.endpoint;
}

} // namespace

ProbeOutcome ping(const Candidate& candidate, const Prober& prober,
                  std::chrono::milliseconds timeout)
{
  ProbeOutcome outcome;
  outcome.result = prober.probe(*candidate.endpoint, timeout);
  outcome.status = ProbeOutcome::Status::answered;
  return outcome;
}

void assess_pinged(Assessment& a, const ProbeOutcome& outcome)
{
  if (outcome.status == ProbeOutcome::Status::answered && outcome.result) {
    mark_pinged(a, *outcome.result);
    return;
  }
  a.health = outcome.code == Errc::engine_unavailable ? Health::unreachable
             : outcome.code == Errc::protocol         ? Health::not_an_engine
                                                      : Health::invalid;
  a.verdict = outcome.message;
  if (a.health == Health::not_an_engine) {
    a.fix = fmt::format("check what listens at {}: it is no Docker or Podman API", a.candidate.uri);
  }
}

std::unique_ptr<Engine> connect_docker(const Assessment& chosen, const Env& env,
                                       std::chrono::milliseconds timeout)
{
  // Selection has just pinged it: not again.
  return docker::connect_docker(endpoint_of(chosen), api_timeouts(env, timeout), chosen.probe);
}

std::unique_ptr<Engine> connect_podman(const Assessment& chosen, const Env& env,
                                       std::chrono::milliseconds timeout)
{
  return podman::connect_podman(endpoint_of(chosen), api_timeouts(env, timeout), chosen.probe);
}

} // namespace kinds
} // namespace crun::backends::selection
