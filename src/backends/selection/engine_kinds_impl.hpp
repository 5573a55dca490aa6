#pragma once
// The functions behind the rows of the engine-kind table (engine_kinds.hpp),
// one file per shape of target: endpoint_kinds.cpp (docker, podman),
// apple_kind.cpp (Apple's container CLI).

#include <crun/backends/selection/engine_kinds.hpp>

namespace crun::backends::selection::kinds {

// Endpoint kinds: pinged; what answers decides docker or podman.
ProbeOutcome ping(const Candidate& candidate, const Prober& prober,
                  std::chrono::milliseconds timeout);
void assess_pinged(Assessment& assessment, const ProbeOutcome& outcome);
std::unique_ptr<Engine> connect_docker(const Assessment& chosen, const Env& env,
                                       std::chrono::milliseconds timeout);
std::unique_ptr<Engine> connect_podman(const Assessment& chosen, const Env& env,
                                       std::chrono::milliseconds timeout);

// Apple's container CLI.
std::optional<std::string> find_apple(const HostLookup& host);
ProbeOutcome probe_apple(const Candidate& candidate, const Prober& prober,
                         std::chrono::milliseconds timeout);
void assess_apple(Assessment& assessment, const ProbeOutcome& outcome);
std::unique_ptr<Engine> connect_apple(const Assessment& chosen, const Env& env,
                                      std::chrono::milliseconds timeout);

} // namespace crun::backends::selection::kinds
