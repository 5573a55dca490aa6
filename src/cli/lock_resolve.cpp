#include <crun/cli/lock_resolve.hpp>

#include <crun/core/error.hpp>

#include <fmt/ranges.h>

#include <algorithm>

namespace crun::cli {

core::LockedImage resolve_lock_entry(registry::RegistryClient& client, const core::ImageRef& ref,
                                     const std::vector<core::Platform>& only)
{
  if (ref.digest()) {
    fail(Errc::usage,
         "{}: crun-any lock records what a tag resolves to; name the tag without a "
         "digest",
         ref.str());
  }
  registry::ResolvedImage resolved = client.resolve(ref);
  core::LockedImage entry{ref.tag_or_latest(),
                          resolved.manifest.is_index ? core::LockKind::index
                                                     : core::LockKind::manifest,
                          resolved.digest,
                          {}};
  // Every platform served, first entry of each normalised platform kept (as
  // an engine picks the first match).
  std::vector<std::pair<core::Platform, core::Digest>> served;
  if (resolved.manifest.is_index) {
    for (const auto& descriptor : resolved.manifest.manifests) {
      if (descriptor.platform) {
        served.emplace_back(descriptor.platform->normalized(), descriptor.digest);
      }
    }
  } else if (resolved.manifest.config) {
    served.emplace_back(client.config_platform(ref, *resolved.manifest.config).normalized(),
                        resolved.digest);
  }
  auto record = [&](const core::Platform& platform, const core::Digest& digest) {
    entry.platforms.emplace(core::lock_platform_key(platform), digest);
  };
  if (only.empty()) {
    for (const auto& [platform, digest] : served) {
      record(platform, digest);
    }
    return entry;
  }
  for (const auto& wanted : only) {
    auto found = std::find_if(served.begin(), served.end(), [&](const auto& candidate) {
      return candidate.first.matches(wanted);
    });
    if (found == served.end()) {
      std::vector<std::string> names;
      names.reserve(served.size());
      for (const auto& [platform, digest] : served) {
        names.push_back(platform.str());
      }
      fail(Errc::not_found, "{} has no {} image; it has {}", ref.str(), wanted.str(),
           fmt::join(names, ", "));
    }
    record(found->first, found->second);
  }
  return entry;
}

core::Digest config_digest(registry::RegistryClient& client, const core::ImageRef& ref,
                           const core::Digest& manifest)
{
  registry::ResolvedImage resolved = client.resolve(ref.without_tag().with_digest(manifest));
  if (resolved.manifest.is_index || !resolved.manifest.config) {
    fail(Errc::protocol, "{}@{} is an index, not the manifest of one platform", ref.repository(),
         manifest.str());
  }
  return resolved.manifest.config->digest;
}

} // namespace crun::cli
