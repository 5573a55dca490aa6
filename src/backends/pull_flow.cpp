#include <crun/backends/pull_flow.hpp>

#include <crun/core/error.hpp>

namespace crun::backends {
namespace {

class ClientReader : public RegistryReader {
public:
  explicit ClientReader(registry::RegistryClient& client) : m_client(client) {}
  registry::ResolvedImage resolve(const core::ImageRef& ref) override
  {
    return m_client.resolve(ref);
  }
  core::Digest manifest_for_platform(const registry::ResolvedImage& image,
                                     const core::Platform& wanted) override
  {
    return m_client.manifest_for_platform(image, wanted);
  }

private:
  registry::RegistryClient& m_client;
};

} // namespace

std::unique_ptr<RegistryReader> make_registry_reader(registry::RegistryClient& client)
{
  return std::make_unique<ClientReader>(client);
}

std::string PulledImage::pinned() const
{
  std::string out = ref.repository();
  if (ref.tag()) {
    out += ":" + *ref.tag();
  }
  return out + "@" + manifest_digest.str();
}

PulledImage pull_image(Engine& engine, RegistryReader& registry, const core::ImageRef& ref,
                       const core::Platform& platform, PullSink& sink,
                       const std::optional<registry::Credentials>& credentials)
{
  registry::ResolvedImage resolved = registry.resolve(ref);
  core::Digest manifest = registry.manifest_for_platform(resolved, platform);

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
  return PulledImage{ref, resolved.digest, manifest, std::move(*image)};
}

} // namespace crun::backends
