// The real machine behind HostLookup: PATH search, stat, realpath, getuid.
// POSIX (Linux and macOS).

#include <crun/backends/selection/host_lookup.hpp>

#include <cstdlib>

#include <sys/stat.h>
#include <unistd.h>

namespace crun::backends::selection {
namespace {

// What execvp searches when PATH is unset (glibc's and macOS's confstr default).
constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

bool is_executable_file(const std::string& path)
{
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

} // namespace

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
  if (name.empty()) {
    return std::nullopt;
  }
  if (name.find('/') != std::string_view::npos) {
    std::string path(name);
    return is_executable_file(path) ? std::optional(path) : std::nullopt;
  }
  std::string path = m_env.get_or("PATH", k_default_path);
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find(':', start);
    auto dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    // An empty PATH entry means the working directory; crun-any does not
    // run programs from there (it would be a way to plant a fake podman).
    if (!dir.empty() && dir.front() == '/') {
      std::string candidate = dir + (dir.back() == '/' ? "" : "/") + std::string(name);
      if (is_executable_file(candidate)) {
        return candidate;
      }
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return std::nullopt;
}

bool SystemHostLookup::exists(const std::string& path) const
{
  struct stat st {};
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
