#include <crun/cli/color_choice.hpp>

namespace crun::cli {

bool use_color(bool no_color_flag, const Env& env, bool is_tty)
{
  // Env::get counts an empty value as unset: NO_COLOR= leaves colour on, as
  // no-color.org asks.
  if (no_color_flag || env.get("NO_COLOR")) {
    return false;
  }
  if (const auto force = env.get("CLICOLOR_FORCE"); force && *force != "0") {
    return true;
  }
  if (env.get("CLICOLOR") == "0") {
    return false;
  }
  if (is_dumb_terminal(env)) {
    return false;
  }
  return is_tty;
}

bool is_dumb_terminal(const Env& env)
{
  return env.get("TERM") == "dumb";
}

} // namespace crun::cli
