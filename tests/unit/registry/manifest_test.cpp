#include <crun/registry/manifest.hpp>

#include "test_support.hpp"

#include <crun/registry/content_digest.hpp>
#include <crun/registry/media_types.hpp>

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using test::error_of;
using test::fixture;
using test::fixture_header;

Manifest decode_fixture(const std::string& name)
{
  return decode_manifest(fixture(name + ".json"), fixture_header(name, "Content-Type"));
}

std::string protocol_error(std::string_view body, std::string_view content_type = "")
{
  auto error = error_of([&] { decode_manifest(body, content_type); });
  EXPECT_EQ(error.code(), Errc::protocol);
  return error.message();
}

TEST(ContentDigest, MatchesWhatTheRegistryComputed)
{
  for (const char* name : {"multi-index", "multi-amd64-manifest", "small-manifest",
                           "arm64only-manifest", "small-config"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(sha256_digest(fixture(std::string(name) + ".json")).str(),
              fixture_header(name, "Docker-Content-Digest"));
  }
  EXPECT_EQ(sha256_digest("").str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(DecodeManifest, ReadsTheBenchIndex)
{
  Manifest index = decode_fixture("multi-index");
  EXPECT_TRUE(index.is_index);
  EXPECT_EQ(index.media_type, k_oci_index);
  EXPECT_FALSE(index.config);
  ASSERT_EQ(index.manifests.size(), 2u);
  EXPECT_EQ(index.manifests[0].media_type, k_oci_manifest);
  EXPECT_EQ(index.manifests[0].digest.str(),
            "sha256:cef4eaa910db88ca46154876b35aed80f75894b43343772fc8a8b47dc8f3863f");
  EXPECT_EQ(index.manifests[0].size, 348);
  EXPECT_EQ(index.manifests[0].platform, (core::Platform{"linux", "amd64", ""}));
  EXPECT_EQ(index.manifests[1].platform, (core::Platform{"linux", "arm64", ""}));
}

TEST(DecodeManifest, TakesTheTypeFromContentTypeWhenTheBodyOmitsIt)
{
  // The bench's OCI manifests have no mediaType field.
  Manifest manifest = decode_fixture("multi-amd64-manifest");
  EXPECT_FALSE(manifest.is_index);
  EXPECT_EQ(manifest.media_type, k_oci_manifest);
  ASSERT_TRUE(manifest.config);
  EXPECT_EQ(manifest.config->media_type, "application/vnd.oci.image.config.v1+json");
  EXPECT_EQ(manifest.config->digest.str(),
            "sha256:f81b55073a125266f973aebd5091c886db669879c8c974ccb191f2abbe69f460");
  EXPECT_EQ(manifest.config->size, 422);
  EXPECT_FALSE(manifest.config->platform);
}

TEST(DecodeManifest, ReadsDockerSchema2)
{
  Manifest manifest = decode_fixture("small-manifest");
  EXPECT_FALSE(manifest.is_index);
  EXPECT_EQ(manifest.media_type, k_docker_manifest);
  ASSERT_TRUE(manifest.config);
  EXPECT_EQ(manifest.config->media_type, "application/vnd.docker.container.image.v1+json");
  EXPECT_EQ(manifest.config->digest.str(),
            "sha256:342a8128c6ae209b5028a9d087b8e4701c25406d6dabf60bdd1478279314617e");
  EXPECT_EQ(manifest.config->size, 426);
}

TEST(DecodeManifest, ReadsADockerManifestListWithVariants)
{
  Manifest list = decode_manifest(fixture("hand-docker-manifest-list.json"),
                                  "application/vnd.docker.distribution.manifest.list.v2+json");
  EXPECT_TRUE(list.is_index);
  EXPECT_EQ(list.media_type, k_docker_manifest_list);
  ASSERT_EQ(list.manifests.size(), 4u);
  EXPECT_EQ(list.manifests[1].platform, (core::Platform{"linux", "arm", "v7"}));
  // Normalised: arm64/v8 is arm64, as containerd names it.
  EXPECT_EQ(list.manifests[2].platform, (core::Platform{"linux", "arm64", ""}));
  EXPECT_EQ(list.manifests[3].platform, (core::Platform{"windows", "amd64", ""}));
}

TEST(DecodeManifest, DropsAttestationEntries)
{
  Manifest index = decode_manifest(fixture("hand-oci-index-attestations.json"),
                                   "application/vnd.oci.image.index.v1+json");
  ASSERT_EQ(index.manifests.size(), 2u);
  EXPECT_EQ(index.manifests[0].platform->str(), "linux/amd64");
  EXPECT_EQ(index.manifests[1].platform->str(), "linux/arm64");
}

TEST(DecodeManifest, IgnoresContentTypeParametersAndGuessesPlainJson)
{
  auto body = fixture("multi-index.json");
  EXPECT_TRUE(
    decode_manifest(body, "application/vnd.oci.image.index.v1+json; charset=utf-8").is_index);
  // Without mediaType in the body and a generic Content-Type: the shape.
  std::string manifest = fixture("arm64only-manifest.json");
  Manifest guessed = decode_manifest(manifest, "application/json");
  EXPECT_FALSE(guessed.is_index);
  EXPECT_EQ(guessed.media_type, k_oci_manifest);
  Manifest index = decode_manifest(R"({"schemaVersion":2,"manifests":[]})", "");
  EXPECT_TRUE(index.is_index);
  EXPECT_EQ(index.media_type, k_oci_index);
}

TEST(DecodeManifest, RefusesSchema1Clearly)
{
  const char* expected =
    "the manifest uses the Docker schema 1 format, which crun-any does not read: push the "
    "image again with a current docker or podman";
  EXPECT_EQ(protocol_error(fixture("hand-schema1-manifest.json"),
                           "application/vnd.docker.distribution.manifest.v1+prettyjws"),
            expected);
  EXPECT_EQ(protocol_error(fixture("hand-schema1-manifest.json"), "application/json"), expected);
  EXPECT_EQ(protocol_error("{}", "application/vnd.docker.distribution.manifest.v1+json"), expected);
}

TEST(DecodeManifest, NamesWhatIsWrong)
{
  const struct {
    std::string body;
    std::string content_type;
    std::string message;
  } rows[] = {
    {"not json", k_oci_index.data(), "the manifest is not a JSON object"},
    {"[]", k_oci_index.data(), "the manifest is not a JSON object"},
    {R"({"schemaVersion":2,"mediaType":"application/vnd.oci.artifact.manifest.v1+json"})", "",
     "unsupported manifest media type \"application/vnd.oci.artifact.manifest.v1+json\": "
     "expected an OCI image index or manifest, or a Docker manifest list or schema 2 manifest"},
    {R"({"foo":1})", "text/plain",
     "unsupported manifest media type \"text/plain\": expected an OCI image index or manifest, "
     "or a Docker manifest list or schema 2 manifest"},
    {R"({"manifests":[]})", k_oci_index.data(),
     "unsupported manifest schemaVersion (none): expected 2"},
    {R"({"schemaVersion":"2","manifests":[]})", k_oci_index.data(),
     "unsupported manifest schemaVersion \"2\": expected 2"},
    {R"({"schemaVersion":2})", k_oci_index.data(), "the index has no \"manifests\" array"},
    {R"({"schemaVersion":2})", k_oci_manifest.data(), "the manifest has no \"config\" descriptor"},
    {R"({"schemaVersion":2,"manifests":[{"digest":"sha256:x","size":1}]})", k_oci_index.data(),
     "invalid descriptor manifests[0] in the manifest: no \"mediaType\""},
    {R"({"schemaVersion":2,"config":{"mediaType":"a","size":1}})", k_oci_manifest.data(),
     "invalid descriptor config in the manifest: no \"digest\""},
    {R"({"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:x","size":-1}})",
     k_oci_manifest.data(), "invalid descriptor config in the manifest: no valid \"size\""},
    {R"({"schemaVersion":2,"config":{"mediaType":"a","digest":"md5:abc","size":1}})",
     k_oci_manifest.data(),
     "invalid descriptor config in the manifest: unsupported digest algorithm \"md5\" in "
     "\"md5:abc\": crun-any accepts sha256 digests only"},
    {R"({"schemaVersion":2,"manifests":[{"mediaType":"a","size":1,"digest":"sha256:)"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
     R"("platform":{"os":"linux"}}]})",
     k_oci_index.data(),
     "invalid descriptor manifests[0] in the manifest: its platform has no os or architecture"},
    {R"({"schemaVersion":2,"manifests":[{"mediaType":"a","size":1,"digest":"sha256:)"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
     R"("platform":"linux/amd64"}]})",
     k_oci_index.data(),
     "invalid descriptor manifests[0] in the manifest: \"platform\" is not an object"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.body);
    EXPECT_EQ(protocol_error(row.body, row.content_type), row.message);
  }
}

} // namespace
} // namespace crun::registry
