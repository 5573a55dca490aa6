// crun::registry::RegistryClient against the bench's real registry
// (distribution 2.8, plain HTTP on loopback): what a tag resolves to, the
// platforms an index has, single manifests' config platforms, a missing tag.
// Needs crun_registry linked into crun_integration_tests.
#include "support/bench_fixtures.hpp"
#include "support/error_of.hpp"

#include <crun/core/error.hpp>
#include <crun/registry/platform_select.hpp>
#include <crun/registry/registry_client.hpp>
#include <crun/util/environment.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

using crun::Errc;
using crun::core::Digest;
using crun::core::ImageRef;
using crun::core::Platform;
using crun::registry::RegistryClient;
using crun::test::error_of;

RegistryClient bench_client()
{
  // Anonymous: the bench registry has no auth.
  return RegistryClient(crun::Env(crun::util::environment_variables()), nullptr,
                        std::chrono::seconds(10));
}

using Registry = crun::test::BenchTest;

TEST_F(Registry, ResolvesTheMultiPlatformIndex)
{
  auto resolved = bench_client().resolve(ImageRef::parse(bench.image_multi));
  EXPECT_EQ(resolved.digest.str(), bench.digest_multi);
  ASSERT_TRUE(resolved.manifest.is_index);
  EXPECT_EQ(resolved.manifest.media_type, "application/vnd.oci.image.index.v1+json");
  ASSERT_EQ(resolved.manifest.manifests.size(), 2u);
  EXPECT_EQ(resolved.manifest.manifests[0].platform->str(), "linux/amd64");
  EXPECT_EQ(resolved.manifest.manifests[1].platform->str(), "linux/arm64");

  auto ref = ImageRef::parse(bench.image_multi);
  auto amd64 = crun::registry::select_platform(resolved.manifest, {"linux", "amd64", ""}, ref);
  auto arm64 = crun::registry::select_platform(resolved.manifest, {"linux", "arm64", ""}, ref);
  EXPECT_EQ(amd64.digest.str(), bench.digest_multi_amd64);
  EXPECT_EQ(arm64.digest.str(), bench.digest_multi_arm64);
}

TEST_F(Registry, ResolvesByDigestAndPicksThePlatformManifest)
{
  auto client = bench_client();
  auto pinned = ImageRef::parse(bench.image_multi).with_digest(Digest::parse(bench.digest_multi));
  auto resolved = client.resolve(pinned);
  EXPECT_EQ(resolved.digest.str(), bench.digest_multi);
  EXPECT_EQ(client.manifest_for_platform(resolved, Platform::parse("linux/aarch64")).str(),
            bench.digest_multi_arm64);
}

TEST_F(Registry, ListsThePlatformsOfAnIndexThatLacksTheOneWanted)
{
  auto ref = ImageRef::parse(bench.image_multi);
  auto resolved = bench_client().resolve(ref);
  auto error = error_of(
    [&] { crun::registry::select_platform(resolved.manifest, {"linux", "s390x", ""}, ref); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(),
            bench.image_multi + " has no linux/s390x image; it has linux/amd64, linux/arm64");
}

TEST_F(Registry, ReadsTheConfigPlatformOfSingleManifests)
{
  auto client = bench_client();
  const struct {
    std::string image;
    std::string digest;
    std::string media_type;
    std::string platform;
  } rows[] = {
    {bench.image_small, bench.digest_small, "application/vnd.docker.distribution.manifest.v2+json",
     "linux/amd64"},
    {bench.image_arm64, bench.digest_arm64, "application/vnd.oci.image.manifest.v1+json",
     "linux/arm64"},
    {bench.image_big, bench.digest_big, "application/vnd.oci.image.manifest.v1+json",
     "linux/amd64"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.image);
    auto ref = ImageRef::parse(row.image);
    auto resolved = client.resolve(ref);
    EXPECT_EQ(resolved.digest.str(), row.digest);
    EXPECT_FALSE(resolved.manifest.is_index);
    EXPECT_EQ(resolved.manifest.media_type, row.media_type);
    ASSERT_TRUE(resolved.manifest.config);
    EXPECT_EQ(client.config_platform(ref, *resolved.manifest.config).str(), row.platform);
  }

  auto small = client.resolve(ImageRef::parse(bench.image_small));
  auto error =
    error_of([&] { client.manifest_for_platform(small, Platform::parse("linux/arm64")); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(), bench.image_small + " has no linux/arm64 image; it has linux/amd64");
}

TEST_F(Registry, SaysAMissingTagIsNotFound)
{
  for (const auto& [repo, tag] : {std::pair{"bench/nope", "1"}, {"bench/multi", "crun-nope"}}) {
    std::string image = bench.ref(repo, tag);
    SCOPED_TRACE(image);
    auto error = error_of([&] { bench_client().resolve(ImageRef::parse(image)); });
    EXPECT_EQ(error.code(), Errc::not_found);
    EXPECT_EQ(error.message(), image + " is not in the registry (manifest unknown)");
  }
}

} // namespace
