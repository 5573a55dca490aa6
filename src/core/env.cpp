#include <crun/core/env.hpp>

namespace crun {

std::optional<std::string> Env::get(std::string_view name) const
{
  auto it = m_vars.find(name);
  if (it == m_vars.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second;
}

std::string Env::get_or(std::string_view name, std::string_view fallback) const
{
  auto value = get(name);
  return value ? *value : std::string(fallback);
}

} // namespace crun
