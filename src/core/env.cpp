#include <crun/core/env.hpp>

extern char** environ; // POSIX; declared here because no header is portable for it

namespace crun {

Env Env::from_process()
{
  std::map<std::string, std::string, std::less<>> vars;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      continue;
    }
    vars.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return Env(std::move(vars));
}

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
