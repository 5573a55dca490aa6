#include <crun/backends/registry_auth.hpp>

#include <crun/backends/docker/docker_api.hpp>
#include <crun/backends/podman/podman_api.hpp>
#include <crun/util/base64.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crun::backends {
namespace {

// Go's base64.URLEncoding: '-' and '_' instead of '+' and '/', padded.
nlohmann::json decode(std::string value)
{
  for (char& c : value) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  auto text = util::base64_decode(value);
  EXPECT_TRUE(text.has_value());
  return nlohmann::json::parse(text.value_or("null"));
}

TEST(RegistryAuth, PasswordCredentialsAsTheEnginesDecodeThem)
{
  // A password whose base64 holds '+' and '/' in the standard alphabet.
  registry::Credentials credentials{"ci-bot", "s3cr?t>>~~", "", "test"};
  std::string header = encode_registry_auth(credentials, "registry.example.com");
  EXPECT_EQ(header.find_first_of("+/"), std::string::npos) << header;
  EXPECT_EQ(header.size() % 4, 0u) << "padded";
  EXPECT_EQ(decode(header), nlohmann::json({{"username", "ci-bot"},
                                            {"password", "s3cr?t>>~~"},
                                            {"serveraddress", "registry.example.com"}}));
}

TEST(RegistryAuth, IdentityTokenReplacesUserAndPassword)
{
  registry::Credentials credentials{"<token>", "", "refresh-token", "test"};
  EXPECT_EQ(decode(encode_registry_auth(credentials, "https://index.docker.io/v1/")),
            nlohmann::json({{"identitytoken", "refresh-token"},
                            {"serveraddress", "https://index.docker.io/v1/"}}));
}

TEST(RegistryAuth, BothEnginesSendTheHeaderOnPull)
{
  auto ref = core::ImageRef::parse("ghcr.io/org/app:1");
  auto platform = core::Platform::parse("linux/amd64");
  registry::Credentials credentials{"ci-bot", "pw", "", "test"};
  const std::string docker_root = docker::api_root("1.41");
  const std::string podman_root = podman::api_root("4.3.1");
  auto docker_pull = docker::make_pull_request(docker_root, ref, platform, credentials);
  auto podman_pull = podman::make_pull_request(podman_root, ref, platform, credentials);
  for (const auto* req : {&docker_pull, &podman_pull}) {
    ASSERT_EQ(req->headers.size(), 1u);
    EXPECT_EQ(req->headers[0].first, "X-Registry-Auth");
    EXPECT_EQ(
      decode(req->headers[0].second),
      nlohmann::json({{"username", "ci-bot"}, {"password", "pw"}, {"serveraddress", "ghcr.io"}}));
  }
  EXPECT_TRUE(docker::make_pull_request(docker_root, ref, platform, std::nullopt).headers.empty());
  EXPECT_TRUE(podman::make_pull_request(podman_root, ref, platform).headers.empty());
}

TEST(RegistryAuth, DockerHubCredentialsNameItsAuthKey)
{
  transport::HttpRequest req;
  add_registry_auth(req, core::ImageRef::parse("busybox"),
                    registry::Credentials{"", "", "refresh-token", "test"});
  ASSERT_EQ(req.headers.size(), 1u);
  EXPECT_EQ(decode(req.headers[0].second)["serveraddress"], "https://index.docker.io/v1/");
}

} // namespace
} // namespace crun::backends
