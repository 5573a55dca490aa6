#pragma once
// Which platform a pull or run uses, in README.md's order: --platform >
// CRUN_ANY_PLATFORM > DOCKER_DEFAULT_PLATFORM > (policy) > the engine's
// native platform.

#include <crun/core/env.hpp>
#include <crun/core/platform.hpp>

#include <functional>
#include <optional>
#include <string>

namespace crun::core {

struct PlatformChoice {
  Platform platform;  ///< normalised
  std::string source; ///< "--platform", "CRUN_ANY_PLATFORM", "DOCKER_DEFAULT_PLATFORM", "engine"
  bool explicit_choice = false; ///< anything but the engine's default
};

/// The platform to use. `flag` is --platform's value when given. Throws
/// Error(Errc::invalid_input) naming the value and where it came from when
/// it does not parse ("invalid platform \"linux/\" in CRUN_ANY_PLATFORM: ...").
/// `native` gives the engine's native platform; it is called only when that
/// is needed (no choice was made, or a choice names only the OS), since
/// asking an engine can be slow.
PlatformChoice choose_platform(const std::optional<std::string>& flag, const Env& env,
                               const std::function<Platform()>& native);

} // namespace crun::core
