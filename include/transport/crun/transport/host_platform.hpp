#pragma once
// The platform of the machine crun-any runs on, read from uname(2): the one
// place the pure platform model meets the host.

#include <crun/core/platform.hpp>

namespace crun::transport {

/// The platform of this machine, normalised (Platform::from_uname): on macOS
/// the os is "darwin". Throws Error(Errc::internal) if uname fails.
core::Platform host_platform();

/// "linux" on host_platform()'s architecture and variant: what an engine on
/// this machine runs without emulation, on Linux and macOS alike. Throws as
/// host_platform().
core::Platform host_container_platform();

} // namespace crun::transport
