#include <crun/core/platform_choice.hpp>

#include <crun/core/error.hpp>

namespace crun::core {
namespace {

PlatformChoice parse_from(const std::string& text, const char* source,
                          const std::function<Platform()>& native)
{
  try {
    // Only an OS-only value ("linux") needs the engine's architecture.
    Platform base = text.find('/') == std::string::npos ? native() : Platform{};
    return {Platform::parse(text, base).normalized(), source, true};
  } catch (const Error& error) {
    throw Error(error.code(), fmt::format("{} (from {})", error.message(), source));
  }
}

} // namespace

PlatformChoice choose_platform(const std::optional<std::string>& flag, const Env& env,
                               const std::function<Platform()>& native)
{
  if (flag && !flag->empty()) {
    return parse_from(*flag, "--platform", native);
  }
  for (const char* name : {"CRUN_ANY_PLATFORM", "DOCKER_DEFAULT_PLATFORM"}) {
    if (auto value = env.get(name)) {
      return parse_from(*value, name, native);
    }
  }
  return {native().normalized(), "engine", false};
}

} // namespace crun::core
