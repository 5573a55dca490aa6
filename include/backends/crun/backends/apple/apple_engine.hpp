#pragma once
// Apple's `container` (macOS 26, Apple silicon) has no socket API: this
// adapter drives its CLI. Every child is started from an argument vector
// (never a shell), with `--progress none`, an explicit `--platform` on every
// pull and run, and an environment without the CONTAINER_* variables that
// change the CLI's behaviour. docs/engine-apis.md and
// ../shared/reference/apple-container-cli.md describe the CLI.

#include <crun/backends/engine.hpp>
#include <crun/core/env.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace crun::backends::apple {

/// What `container --version` and `container system status` said.
struct AppleStatus {
  std::string executable{};        ///< the CLI's absolute path
  std::string client_version{};    ///< "1.2.2"
  std::string server_version{};    ///< the apiserver's, "1.2.2"; empty when it is down
  bool running = false;            ///< the apiserver answers
  std::string host_architecture{}; ///< what 1.4.1 says of the host ("arm64"); empty before
};

/// Asks the CLI at `executable` (absolute) for its version and the
/// service's status, each child within `timeout`. Throws
/// Error(Errc::engine_unavailable) naming the CLI with the hint
/// `container system start` when the service is not running (or not
/// registered) and when the CLI cannot be started or times out;
/// Error(Errc::engine_error) for a version this build does not know (the
/// message names it and the supported ones) and for a client/server version
/// skew (with the fix `container system stop && container system start`);
/// Error(Errc::protocol) naming the command when its output is unreadable.
AppleStatus probe_apple(const std::string& executable, const Env& env,
                        std::chrono::milliseconds timeout);

/// An Engine over the CLI at `executable`; probes first, throwing as
/// probe_apple. `env` is crun-any's environment (the children get it
/// without the CONTAINER_* variables that change the CLI's behaviour).
/// Every child but the foreground `run` has a deadline (`timeout`; a pull
/// or a detached run 30 minutes). What it maps and how (docs/engine-apis.md
/// §7): info() is {"apple", executable, client version}; native_platform()
/// is linux/arm64 (1.4.1's host.architecture when it says); pull() passes
/// credentials as CONTAINER_REGISTRY_HOST/_USER/_TOKEN, never as arguments;
/// inspect digests are the variants' manifest digests; run() makes the image
/// local first (through `pull`), then runs `container run` as the foreground
/// child holding the terminal, learns the ID from --cidfile, forwards
/// signals with `container kill --signal`, and refuses what Apple cannot do
/// with Error(Errc::usage) before anything runs.
std::unique_ptr<Engine> connect_apple(const std::string& executable, const Env& env,
                                      std::chrono::milliseconds timeout);

/// The same Engine over a CLI that `probed` (probe_apple's answer, moments
/// ago) describes, without running it twice more. Throws
/// Error(Errc::protocol) when `probed.client_version` is no version.
std::unique_ptr<Engine> connect_apple(const AppleStatus& probed, const Env& env,
                                      std::chrono::milliseconds timeout);

} // namespace crun::backends::apple
