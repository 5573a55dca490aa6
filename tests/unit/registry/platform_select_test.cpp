#include <crun/registry/platform_select.hpp>

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using test::error_of;
using test::fixture;

Manifest bench_index()
{
  return decode_manifest(fixture("multi-index.json"), "application/vnd.oci.image.index.v1+json");
}

Manifest hub_list()
{
  return decode_manifest(fixture("hand-docker-manifest-list.json"),
                         "application/vnd.docker.distribution.manifest.list.v2+json");
}

const auto k_multi = core::ImageRef::parse("127.0.0.1:5857/bench/multi:1");

TEST(SelectPlatform, PicksTheMatchingEntry)
{
  auto index = bench_index();
  EXPECT_EQ(select_platform(index, {"linux", "arm64", ""}, k_multi).digest.str(),
            "sha256:380511c53356654bbf4bf9b3e70bac56f1844810c066c70b7216bc3c1e421bc2");
  EXPECT_EQ(select_platform(index, {"linux", "amd64", ""}, k_multi).digest.str(),
            "sha256:cef4eaa910db88ca46154876b35aed80f75894b43343772fc8a8b47dc8f3863f");
  // Wanted names are normalised as well.
  EXPECT_EQ(select_platform(index, {"linux", "x86_64", ""}, k_multi).platform->str(),
            "linux/amd64");
}

TEST(SelectPlatform, MatchesVariantsAsContainerd)
{
  auto list = hub_list();
  auto ref = core::ImageRef::parse("alpine:3");
  EXPECT_EQ(select_platform(list, {"linux", "arm64", "v8"}, ref).platform->str(), "linux/arm64");
  EXPECT_EQ(select_platform(list, {"linux", "arm", ""}, ref).platform->str(), "linux/arm/v7");
  EXPECT_EQ(select_platform(list, {"windows", "amd64", ""}, ref).platform->str(), "windows/amd64");
  auto error = error_of([&] { select_platform(list, {"linux", "arm", "v6"}, ref); });
  EXPECT_EQ(error.message(), "alpine:3 has no linux/arm/v6 image; it has linux/amd64, "
                             "linux/arm/v7, linux/arm64, windows/amd64");
}

TEST(SelectPlatform, ListsThePlatformsItHasWhenOneIsMissing)
{
  auto error = error_of([] { select_platform(bench_index(), {"linux", "s390x", ""}, k_multi); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(),
            "127.0.0.1:5857/bench/multi:1 has no linux/s390x image; it has linux/amd64, "
            "linux/arm64");
}

TEST(SelectPlatform, SuggestsAPlatformOnlyWhenAskedAndOnTheSameOs)
{
  auto error = error_of(
    [] { select_platform(bench_index(), {"linux", "s390x", ""}, k_multi, SuggestPlatform::yes); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(),
            "127.0.0.1:5857/bench/multi:1 has no linux/s390x image; it has linux/amd64, "
            "linux/arm64; to run it under emulation, pass --platform linux/amd64");

  const auto ref = core::ImageRef::parse("app:1");
  const core::Platform amd64{"linux", "amd64", ""};
  // The first of the wanted OS, never a platform no emulator runs.
  EXPECT_EQ(missing_platform_message(ref, amd64, {"windows/amd64", "linux/arm64", "linux/arm/v7"},
                                     SuggestPlatform::yes),
            "app:1 has no linux/amd64 image; it has windows/amd64, linux/arm64, "
            "linux/arm/v7; to run it under emulation, pass --platform linux/arm64");
  EXPECT_EQ(missing_platform_message(ref, amd64, {"windows/amd64"}, SuggestPlatform::yes),
            "app:1 has no linux/amd64 image; it has windows/amd64");
  EXPECT_EQ(missing_platform_message(ref, amd64, {}, SuggestPlatform::yes),
            "app:1 has no linux/amd64 image; it has no platform-specific images");
  // A platform the user chose: no other is pressed on them.
  EXPECT_EQ(missing_platform_message(ref, amd64, {"linux/arm64"}, SuggestPlatform::no),
            "app:1 has no linux/amd64 image; it has linux/arm64");
}

TEST(SelectPlatform, NeverSelectsAnAttestation)
{
  auto index = decode_manifest(fixture("hand-oci-index-attestations.json"),
                               "application/vnd.oci.image.index.v1+json");
  auto error = error_of([&] { select_platform(index, {"unknown", "unknown", ""}, k_multi); });
  EXPECT_EQ(error.message(),
            "127.0.0.1:5857/bench/multi:1 has no unknown/unknown image; it has linux/amd64, "
            "linux/arm64");
}

TEST(SelectPlatform, SaysSoWhenNoEntryHasAPlatform)
{
  auto index = decode_manifest(R"({"schemaVersion":2,"manifests":[]})",
                               "application/vnd.oci.image.index.v1+json");
  auto error = error_of([&] { select_platform(index, {"linux", "amd64", ""}, k_multi); });
  EXPECT_EQ(error.message(), "127.0.0.1:5857/bench/multi:1 has no linux/amd64 image; it has no "
                             "platform-specific images");
}

TEST(SelectPlatform, RefusesASingleManifest)
{
  auto manifest = decode_manifest(fixture("small-manifest.json"),
                                  "application/vnd.docker.distribution.manifest.v2+json");
  auto error = error_of([&] { select_platform(manifest, {"linux", "amd64", ""}, k_multi); });
  EXPECT_EQ(error.code(), Errc::internal);
}

} // namespace
} // namespace crun::registry
