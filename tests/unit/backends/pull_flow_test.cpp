// The pull flow over fakes of both sides: a registry reader serving the
// bench registry's multi:1 index as captured (fixtures/registry/multi-index)
// and choosing an entry as RegistryClient does (select_platform), and an
// engine that records what it is asked and holds the images a pull leaves.
#include <crun/backends/pull_flow.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <crun/core/error.hpp>
#include <crun/registry/platform_select.hpp>

#include <gtest/gtest.h>

#include <map>

namespace crun::backends {
namespace {

using crun::test::error_of;

const std::string k_repo = "127.0.0.1:5857/bench/multi";
// multi-index.headers' Docker-Content-Digest, and its two entries.
const std::string k_index =
  "sha256:1f3c0a3cede39729e366f9df83faa50b7f6a3f8460a6b79b98556eab46583dc0";
const std::string k_amd64 =
  "sha256:cef4eaa910db88ca46154876b35aed80f75894b43343772fc8a8b47dc8f3863f";
const std::string k_arm64 =
  "sha256:380511c53356654bbf4bf9b3e70bac56f1844810c066c70b7216bc3c1e421bc2";

class FakeRegistry : public RegistryReader {
public:
  std::vector<std::string> calls;

  registry::ResolvedImage resolve(const core::ImageRef& ref) override
  {
    calls.push_back("resolve " + ref.str());
    // multi-index.headers' Content-Type.
    return registry::ResolvedImage{
      ref, core::Digest::parse(k_index),
      registry::decode_manifest(test::fixture("registry/multi-index.json"),
                                "application/vnd.oci.image.index.v1+json")};
  }

  core::Digest manifest_for_platform(const registry::ResolvedImage& image,
                                     const core::Platform& wanted) override
  {
    calls.push_back("manifest_for_platform " + wanted.str());
    return registry::select_platform(image.manifest, wanted, image.ref).digest;
  }
};

class FakeEngine : public Engine {
public:
  std::vector<std::string> calls;
  /// The platform of the image a pull leaves, by the digest pulled; a pull
  /// of a digest not listed leaves nothing.
  std::map<std::string, core::Platform> pulled_platforms{
    {k_amd64, core::Platform{"linux", "amd64", ""}},
    {k_arm64, core::Platform{"linux", "arm64", ""}},
  };
  std::map<std::string, ImageInfo> images; ///< by name
  std::function<void()> on_pull = [] {};

  const EngineInfo& info() const override { return m_info; }
  core::Platform native_platform() override { return core::Platform{"linux", "amd64", ""}; }

  void pull(const core::ImageRef& ref, const core::Platform& platform, PullSink&,
            const std::optional<registry::Credentials>& credentials) override
  {
    calls.push_back("pull " + ref.str() + " " + platform.str() +
                    (credentials ? " as " + credentials->username : ""));
    on_pull();
    if (auto it = pulled_platforms.find(ref.digest()->str()); it != pulled_platforms.end()) {
      ImageInfo image;
      image.id = "sha256:config-of-" + ref.digest()->str().substr(7, 8);
      image.platform = it->second;
      images[ref.str()] = image;
    }
  }

  void tag(const std::string& source, const core::ImageRef& target) override
  {
    calls.push_back("tag " + source + " " + target.str());
  }

  std::optional<ImageInfo> inspect_image(const std::string& name) override
  {
    calls.push_back("inspect_image " + name);
    auto it = images.find(name);
    return it == images.end() ? std::nullopt : std::optional(it->second);
  }

  std::optional<ContainerInfo> inspect_container(const std::string&) override
  {
    ADD_FAILURE() << "a pull inspects no container";
    return std::nullopt;
  }

  int run(const RunSpec&, RunConsole&, const std::function<void()>&) override
  {
    ADD_FAILURE() << "a pull runs nothing";
    return 0;
  }

  int exec(const ExecSpec&, RunConsole&) override
  {
    ADD_FAILURE() << "a pull execs nothing";
    return 0;
  }

private:
  EngineInfo m_info{"fake", "fake://", "1", "1"};
};

class NoProgress : public PullSink {
public:
  void on_event(const core::PullEvent&) override {}
};

struct PullFlow : ::testing::Test {
  FakeRegistry registry;
  FakeEngine engine;
  NoProgress sink;

  PulledImage pull(const std::string& ref, const std::string& platform,
                   const std::optional<registry::Credentials>& credentials = std::nullopt)
  {
    return pull_image(engine, registry, core::ImageRef::parse(ref), core::Platform::parse(platform),
                      sink, credentials);
  }
};

TEST_F(PullFlow, TheEnginePullsThePlatformsManifestByDigestThenTagsIt)
{
  for (const auto& [platform, manifest] :
       {std::pair{"linux/amd64", k_amd64}, std::pair{"linux/arm64", k_arm64}}) {
    SCOPED_TRACE(platform);
    engine.calls.clear();
    registry.calls.clear();
    PulledImage pulled = pull(k_repo + ":1", platform);
    EXPECT_EQ(registry.calls,
              (std::vector<std::string>{"resolve " + k_repo + ":1",
                                        std::string("manifest_for_platform ") + platform}));
    EXPECT_EQ(engine.calls, (std::vector<std::string>{
                              "pull " + k_repo + "@" + manifest + " " + platform,
                              "tag " + k_repo + "@" + manifest + " " + k_repo + ":1",
                              "inspect_image " + k_repo + "@" + manifest,
                            }));
    EXPECT_EQ(pulled.ref.str(), k_repo + ":1");
    EXPECT_EQ(pulled.digest.str(), k_index);
    EXPECT_EQ(pulled.manifest_digest.str(), manifest);
    EXPECT_EQ(pulled.image.reference, k_repo + ":1");
    EXPECT_EQ(pulled.image.digest, manifest);
    EXPECT_EQ(pulled.image.platform.str(), platform);
    EXPECT_EQ(pulled.pinned(), k_repo + ":1@" + manifest);
  }
}

TEST_F(PullFlow, AReferenceByDigestIsPulledByItsPlatformsManifestAndNotTagged)
{
  PulledImage pulled = pull(k_repo + "@" + k_index, "linux/arm64");
  EXPECT_EQ(engine.calls, (std::vector<std::string>{
                            "pull " + k_repo + "@" + k_arm64 + " linux/arm64",
                            "inspect_image " + k_repo + "@" + k_arm64,
                          }));
  EXPECT_EQ(pulled.digest.str(), k_index);
  EXPECT_EQ(pulled.pinned(), k_repo + "@" + k_arm64);
}

TEST_F(PullFlow, APlatformTheRegistryLacksIsAnErrorListingThoseItHas)
{
  Error error = error_of([&] { pull(k_repo + ":1", "linux/s390x"); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(), "127.0.0.1:5857/bench/multi:1 has no linux/s390x image; it has "
                             "linux/amd64, linux/arm64");
  EXPECT_TRUE(engine.calls.empty()); // the engine is never asked
}

TEST_F(PullFlow, TheRegistryCredentialsReachTheEngine)
{
  pull(k_repo + ":1", "linux/amd64", registry::Credentials{"ci-bot", "pw", "", "test"});
  ASSERT_FALSE(engine.calls.empty());
  EXPECT_EQ(engine.calls[0], "pull " + k_repo + "@" + k_amd64 + " linux/amd64 as ci-bot");
}

TEST_F(PullFlow, ALocalImageOfAnotherPlatformAfterThePullIsAnError)
{
  // An engine that ignores the platform it is asked for.
  engine.pulled_platforms[k_arm64] = core::Platform{"linux", "amd64", ""};
  Error error = error_of([&] { pull(k_repo + ":1", "linux/arm64"); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "the engine pulled 127.0.0.1:5857/bench/multi:1 for linux/amd64 "
                             "instead of the linux/arm64 asked for; the local image was not used");
}

TEST_F(PullFlow, AnArm64VariantStillMatchesAfterThePull)
{
  // Engines report arm64 images with variant v8; the registry's entry has none.
  engine.pulled_platforms[k_arm64] = core::Platform{"linux", "arm64", "v8"};
  EXPECT_EQ(pull(k_repo + ":1", "linux/arm64").manifest_digest.str(), k_arm64);
}

TEST_F(PullFlow, NoImageAfterThePullIsAnError)
{
  engine.pulled_platforms.clear();
  Error error = error_of([&] { pull(k_repo + ":1", "linux/amd64"); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "the engine reported pulling " + k_repo + "@" + k_amd64 +
                               " but has no such image afterwards");
}

TEST_F(PullFlow, TheEnginesPullErrorStopsTheFlow)
{
  engine.on_pull = [] { fail(Errc::engine_error, "cannot pull x: manifest unknown"); };
  Error error = error_of([&] { pull(k_repo + ":1", "linux/amd64"); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), "cannot pull x: manifest unknown");
  EXPECT_EQ(engine.calls.size(), 1u); // neither tagged nor inspected
}

} // namespace
} // namespace crun::backends

namespace crun::backends {
namespace {

TEST_F(PullFlow, ALockedPullAsksTheRegistryNothingAndPullsTheLockedManifest)
{
  // The lock says arm64's manifest for amd64's slot: whatever it says is
  // what is pulled, the registry's current answer unasked.
  LockedPull locked{core::Digest::parse(k_index), core::Digest::parse(k_amd64), "linux/amd64"};
  PulledImage pulled = pull_image(engine, registry, core::ImageRef::parse(k_repo + ":1"),
                                  core::Platform::parse("linux/amd64"), sink, std::nullopt, locked);
  EXPECT_TRUE(registry.calls.empty());
  EXPECT_EQ(engine.calls, (std::vector<std::string>{
                            "pull " + k_repo + "@" + k_amd64 + " linux/amd64",
                            "tag " + k_repo + "@" + k_amd64 + " " + k_repo + ":1",
                            "inspect_image " + k_repo + "@" + k_amd64,
                          }));
  EXPECT_EQ(pulled.digest.str(), k_index);
  EXPECT_EQ(pulled.pinned(), k_repo + ":1@" + k_amd64);
}

} // namespace
} // namespace crun::backends
