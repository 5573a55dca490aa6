// Apple's inspect JSON of each shape generation (tests/fixtures/apple/) into
// the unified model: the traps are the local-only index digest of a
// single-manifest image, the attestation variants, 0.x dates in seconds
// since 2001, and no exit code anywhere.
#include <crun/backends/apple/apple_decode.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <gtest/gtest.h>

namespace crun::backends::apple {
namespace {

using crun::test::error_of;
using crun::test::json_fixture;

const core::Platform k_amd64{"linux", "amd64", ""};
const core::Platform k_arm64{"linux", "arm64", ""};

TEST(AppleDecodeImage, SingleManifestDigestIsTheVariantsNotTheLocalIndex)
{
  for (const char* name :
       {"apple/1.2/image-inspect-single.json", "apple/1.4.1/image-inspect-single.json"}) {
    auto image = decode_image(json_fixture(name), "127.0.0.1:5857/bench/small:1", std::nullopt);
    ASSERT_TRUE(image) << name;
    EXPECT_EQ(image->backend, "apple");
    EXPECT_EQ(image->reference, "127.0.0.1:5857/bench/small:1");
    EXPECT_EQ(image->digest,
              "sha256:d22fae1aa8113ff12195ad5dcc56ada315d4510e2e8451c152edfddc4a549666");
    EXPECT_EQ(image->id, "sha256:e25a0940e39caf5b6cc8c4362b204061727af602c133ea415134dfc7b53c0737");
    EXPECT_EQ(image->repo_tags, std::vector<std::string>{"127.0.0.1:5857/bench/small:1"});
    EXPECT_EQ(
      image->repo_digests,
      std::vector<std::string>{"127.0.0.1:5857/bench/small@sha256:"
                               "d22fae1aa8113ff12195ad5dcc56ada315d4510e2e8451c152edfddc4a549666"});
    EXPECT_EQ(image->platform, k_amd64);
    EXPECT_EQ(image->size, 1085775);
    EXPECT_EQ(image->created, "2026-11-30T04:36:12.033218161Z");
    EXPECT_EQ(image->config.cmd, std::vector<std::string>{"/bin/sh"});
    EXPECT_EQ(image->raw["configuration"]["name"], "127.0.0.1:5857/bench/small:1");
  }
}

TEST(AppleDecodeImage, MultiArchPicksThePlatformAskedFor)
{
  auto doc = json_fixture("apple/1.2/image-inspect-index.json");
  auto arm = decode_image(doc, "127.0.0.1:5857/bench/multi:1", k_arm64);
  ASSERT_TRUE(arm);
  EXPECT_EQ(arm->platform, k_arm64);
  EXPECT_EQ(arm->digest, "sha256:d5e9c682dd1ca59f067fece6b0053cb154f6251ac5d32960ca255f72afc369f9");
  EXPECT_EQ(arm->size, 1038281);
  auto amd = decode_image(doc, "127.0.0.1:5857/bench/multi:1", k_amd64);
  EXPECT_EQ(amd->digest, "sha256:2c333df2961b00974fdf135ef8444910bb47ada025cc7c95cc659d2527da7f2e");
  // Nothing asked: the first runnable variant.
  EXPECT_EQ(decode_image(doc, "127.0.0.1:5857/bench/multi:1", std::nullopt)->platform, k_amd64);
}

TEST(AppleDecodeImage, DropsAttestationVariants)
{
  auto platforms = image_platforms(json_fixture("apple/1.2/image-inspect-index.json")[0]);
  EXPECT_EQ(platforms, (std::vector<core::Platform>{k_amd64, k_arm64}));
  // Asked for a platform it lacks, an attestation is never described.
  auto image = decode_image(json_fixture("apple/1.2/image-inspect-index.json"), "x",
                            core::Platform{"unknown", "unknown", ""});
  EXPECT_EQ(image->platform, k_amd64);
}

TEST(AppleDecodeImage, PlatformPulledListsOneVariant)
{
  auto doc = json_fixture("apple/1.2/image-inspect-platform.json");
  EXPECT_EQ(image_platforms(doc[0]), std::vector<core::Platform>{k_amd64});
}

TEST(AppleDecodeImage, ADigestInTheNameAskedIsTheDigest)
{
  auto image = decode_image(json_fixture("apple/1.2/image-inspect-single.json"),
                            "127.0.0.1:5857/bench/small@sha256:"
                            "d22fae1aa8113ff12195ad5dcc56ada315d4510e2e8451c152edfddc4a549666",
                            std::nullopt);
  EXPECT_EQ(image->digest,
            "sha256:d22fae1aa8113ff12195ad5dcc56ada315d4510e2e8451c152edfddc4a549666");
}

TEST(AppleDecodeImage, Reads012Shape)
{
  auto single = decode_image(json_fixture("apple/0.12/image-inspect-single.json"),
                             "127.0.0.1:5857/bench/small:1", std::nullopt);
  ASSERT_TRUE(single);
  // 0.x: `index` of a single-manifest image is the registry's manifest.
  EXPECT_EQ(single->digest,
            "sha256:d22fae1aa8113ff12195ad5dcc56ada315d4510e2e8451c152edfddc4a549666");
  EXPECT_EQ(single->platform, k_amd64);
  EXPECT_EQ(single->repo_tags, std::vector<std::string>{"127.0.0.1:5857/bench/small:1"});

  auto index = decode_image(json_fixture("apple/0.12/image-inspect-index.json"),
                            "127.0.0.1:5857/bench/multi:1", k_arm64);
  EXPECT_EQ(index->platform, k_arm64);
  EXPECT_EQ(index->size, 1038281);
  // 0.x names no per-variant digest: unknown rather than the index's.
  EXPECT_FALSE(index->digest);
  EXPECT_EQ(image_platforms(json_fixture("apple/0.12/image-inspect-index.json")[0]).size(), 2U);
}

TEST(AppleDecodeImage, EmptyArrayIsAbsentAndOtherShapesAreProtocolErrors)
{
  EXPECT_FALSE(decode_image(nlohmann::json::array(), "x", std::nullopt));
  EXPECT_EQ(error_of([] { decode_image(nlohmann::json::object(), "x", std::nullopt); }).code(),
            Errc::protocol);
  EXPECT_EQ(error_of([] { decode_image(nlohmann::json::parse("[1]"), "x", std::nullopt); }).code(),
            Errc::protocol);
}

TEST(AppleDecodeContainer, Reads1xRunning)
{
  auto c = decode_container(json_fixture("apple/1.2/container-inspect-running.json"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->backend, "apple");
  EXPECT_EQ(c->id, "web");
  EXPECT_EQ(c->name, "web");
  EXPECT_EQ(c->reference, "127.0.0.1:5857/bench/small:1");
  EXPECT_EQ(c->image_id, "sha256:e25a0940e39caf5b6cc8c4362b204061727af602c133ea415134dfc7b53c0737");
  EXPECT_EQ(c->platform, k_amd64);
  EXPECT_EQ(c->created, "2026-11-30T05:02:26Z");
  EXPECT_EQ(c->config.entrypoint, std::vector<std::string>{"sleep"});
  EXPECT_EQ(c->config.cmd, std::vector<std::string>{"300"});
  EXPECT_EQ(c->config.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(c->config.user, "0:0");
  EXPECT_EQ(c->config.working_dir, "/");
  EXPECT_EQ(c->state.status, "running");
  EXPECT_TRUE(c->state.running);
  EXPECT_EQ(c->state.started_at, "2026-11-30T05:02:27Z");
  EXPECT_FALSE(c->state.exit_code_known);
  nlohmann::json unified = to_json(*c);
  EXPECT_TRUE(unified["exit_code"].is_null());
  EXPECT_TRUE(unified["state"]["exit_code"].is_null());
}

TEST(AppleDecodeContainer, StoppedIsExitedWithNoExitCode)
{
  auto c = decode_container(json_fixture("apple/1.2/container-inspect-stopped.json"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->state.status, "exited");
  EXPECT_FALSE(c->state.running);
  EXPECT_EQ(c->platform, k_arm64);
  EXPECT_EQ(c->config.cmd, (std::vector<std::string>{"-c", "exit 3"}));
  nlohmann::json unified = to_json(*c);
  EXPECT_TRUE(unified["exit_code"].is_null());
}

TEST(AppleDecodeContainer, Reads012ShapeWithReferenceDates)
{
  auto c = decode_container(json_fixture("apple/0.12/container-inspect-running.json"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->id, "web");
  EXPECT_EQ(c->state.status, "running");
  EXPECT_EQ(c->platform, k_amd64);
  EXPECT_EQ(c->reference, "127.0.0.1:5857/bench/small:1");
  // 817707747 s after 2001-01-01.
  EXPECT_EQ(c->state.started_at, "2026-11-30T05:02:27Z");
  EXPECT_EQ(c->created, "");
  EXPECT_FALSE(decode_container(json_fixture("apple/0.12/container-inspect-missing.json")));
}

TEST(AppleDecodeContainer, UserNamedByTheImage)
{
  auto doc = json_fixture("apple/1.2/container-inspect-running.json");
  doc[0]["configuration"]["initProcess"]["user"] = {{"raw", {{"userString", "nginx"}}}};
  EXPECT_EQ(decode_container(doc)->config.user, "nginx");
}

TEST(AppleDates, ReferenceSecondsAreSince2001)
{
  EXPECT_EQ(date_from_reference_seconds(0), "2001-01-01T00:00:00Z");
  EXPECT_EQ(date_from_reference_seconds(86400.9), "2001-01-02T00:00:00Z");
}

} // namespace
} // namespace crun::backends::apple
