#include <crun/registry/platform_select.hpp>

#include <crun/core/error.hpp>

#include <fmt/ranges.h>

#include <algorithm>

namespace crun::registry {

const Descriptor& select_platform(const Manifest& index, const core::Platform& wanted,
                                  const core::ImageRef& ref)
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
  auto available = index_platforms(index);
  fail(Errc::not_found, "{} has no {} image; it has {}", ref.familiar(), wanted.str(),
       available.empty() ? std::string("no platform-specific images")
                         : fmt::format("{}", fmt::join(available, ", ")));
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
