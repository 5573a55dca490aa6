// The real machine behind HostLookup: PATH search (util), stat, realpath, getuid.
// POSIX (Linux and macOS).

#include <crun/backends/selection/host_lookup.hpp>

#include <crun/util/path_lookup.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace crun::backends::selection {

HostOs current_host_os() noexcept
{
#if defined(__APPLE__)
  return HostOs::macos;
#else
  return HostOs::linux_os;
#endif
}

std::optional<std::string> SystemHostLookup::find_executable(std::string_view name) const
{
  return util::find_executable(name, m_env.get_or("PATH", util::k_default_search_path));
}

bool SystemHostLookup::exists(const std::string& path) const
{
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

std::string SystemHostLookup::canonical(const std::string& path) const
{
  // realpath allocates: no PATH_MAX, which not every system defines.
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) {
    return path;
  }
  std::string result(resolved);
  std::free(resolved);
  return result;
}

unsigned SystemHostLookup::user_id() const
{
  return static_cast<unsigned>(::getuid());
}

} // namespace crun::backends::selection
