#pragma once
// How long engine and registry calls may take, from the environment: every
// read has a deadline, so that an engine or registry that stalls ends the
// command with a message instead of hanging it (docs/usage.md, Timeouts).

#include <crun/backends/api_client.hpp>
#include <crun/core/env.hpp>

#include <chrono>

namespace crun::backends {

inline constexpr std::chrono::seconds k_default_call_timeout{30};
inline constexpr std::chrono::seconds k_default_pull_idle_timeout{300};

/// CRUN_ANY_TIMEOUT in whole seconds (1-86400), else
/// k_default_call_timeout: how long a short engine call waits for its head
/// and then for its body, and a registry request for its connection, head
/// and body. Throws Error(Errc::invalid_input) naming the variable for any
/// other value.
std::chrono::milliseconds call_timeout(const Env& env);

/// CRUN_ANY_PULL_IDLE_TIMEOUT in whole seconds (1-86400), else
/// k_default_pull_idle_timeout: the longest silence in an engine's pull
/// stream. Throws Error(Errc::invalid_input) naming the variable for any
/// other value.
std::chrono::milliseconds pull_idle_timeout(const Env& env);

/// The two above, and `connect` for connecting. Throws as they do.
ApiTimeouts api_timeouts(const Env& env, std::chrono::milliseconds connect);

} // namespace crun::backends
