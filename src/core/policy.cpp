#include <crun/core/policy.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace crun::core {

std::string describe_sources(const std::vector<std::string>& sources)
{
  if (sources.empty()) {
    return "(built in)";
  }
  if (sources.size() == 1) {
    return sources.front();
  }
  std::vector<std::string> head(sources.begin(), sources.end() - 1);
  return fmt::format("{} and {}", fmt::join(head, ", "), sources.back());
}

std::string_view emulation_mode_name(EmulationMode mode)
{
  switch (mode) {
  case EmulationMode::allow: return "allow";
  case EmulationMode::warn: return "warn";
  case EmulationMode::deny: return "deny";
  }
  return "deny";
}

std::string verb_path_str(const VerbPath& verb)
{
  return fmt::format("{}", fmt::join(verb, " "));
}

const std::vector<VerbPath>& default_blocked_verbs()
{
  // Every spelling that makes image content locally: Docker's top-level
  // verbs and their `image`/`container` management forms, buildx and the
  // builder; Podman's artifacts; Apple's `images load`. `clean` is listed
  // as the issue asks for Apple; a verb no engine has blocks nothing.
  static const std::vector<VerbPath> verbs = {
    {"build"},
    {"buildx"},
    {"builder"},
    {"commit"},
    {"import"},
    {"load"},
    {"image", "build"},
    {"image", "import"},
    {"image", "load"},
    {"images", "load"},
    {"container", "commit"},
    {"artifact", "add"},
    {"clean"},
  };
  return verbs;
}

} // namespace crun::core
