#pragma once
// Whether the engine in use can run a foreign platform, for the policy's
// emulation rule and its up-front refusal of a platform no emulator serves
// (instead of "exec format error" from inside the container, later).

#include <crun/backends/engine.hpp>
#include <crun/cli/command.hpp>
#include <crun/core/platform.hpp>
#include <crun/core/policy_evaluate.hpp>

#include <string>

namespace crun::cli {

/// What the machine says for `target` on the engine `info` whose own
/// platform is `native`:
///   - Apple: Rosetta for amd64 (macOS only; elsewhere the stand-in cannot
///     tell, and its run refuses by itself), nothing for other platforms;
///   - Docker or Podman on macOS: present (Docker Desktop, Podman machines
///     and their peers ship QEMU or Rosetta in their VMs);
///   - Docker or Podman over a local unix socket on Linux: this kernel's
///     binfmt_misc entries (ctx's SystemPaths);
///   - anything else (an engine over tcp:// or ssh://): unknown.
/// `detail` receives why. Never fails.
core::EmulatorState detect_emulator(const Context& ctx, const backends::EngineInfo& info,
                                    const core::Platform& target, const core::Platform& native,
                                    std::string* detail);

} // namespace crun::cli
