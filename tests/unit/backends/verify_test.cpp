// verify's judgement over hand-made inspect results: the content (the ID,
// the config digest) decides, never a RepoDigest.
#include <crun/backends/verify.hpp>

#include <gtest/gtest.h>

namespace crun::backends {
namespace {

const std::string k_repo = "127.0.0.1:5857/bench/multi";
const std::string k_index = "sha256:" + std::string(64, '1');
const std::string k_manifest = "sha256:" + std::string(64, '2');
const std::string k_config = "sha256:" + std::string(64, '3');
const std::string k_other = "sha256:" + std::string(64, '4');

VerifyExpectation expected()
{
  return {"lock", core::Digest::parse(k_index), core::Digest::parse(k_manifest),
          core::Digest::parse(k_config)};
}

ImageInfo image(const std::string& backend, const std::string& id,
                std::vector<std::string> repo_digests = {})
{
  ImageInfo info;
  info.backend = backend;
  info.id = id;
  info.repo_digests = std::move(repo_digests);
  return info;
}

TEST(Verify, TheImageWhoseIdIsTheExpectedConfigMatches)
{
  for (const char* backend : {"docker", "podman"}) {
    SCOPED_TRACE(backend);
    // Docker 20.10 may record the index's digest, or none at all: no matter.
    for (const auto& digests :
         {std::vector<std::string>{k_repo + "@" + k_index},
          std::vector<std::string>{k_repo + "@" + k_manifest}, std::vector<std::string>{}}) {
      auto result = compare_local_image(image(backend, k_config, digests), expected(), k_repo);
      EXPECT_EQ(result.verdict, VerifyVerdict::match);
      EXPECT_EQ(result.compared, "id");
      EXPECT_EQ(result.local, k_config);
    }
  }
}

TEST(Verify, ARetagOrImportUnderTheNameIsCaughtWhateverItsRepoDigests)
{
  // Podman lists a RepoDigest for an import tagged under a registry name;
  // one claiming the locked manifest proves nothing: the ID differs.
  auto result =
    compare_local_image(image("podman", k_other, {k_repo + "@" + k_manifest}), expected(), k_repo);
  EXPECT_EQ(result.verdict, VerifyVerdict::mismatch);
  EXPECT_EQ(result.local, k_other);
  EXPECT_EQ(result.expected, k_config);
  EXPECT_EQ(result.local_digest, k_manifest);
}

TEST(Verify, NoLocalImageIsAbsent)
{
  auto result = compare_local_image(std::nullopt, expected(), k_repo);
  EXPECT_EQ(result.verdict, VerifyVerdict::absent);
  EXPECT_EQ(result.local, "");
  EXPECT_EQ(result.expected, k_config);
}

TEST(Verify, AppleComparesThePlatformManifestDigest)
{
  auto local = image("apple", "sha256:whatever-apple-calls-its-id");
  local.digest = k_manifest;
  auto result = compare_local_image(local, expected(), k_repo);
  EXPECT_EQ(result.verdict, VerifyVerdict::match);
  EXPECT_EQ(result.compared, "manifest");
  local.digest = k_other;
  EXPECT_EQ(compare_local_image(local, expected(), k_repo).verdict, VerifyVerdict::mismatch);
}

TEST(Verify, TheJsonObjectHasBothSidesAndTheVerdict)
{
  auto result = compare_local_image(image("docker", k_other), expected(), k_repo);
  auto doc = verify_json(k_repo + ":1", "linux/amd64", expected(), result);
  EXPECT_EQ(doc, nlohmann::json::parse(R"({
    "reference": "127.0.0.1:5857/bench/multi:1", "platform": "linux/amd64",
    "source": "lock", "verdict": "mismatch", "compared": "id",
    "local": ")" + k_other + R"(", "local_digest": null, "expected": ")" +
                                       k_config + R"(",
    "expected_digests": {"digest": ")" +
                                       k_index + R"(", "manifest": ")" + k_manifest +
                                       R"(", "config": ")" + k_config + R"("}})"));
}

} // namespace
} // namespace crun::backends
