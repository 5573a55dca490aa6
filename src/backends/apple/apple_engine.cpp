#include <crun/backends/apple/apple_engine.hpp>

#include <crun/core/error.hpp>

// Placeholder until the adapter lands: the seams link against these.
namespace crun::backends::apple {

AppleStatus probe_apple(const std::string& executable, const Env& /*env*/,
                        std::chrono::milliseconds /*timeout*/)
{
  fail(Errc::engine_unavailable, "the apple backend ({}) is not built yet", executable);
}

std::unique_ptr<Engine> connect_apple(const std::string& executable, const Env& env,
                                      std::chrono::milliseconds timeout)
{
  probe_apple(executable, env, timeout);
  return nullptr;
}

} // namespace crun::backends::apple
