#include <crun/core/policy_local_content.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace crun::core {

LocalContentCheck check_local_content(const Policy& policy, const ImageRef& ref,
                                      const Platform& platform, const Digest& local_id,
                                      const KnownContent& known)
{
  if (!policy.pull_only || !policy.pull_only->value ||
      std::find(known.digests.begin(), known.digests.end(), local_id) != known.digests.end()) {
    return {LocalContentVerdict::allowed, {}};
  }
  std::string source = describe_sources(policy.pull_only->sources);
  if (known.complete) {
    return {LocalContentVerdict::refused,
            fmt::format("pull_only (set by {}): the local image {} ({}) is not content the "
                        "registry serves for {}: it was built, imported, committed or retagged "
                        "locally; remove it and pull {} instead",
                        source, ref.familiar(), local_id, platform.normalized(), ref.familiar())};
  }
  return {
    LocalContentVerdict::undecidable,
    fmt::format("pull_only (set by {}): cannot tell offline whether the local image {} "
                "({}) is content the registry serves for {}: the lock does not hold it and the "
                "registry could not be asked; retry with the registry reachable, or lock "
                "the tag (`crun-any lock`) while online",
                source, ref.familiar(), local_id, platform.normalized())};
}

std::vector<Digest> locked_digests(const LockFile& lock, const ImageRef& ref,
                                   const Platform& platform)
{
  const LockedImage* entry = lock.find(ref);
  if (entry == nullptr) {
    return {};
  }
  auto it = entry->platforms.find(lock_platform_key(platform));
  if (it == entry->platforms.end()) {
    return {};
  }
  if (it->second == entry->digest) {
    return {entry->digest};
  }
  return {entry->digest, it->second};
}

} // namespace crun::core
