// Apple's `container` row of the engine-kind table: a CLI, not a socket.
// Found on PATH (absolute entries only), else where its installer puts it;
// probed by running it (apple::probe_apple through the Prober seam, so unit
// tests fake it); driven by the adapter in backends/apple/.

#include "engine_kinds_impl.hpp"

#include <crun/backends/apple/apple_engine.hpp>
#include <crun/core/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace crun::backends::selection::kinds {
namespace {

// Where the signed .pkg from GitHub Releases installs the CLI.
constexpr const char* k_installed_cli = "/usr/local/bin/container";

constexpr const char* k_start_fix = "`container system start`";

// Unknown versions and skew: their messages say which; the fix covers both.
constexpr const char* k_version_fix =
  "install a release crun-any supports from https://github.com/apple/container/releases; "
  "after an upgrade, restart the service with `container system stop && container system start`";

std::chrono::milliseconds cli_timeout(std::chrono::milliseconds timeout)
{
  return std::max(timeout, k_cli_probe_timeout);
}

} // namespace

std::optional<std::string> find_apple(const HostLookup& host)
{
  if (auto found = host.find_executable("container")) {
    return found;
  }
  if (host.exists(k_installed_cli)) {
    return std::string(k_installed_cli);
  }
  return std::nullopt;
}

ProbeOutcome probe_apple(const Candidate& candidate, const Prober& prober,
                         std::chrono::milliseconds timeout)
{
  ProbeOutcome outcome;
  outcome.cli = prober.probe_cli(candidate.executable, cli_timeout(timeout));
  outcome.status = ProbeOutcome::Status::answered;
  return outcome;
}

void assess_apple(Assessment& a, const ProbeOutcome& outcome)
{
  a.kind = EngineKind::apple;
  if (outcome.status == ProbeOutcome::Status::answered && outcome.cli) {
    const apple::AppleStatus& status = *outcome.cli;
    if (!status.running) {
      a.health = Health::unreachable;
      a.verdict =
        fmt::format("the container service is not running ({})",
                    status.executable.empty() ? a.candidate.executable : status.executable);
      a.fix = k_start_fix;
      return;
    }
    a.health = Health::healthy;
    a.cli = status;
    a.engine_version =
      status.server_version.empty() ? status.client_version : status.server_version;
    a.fix.clear();
    return;
  }
  a.verdict = outcome.message;
  switch (outcome.code) {
  case Errc::engine_unavailable:
    a.health = Health::unreachable;
    a.fix = k_start_fix;
    break;
  case Errc::engine_error:
    a.health = Health::unsupported;
    a.fix = k_version_fix;
    break;
  case Errc::protocol:
    a.health = Health::not_an_engine;
    a.fix = fmt::format("check that {} is Apple's container CLI; reinstall it from "
                        "https://github.com/apple/container/releases",
                        a.candidate.executable);
    break;
  default:
    a.health = Health::unreachable;
    a.fix.clear();
    break;
  }
}

std::unique_ptr<Engine> connect_apple(const Assessment& chosen, const Env& env,
                                      std::chrono::milliseconds timeout)
{
  if (chosen.candidate.executable.empty()) {
    fail(Errc::engine_unavailable, "{}", engine_kind(EngineKind::apple).not_found);
  }
  // The probe moments ago said what the CLI is: no need to run it twice more.
  if (chosen.cli && chosen.cli->running && chosen.cli->executable == chosen.candidate.executable) {
    return apple::connect_apple(*chosen.cli, env, cli_timeout(timeout));
  }
  return apple::connect_apple(chosen.candidate.executable, env, cli_timeout(timeout));
}

} // namespace crun::backends::selection::kinds
