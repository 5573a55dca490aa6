#include <crun/util/environment.hpp>

#include <string_view>

extern char** environ; // POSIX; declared here because no header is portable for it

namespace crun::util {

std::map<std::string, std::string, std::less<>> environment_variables()
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
  return vars;
}

} // namespace crun::util
