#include <crun/transport/host_platform.hpp>

#include "system_error_text.hpp"

#include <crun/core/error.hpp>

#include <sys/utsname.h>

#include <cerrno>

namespace crun::transport {

core::Platform host_platform()
{
  struct utsname info{};
  if (uname(&info) != 0) {
    fail(Errc::internal, "cannot read the host platform: uname failed: {}",
         detail::errno_text(errno));
  }
  return core::Platform::from_uname(info.sysname, info.machine);
}

core::Platform host_container_platform()
{
  core::Platform platform = host_platform();
  platform.os = "linux";
  return platform;
}

} // namespace crun::transport
