#include <crun/registry/config_credential_store.hpp>

#include "test_support.hpp"

#include <crun/util/base64.hpp>

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using test::error_of;
using test::FakeFiles;
using test::FakeHelperRunner;

const auto k_ghcr = core::ImageRef::parse("ghcr.io/org/app:1");
const auto k_hub = core::ImageRef::parse("alpine:3");
const auto k_bench = core::ImageRef::parse("127.0.0.1:5857/bench/multi:1");

class ConfigCredentialStoreTest : public ::testing::Test {
protected:
  ConfigCredentialStore store(Env env = Env({{"HOME", "/home/u"}}))
  {
    return ConfigCredentialStore(std::move(env), m_files, m_helpers);
  }
  void docker_config(const std::string& json)
  {
    m_files->files["/home/u/.docker/config.json"] = json;
  }

  std::shared_ptr<FakeFiles> m_files = std::make_shared<FakeFiles>();
  std::shared_ptr<FakeHelperRunner> m_helpers = std::make_shared<FakeHelperRunner>();
};

TEST_F(ConfigCredentialStoreTest, FindsNothingWithoutFiles)
{
  EXPECT_EQ(store().find(k_ghcr), std::nullopt);
  EXPECT_EQ(store(Env()).find(k_ghcr), std::nullopt);
  EXPECT_TRUE(m_helpers->calls.empty());
}

TEST_F(ConfigCredentialStoreTest, DecodesAuthsFromDockerConfig)
{
  docker_config(R"({"auths":{"ghcr.io":{"auth":")" + util::base64_encode("me:pa:ss") + R"("}}})");
  auto found = store().find(k_ghcr);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "me");
  EXPECT_EQ(found->password, "pa:ss"); // only the first colon separates
  EXPECT_EQ(found->source, "/home/u/.docker/config.json");
  EXPECT_EQ(store().find(k_bench), std::nullopt);
}

TEST_F(ConfigCredentialStoreTest, HonoursDockerConfigVariable)
{
  m_files->files["/cfg/config.json"] =
    R"({"auths":{"127.0.0.1:5857":{"username":"u","password":"p"}}})";
  auto found = store(Env({{"HOME", "/home/u"}, {"DOCKER_CONFIG", "/cfg"}})).find(k_bench);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "u");
  EXPECT_EQ(found->password, "p");
  EXPECT_EQ(found->source, "/cfg/config.json");
}

TEST_F(ConfigCredentialStoreTest, UsesDockerHubsLegacyKey)
{
  EXPECT_EQ(docker_auth_key(k_hub), "https://index.docker.io/v1/");
  EXPECT_EQ(docker_auth_key(k_ghcr), "ghcr.io");
  docker_config(R"({"auths":{"docker.io":{"auth":")" + util::base64_encode("wrong:key") +
                R"("},"https://index.docker.io/v1/":{"auth":")" + util::base64_encode("hub:pw") +
                R"(","identitytoken":"idt"}}})");
  auto found = store().find(k_hub);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "hub");
  EXPECT_EQ(found->identity_token, "idt");
}

TEST_F(ConfigCredentialStoreTest, MatchesKeysWrittenAsUrls)
{
  docker_config(R"({"auths":{"https://ghcr.io/v2/":{"auth":")" + util::base64_encode("a:b") +
                R"("}}})");
  auto found = store().find(k_ghcr);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "a");
}

TEST_F(ConfigCredentialStoreTest, AsksTheRegistrysCredHelperFirst)
{
  docker_config(R"({"credsStore":"desktop","credHelpers":{"ghcr.io":"gh"},)"
                R"("auths":{"ghcr.io":{"auth":")" +
                util::base64_encode("file:pw") + R"("}}})");
  m_helpers->answer = [](const std::vector<std::string>&, std::string_view) {
    return HelperResult{0, R"({"Username":"helper","Secret":"pw"})"};
  };
  auto found = store().find(k_ghcr);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "helper");
  EXPECT_EQ(found->source, "docker-credential-gh");
  ASSERT_EQ(m_helpers->calls.size(), 1u);
  EXPECT_EQ(m_helpers->calls[0].argv[0], "docker-credential-gh");
  EXPECT_EQ(m_helpers->calls[0].input, "ghcr.io");
}

TEST_F(ConfigCredentialStoreTest, AsksCredsStoreWithDockerHubsServerUrl)
{
  docker_config(R"({"credsStore":"desktop","auths":{"https://index.docker.io/v1/":{}}})");
  m_helpers->answer = [](const std::vector<std::string>&, std::string_view) {
    return HelperResult{0, R"({"Username":"hubuser","Secret":"pw"})"};
  };
  auto found = store().find(k_hub);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "hubuser");
  ASSERT_EQ(m_helpers->calls.size(), 1u);
  EXPECT_EQ(m_helpers->calls[0].argv,
            (std::vector<std::string>{"docker-credential-desktop", "get"}));
  EXPECT_EQ(m_helpers->calls[0].input, "https://index.docker.io/v1/");
}

TEST_F(ConfigCredentialStoreTest, FallsThroughWhenTheHelperHasNone)
{
  docker_config(R"({"credsStore":"desktop","auths":{"ghcr.io":{"auth":")" +
                util::base64_encode("file:pw") + R"("}}})");
  auto found = store().find(k_ghcr); // the helper says "credentials not found"
  ASSERT_TRUE(found);
  EXPECT_EQ(found->username, "file");

  m_files->files["/home/u/.config/containers/auth.json"] =
    R"({"auths":{"127.0.0.1:5857":{"auth":")" + util::base64_encode("pod:man") + R"("}}})";
  auto from_podman = store().find(k_bench);
  ASSERT_TRUE(from_podman);
  EXPECT_EQ(from_podman->username, "pod");
  EXPECT_EQ(from_podman->source, "/home/u/.config/containers/auth.json");
}

TEST_F(ConfigCredentialStoreTest, ReadsContainersAuthFilesInOrder)
{
  Env env({{"HOME", "/home/u"}, {"XDG_RUNTIME_DIR", "/run/user/1000"}});
  m_files->files["/home/u/.config/containers/auth.json"] =
    R"({"auths":{"ghcr.io":{"auth":")" + util::base64_encode("config:pw") + R"("}}})";
  EXPECT_EQ(store(env).find(k_ghcr)->username, "config");

  m_files->files["/run/user/1000/containers/auth.json"] =
    R"({"auths":{"ghcr.io":{"auth":")" + util::base64_encode("runtime:pw") + R"("}}})";
  EXPECT_EQ(store(env).find(k_ghcr)->username, "runtime");

  // REGISTRY_AUTH_FILE replaces both defaults, as in c/image.
  env.set("REGISTRY_AUTH_FILE", "/x/auth.json");
  EXPECT_EQ(store(env).find(k_ghcr), std::nullopt);
  m_files->files["/x/auth.json"] =
    R"({"auths":{"ghcr.io":{"auth":")" + util::base64_encode("explicit:pw") + R"("}}})";
  EXPECT_EQ(store(env).find(k_ghcr)->username, "explicit");
}

TEST_F(ConfigCredentialStoreTest, PrefersTheMostSpecificAuthJsonKey)
{
  m_files->files["/home/u/.config/containers/auth.json"] =
    R"({"auths":{"ghcr.io":{"auth":")" + util::base64_encode("host:pw") +
    R"("},"ghcr.io/org":{"auth":")" + util::base64_encode("org:pw") +
    R"("},"ghcr.io/other":{"auth":")" + util::base64_encode("other:pw") + R"("}}})";
  EXPECT_EQ(store().find(k_ghcr)->username, "org");
  EXPECT_EQ(store().find(core::ImageRef::parse("ghcr.io/third/app"))->username, "host");
}

TEST_F(ConfigCredentialStoreTest, FindsDockerHubInAuthJson)
{
  m_files->files["/home/u/.config/containers/auth.json"] =
    R"({"auths":{"docker.io":{"auth":")" + util::base64_encode("hub:pw") + R"("}}})";
  EXPECT_EQ(store().find(k_hub)->username, "hub");
  m_files->files["/home/u/.config/containers/auth.json"] =
    R"({"auths":{"https://index.docker.io/v1/":{"auth":")" + util::base64_encode("legacy:pw") +
    R"("}}})";
  EXPECT_EQ(store().find(k_hub)->username, "legacy");
}

TEST_F(ConfigCredentialStoreTest, SkipsEntriesWithoutCredentials)
{
  docker_config(R"({"auths":{"ghcr.io":{}}})");
  EXPECT_EQ(store().find(k_ghcr), std::nullopt);
}

TEST_F(ConfigCredentialStoreTest, NamesTheFileButNeverTheSecret)
{
  docker_config(R"({"auths":{"ghcr.io":{"auth":"hunter2-not-base64!"}}})");
  auto bad_auth = error_of([&] { store().find(k_ghcr); });
  EXPECT_EQ(bad_auth.code(), Errc::invalid_input);
  EXPECT_EQ(bad_auth.message(), "the \"auth\" entry for ghcr.io in /home/u/.docker/config.json "
                                "is not base64 of \"user:password\": log in again");

  docker_config(R"({"auths":{"ghcr.io":{"auth":")" + util::base64_encode("nocolon") + R"("}}})");
  EXPECT_EQ(error_of([&] { store().find(k_ghcr); }).message(), bad_auth.message());

  docker_config(R"({"auths":{"ghcr.io":{"auth":"hunter2"})");
  auto bad_json = error_of([&] { store().find(k_ghcr); });
  EXPECT_EQ(bad_json.code(), Errc::invalid_input);
  EXPECT_EQ(bad_json.message(),
            "/home/u/.docker/config.json is not a valid JSON object: fix it or log in again");
}

TEST_F(ConfigCredentialStoreTest, NamesTheFileThatConfiguredAFailingHelper)
{
  docker_config(R"({"credsStore":"broken"})");
  m_helpers->answer = [](const std::vector<std::string>&, std::string_view) -> HelperResult {
    fail(Errc::invalid_input,
         "the credential helper docker-credential-broken is not installed (not found in PATH)");
  };
  auto error = error_of([&] { store().find(k_ghcr); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  ASSERT_EQ(error.context().size(), 1u);
  EXPECT_EQ(error.context()[0], "asking the credential helper that "
                                "/home/u/.docker/config.json names for ghcr.io");
}

} // namespace
} // namespace crun::registry
