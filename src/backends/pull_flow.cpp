#include <crun/backends/pull_flow.hpp>

#include <crun/core/error.hpp>

#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

namespace crun::backends {
namespace {

class ClientReader : public RegistryReader {
public:
  ClientReader(registry::RegistryClient& client, registry::SuggestPlatform suggest)
    : m_client(client), m_suggest(suggest)
  {
  }
  registry::ResolvedImage resolve(const core::ImageRef& ref) override
  {
    return m_client.resolve(ref);
  }
  core::Digest manifest_for_platform(const registry::ResolvedImage& image,
                                     const core::Platform& wanted) override
  {
    return m_client.manifest_for_platform(image, wanted, m_suggest);
  }

private:
  registry::RegistryClient& m_client;
  registry::SuggestPlatform m_suggest;
};

} // namespace

std::unique_ptr<RegistryReader> make_registry_reader(registry::RegistryClient& client,
                                                     registry::SuggestPlatform suggest)
{
  return std::make_unique<ClientReader>(client, suggest);
}

std::string PulledImage::pinned() const
{
  std::string out = ref.repository();
  if (ref.tag()) {
    out += ":" + *ref.tag();
  }
  return out + "@" + manifest_digest.str();
}

std::optional<LockedPull> decide_from_lock(const core::LockFile* lock, std::string_view lock_name,
                                           const core::ImageRef& ref,
                                           const core::Platform& platform)
{
  if (!lock || (!ref.tag() && ref.digest())) {
    return std::nullopt;
  }
  const core::LockedImage* entry = lock->find(ref);
  if (!entry) {
    return std::nullopt;
  }
  const std::string key = core::lock_key(ref);
  // The keys are normalised platforms; matches() lets "linux/arm64/v8" find
  // "linux/arm64" and keeps "linux/arm/v6" from finding "linux/arm/v7".
  const auto found =
    std::find_if(entry->platforms.begin(), entry->platforms.end(), [&](const auto& locked) {
      return core::Platform::parse(locked.first).matches(platform);
    });
  if (found == entry->platforms.end()) {
    std::vector<std::string> held;
    for (const auto& [name, digest] : entry->platforms) {
      held.push_back(name);
    }
    fail(Errc::not_found,
         "the lock {} holds {} for {}, not {}: lock that platform with `crun-any lock "
         "--platform {} {}`",
         lock_name, key, fmt::join(held, ", "), platform.str(), platform.str(), key);
  }
  if (ref.digest() && *ref.digest() != entry->digest && *ref.digest() != found->second) {
    fail(Errc::mismatch,
         "{} contradicts the lock {}, which holds {} at {} ({} for {}): drop the digest, or "
         "lock the tag again with `crun-any lock {}`",
         ref.str(), lock_name, key, entry->digest.str(), found->second.str(), found->first, key);
  }
  return LockedPull{entry->digest, found->second, found->first};
}

PulledImage pull_image(Engine& engine, RegistryReader& registry, const core::ImageRef& ref,
                       const core::Platform& platform, PullSink& sink,
                       const std::optional<registry::Credentials>& credentials,
                       const std::optional<LockedPull>& locked)
{
  std::optional<core::Digest> resolved_digest;
  std::optional<core::Digest> manifest_digest;
  if (locked) {
    // The lock's word replaces the registry's: the tag may have moved since.
    resolved_digest = locked->digest;
    manifest_digest = locked->manifest;
  } else {
    registry::ResolvedImage resolved = registry.resolve(ref);
    resolved_digest = resolved.digest;
    manifest_digest = registry.manifest_for_platform(resolved, platform);
  }
  const core::Digest& manifest = *manifest_digest;

  // By digest: what the engine stores is exactly what the registry served
  // for this platform, whatever the tag points to by the time it asks.
  core::ImageRef by_digest = ref.without_tag().with_digest(manifest);
  engine.pull(by_digest, platform, sink, credentials);
  const std::string local_name = by_digest.str();
  if (ref.tag()) {
    engine.tag(local_name, ref);
  }

  auto image = engine.inspect_image(local_name);
  if (!image) {
    fail(Errc::engine_error, "the engine reported pulling {} but has no such image afterwards",
         local_name);
  }
  if (!image->platform.normalized().matches(platform)) {
    fail(Errc::engine_error,
         "the engine pulled {} for {} instead of the {} asked for; the local image was not used",
         ref.str(), image->platform.str(), platform.str());
  }
  image->reference = ref.str();
  image->digest = manifest.str();
  return PulledImage{ref, *resolved_digest, manifest, std::move(*image)};
}

} // namespace crun::backends
