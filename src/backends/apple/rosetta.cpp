#include <crun/backends/apple/rosetta.hpp>

#ifdef __APPLE__
#include <unistd.h>
#endif

namespace crun::backends::apple {

std::optional<bool> rosetta_installed()
{
#ifdef __APPLE__
  // What `softwareupdate --install-rosetta` installs and the VM's Rosetta
  // share is made from.
  return ::access("/Library/Apple/usr/libexec/oah/libRosettaRuntime", F_OK) == 0;
#else
  return std::nullopt;
#endif
}

} // namespace crun::backends::apple
