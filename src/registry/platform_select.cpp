#include <crun/registry/platform_select.hpp>

#include <crun/core/error.hpp>

#include <fmt/ranges.h>

#include <algorithm>

namespace crun::registry {

std::string missing_platform_message(const core::ImageRef& ref, const core::Platform& wanted,
                                     const std::vector<std::string>& available,
                                     SuggestPlatform suggest)
{
  std::string message =
    fmt::format("{} has no {} image; it has {}", ref.familiar(), wanted.str(),
                available.empty() ? std::string("no platform-specific images")
                                  : fmt::format("{}", fmt::join(available, ", ")));
  if (suggest == SuggestPlatform::yes) {
    // Another OS is no matter of emulation (a windows image on linux).
    auto other = std::find_if(available.begin(), available.end(), [&](const std::string& name) {
      return name.starts_with(wanted.os + "/");
    });
    if (other != available.end()) {
      message += fmt::format("; to run it under emulation, pass --platform {}", *other);
    }
  }
  return message;
}

const Descriptor& select_platform(const Manifest& index, const core::Platform& wanted,
                                  const core::ImageRef& ref, SuggestPlatform suggest)
{
  if (!index.is_index) {
    fail(Errc::internal, "select_platform called with a single manifest of {}", ref.familiar());
  }
  // The first match, as containerd's platform matcher takes the registry's
  // order among equals.
  for (const auto& entry : index.manifests) {
    if (entry.platform && entry.platform->matches(wanted)) {
      return entry;
    }
  }
  throw Error(Errc::not_found,
              missing_platform_message(ref, wanted, index_platforms(index), suggest));
}

std::vector<std::string> index_platforms(const Manifest& index)
{
  std::vector<std::string> names;
  for (const auto& entry : index.manifests) {
    if (!entry.platform) {
      continue;
    }
    auto name = entry.platform->str();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

} // namespace crun::registry
