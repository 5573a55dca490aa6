#include "emulator_check.hpp"

#include <crun/backends/apple/rosetta.hpp>
#include <crun/cli/session.hpp>
#include <crun/transport/binfmt_probe.hpp>

namespace crun::cli {

core::EmulatorState detect_emulator(const Context& ctx, const backends::EngineInfo& info,
                                    const core::Platform& target, const core::Platform& native,
                                    std::string* detail)
{
  const core::Platform wanted = target.normalized();
  if (info.backend == "apple") {
    if (wanted.os != "linux" || wanted.architecture != "amd64") {
      *detail = "Apple's container runs linux/arm64, and linux/amd64 under Rosetta, only";
      return core::EmulatorState::absent;
    }
    auto rosetta = backends::apple::rosetta_installed();
    *detail = rosetta ? (*rosetta ? "Rosetta is installed" : "Rosetta is not installed")
                      : "Rosetta can be looked for on macOS only";
    return rosetta.value_or(true) ? core::EmulatorState::present : core::EmulatorState::absent;
  }
#ifdef __APPLE__
  (void)ctx;
  (void)native;
  *detail = "the engine runs in a VM that ships emulation (Docker Desktop, Podman machine)";
  return core::EmulatorState::present;
#else
  if (!info.endpoint.starts_with("unix://") || !ctx.policy) {
    *detail = "the engine at " + info.endpoint +
              " is not on this machine: its emulators cannot "
              "be looked at";
    return core::EmulatorState::unknown;
  }
  auto probe = transport::probe_binfmt(wanted, native.normalized(), ctx.policy->paths.binfmt_misc);
  *detail = probe.detail;
  return probe.state;
#endif
}

} // namespace crun::cli
