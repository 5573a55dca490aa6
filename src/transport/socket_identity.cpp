#include <crun/transport/socket_identity.hpp>

#include <fmt/format.h>

#include <sys/stat.h>

namespace crun::transport {
namespace {

// The nanoseconds of a stat time: st_mtim on Linux, st_mtimespec on macOS.
#ifdef __APPLE__
long long nanoseconds(const struct stat& info, bool changed)
{
  const struct timespec& time = changed ? info.st_ctimespec : info.st_mtimespec;
  return static_cast<long long>(time.tv_sec) * 1'000'000'000LL + time.tv_nsec;
}
#else
long long nanoseconds(const struct stat& info, bool changed)
{
  const struct timespec& time = changed ? info.st_ctim : info.st_mtim;
  return static_cast<long long>(time.tv_sec) * 1'000'000'000LL + time.tv_nsec;
}
#endif

} // namespace

std::optional<std::string> socket_identity(const Endpoint& endpoint)
{
  if (endpoint.kind != Endpoint::Kind::unix_socket) {
    return std::nullopt;
  }
  struct stat info{};
  if (::stat(endpoint.path.c_str(), &info) != 0) {
    return std::nullopt;
  }
  return fmt::format("{}:{}:{}:{}", static_cast<unsigned long long>(info.st_dev),
                     static_cast<unsigned long long>(info.st_ino), nanoseconds(info, false),
                     nanoseconds(info, true));
}

} // namespace crun::transport
