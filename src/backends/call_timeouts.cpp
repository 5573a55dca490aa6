#include <crun/backends/call_timeouts.hpp>

#include <crun/core/error.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace crun::backends {
namespace {

constexpr long k_max_seconds = 86400;

std::chrono::milliseconds seconds_setting(const Env& env, const char* name,
                                          std::chrono::seconds fallback)
{
  auto value = env.get(name);
  if (!value) {
    return fallback;
  }
  bool digits = !value->empty() && value->size() <= 6 &&
                std::all_of(value->begin(), value->end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  long seconds = digits ? std::stol(*value) : 0;
  if (seconds < 1 || seconds > k_max_seconds) {
    fail(Errc::invalid_input, "invalid {} \"{}\": expected whole seconds from 1 to {}", name,
         *value, k_max_seconds);
  }
  return std::chrono::seconds(seconds);
}

} // namespace

std::chrono::milliseconds call_timeout(const Env& env)
{
  return seconds_setting(env, "CRUN_ANY_TIMEOUT", k_default_call_timeout);
}

std::chrono::milliseconds pull_idle_timeout(const Env& env)
{
  return seconds_setting(env, "CRUN_ANY_PULL_IDLE_TIMEOUT", k_default_pull_idle_timeout);
}

ApiTimeouts api_timeouts(const Env& env, std::chrono::milliseconds connect)
{
  return ApiTimeouts{connect, call_timeout(env), pull_idle_timeout(env)};
}

} // namespace crun::backends
