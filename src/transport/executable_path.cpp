#include <crun/transport/executable_path.hpp>

#include <cstdlib>
#include <memory>

#ifdef __APPLE__
#include <mach-o/dyld.h>

#include <cstdint>
#include <vector>
#endif

namespace crun::transport {
namespace {

std::optional<std::string> resolved(const char* path) noexcept
{
  // realpath(path, nullptr) allocates: portable across Linux and macOS.
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path, nullptr), &std::free);
  if (!real) {
    return std::nullopt;
  }
  try {
    return std::string(real.get());
  } catch (...) {
    return std::nullopt;
  }
}

} // namespace

std::optional<std::string> executable_path() noexcept
{
#ifdef __APPLE__
  std::uint32_t size = 0;
  ::_NSGetExecutablePath(nullptr, &size);
  try {
    std::vector<char> buffer(size + 1, '\0');
    if (::_NSGetExecutablePath(buffer.data(), &size) != 0) {
      return std::nullopt;
    }
    return resolved(buffer.data());
  } catch (...) {
    return std::nullopt;
  }
#else
  return resolved("/proc/self/exe");
#endif
}

} // namespace crun::transport
