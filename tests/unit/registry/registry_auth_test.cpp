// RegistryClient's authentication against a fake registry and token server
// on 127.0.0.1: anonymous, Bearer (anonymous, with Basic credentials, with
// an identity token), Basic, and every refusal, whose messages must name the
// registry and the fix but never a secret.

#include "fake_registry.hpp"
#include "test_support.hpp"

#include <crun/registry/registry_client.hpp>

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using namespace std::chrono_literals;
using test::alice;
using test::error_of;
using test::FakeRegistry;
using test::FakeRequest;
using test::FixedCredentials;
using test::fixture;

constexpr auto k_timeout = 5000ms;

class RegistryAuthTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    for (const char* repo : {"bench/multi", "bench/other"}) {
      m_registry.content[std::string("/v2/") + repo + "/manifests/1"] = {
        "application/vnd.oci.image.index.v1+json", fixture("multi-index.json")};
    }
  }
  core::ImageRef ref(const std::string& rest) const
  {
    return core::ImageRef::parse(m_registry.host() + "/" + rest);
  }
  RegistryClient client(std::optional<Credentials> credentials = std::nullopt)
  {
    m_store = std::make_shared<FixedCredentials>(std::move(credentials));
    return RegistryClient(Env(), m_store, k_timeout);
  }
  std::vector<FakeRequest> token_requests() const
  {
    std::vector<FakeRequest> found;
    for (const auto& request : m_registry.requests()) {
      if (request.path == "/token") {
        found.push_back(request);
      }
    }
    return found;
  }
  // Every secret the tests use, in every form it could leak in.
  static void expect_no_secret(const Error& error)
  {
    std::string text = error.message();
    for (const auto& note : error.context()) {
      text += "\n" + note;
    }
    for (const std::string& secret :
         {std::string(test::k_password), std::string(test::k_identity_token), std::string("tok-"),
          FakeRegistry::basic_header().substr(6)}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked into: " << text;
    }
  }

  FakeRegistry m_registry;
  std::shared_ptr<FixedCredentials> m_store;
};

TEST_F(RegistryAuthTest, GoesAnonymousFirstAndNeverAsksForCredentialsWhenNotChallenged)
{
  auto registry_client = client(alice());
  registry_client.resolve(ref("bench/multi:1"));
  EXPECT_EQ(m_store->lookups, 0);
  EXPECT_EQ(m_registry.requests().size(), 1u);
}

TEST_F(RegistryAuthTest, FetchesABearerTokenForThePullScopeAndRetries)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  auto registry_client = client();
  auto resolved = registry_client.resolve(ref("bench/multi:1"));
  EXPECT_TRUE(resolved.manifest.is_index);

  auto requests = m_registry.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].path, "/v2/bench/multi/manifests/1");
  EXPECT_EQ(requests[0].header("Authorization"), "");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].path, "/token");
  EXPECT_EQ(requests[1].param("service"), "fake-registry");
  EXPECT_EQ(requests[1].param("scope"), "repository:bench/multi:pull");
  EXPECT_EQ(requests[1].header("Authorization"), ""); // no credentials: an anonymous token
  EXPECT_EQ(requests[2].path, "/v2/bench/multi/manifests/1");
  EXPECT_EQ(requests[2].header("Authorization"), "Bearer tok-1");
}

TEST_F(RegistryAuthTest, ReadsOAuthStyleTokenAnswers)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  m_registry.oauth_style = true;
  client().resolve(ref("bench/multi:1"));
  EXPECT_EQ(m_registry.requests().back().header("Authorization"), "Bearer tok-1");
}

TEST_F(RegistryAuthTest, SendsBasicCredentialsToTheTokenServer)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  m_registry.anonymous_tokens = false;
  auto registry_client = client(alice());
  registry_client.resolve(ref("bench/multi:1"));
  auto tokens = token_requests();
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].header("Authorization"), FakeRegistry::basic_header());
  EXPECT_EQ(tokens[0].param("scope"), "repository:bench/multi:pull");
  // Credentials go to the token server only, never to the registry itself.
  for (const auto& request : m_registry.requests()) {
    if (request.path != "/token") {
      EXPECT_FALSE(request.header("Authorization").starts_with("Basic")) << request.target;
    }
  }
}

TEST_F(RegistryAuthTest, ExchangesAnIdentityTokenWithAnOAuthPost)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  m_registry.anonymous_tokens = false;
  auto registry_client =
    client(Credentials{"", "", test::k_identity_token, "docker-credential-desktop"});
  registry_client.resolve(ref("bench/multi:1"));
  auto tokens = token_requests();
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].method, "POST");
  EXPECT_EQ(tokens[0].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(tokens[0].param("grant_type"), "refresh_token");
  EXPECT_EQ(tokens[0].param("refresh_token"), test::k_identity_token);
  EXPECT_EQ(tokens[0].param("service"), "fake-registry");
  EXPECT_EQ(tokens[0].param("scope"), "repository:bench/multi:pull");
  EXPECT_EQ(tokens[0].param("client_id"), "crun-any");
  EXPECT_EQ(m_registry.requests().back().header("Authorization"), "Bearer tok-1");
}

TEST_F(RegistryAuthTest, CachesTheTokenPerHostAndScope)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  auto registry_client = client(alice());
  registry_client.resolve(ref("bench/multi:1"));
  registry_client.resolve(ref("bench/multi:1"));
  EXPECT_EQ(token_requests().size(), 1u);
  EXPECT_EQ(m_registry.requests().size(), 4u); // 401, token, 200, then 200 at once
  EXPECT_EQ(m_store->lookups, 1);

  registry_client.resolve(ref("bench/other:1")); // another scope: another token
  auto tokens = token_requests();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].param("scope"), "repository:bench/other:pull");
  EXPECT_EQ(m_store->lookups, 1); // credentials are looked up once per registry
}

TEST_F(RegistryAuthTest, RenewsATokenTheRegistryNoLongerTakes)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  auto registry_client = client();
  registry_client.resolve(ref("bench/multi:1"));
  m_registry.valid_tokens.clear(); // expired
  registry_client.resolve(ref("bench/multi:1"));
  auto requests = m_registry.requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[3].header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(requests[4].path, "/token");
  EXPECT_EQ(requests[5].header("Authorization"), "Bearer tok-2");
}

TEST_F(RegistryAuthTest, AnswersABasicChallengeWithTheCredentials)
{
  m_registry.auth = FakeRegistry::Auth::basic;
  auto registry_client = client(alice());
  registry_client.resolve(ref("bench/multi:1"));
  registry_client.resolve(ref("bench/multi:1"));
  auto requests = m_registry.requests();
  ASSERT_EQ(requests.size(), 3u); // 401, 200, then 200 with the remembered header
  EXPECT_EQ(requests[0].header("Authorization"), "");
  EXPECT_EQ(requests[1].header("Authorization"), FakeRegistry::basic_header());
  EXPECT_EQ(requests[2].header("Authorization"), FakeRegistry::basic_header());
}

TEST_F(RegistryAuthTest, AsksForALoginWhenBasicAuthHasNoCredentials)
{
  m_registry.auth = FakeRegistry::Auth::basic;
  auto error = error_of([&] { client().resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("the registry {0} requires authentication for bench/multi (HTTP 401): run "
                        "`docker login {0}` (or check that the repository exists)",
                        m_registry.host()));
  EXPECT_EQ(m_registry.requests().size(), 1u);
}

TEST_F(RegistryAuthTest, AsksForALoginWhenTheTokenServerRefusesAnonymous)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  m_registry.anonymous_tokens = false;
  auto error = error_of([&] { client().resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("the registry {0} requires authentication for bench/multi (HTTP 401): run "
                        "`docker login {0}` (or check that the repository exists)",
                        m_registry.host()));
}

TEST_F(RegistryAuthTest, NamesWhereRejectedCredentialsCameFrom)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  m_registry.anonymous_tokens = false;
  Credentials wrong = alice();
  wrong.password = "not-" + wrong.password;
  auto error = error_of([&] { client(wrong).resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("the token server {0} of the registry {0} refused the credentials from "
                        "/home/alice/.docker/config.json (HTTP 401): run `docker login {0}` again",
                        m_registry.host()));
  expect_no_secret(error);

  m_registry.auth = FakeRegistry::Auth::basic;
  auto basic = error_of([&] { client(wrong).resolve(ref("bench/multi:1")); });
  EXPECT_EQ(basic.message(),
            fmt::format("the registry {0} refused the credentials from "
                        "/home/alice/.docker/config.json for bench/multi (HTTP 401): run `docker "
                        "login {0}` again",
                        m_registry.host()));
  expect_no_secret(basic);
}

TEST_F(RegistryAuthTest, GivesUpWhenTheRegistryRefusesItsOwnToken)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  // The token server grants, but the registry takes no token.
  m_registry.overrides["/token"] = {200, {}, R"({"token":"tok-unusable"})"};
  auto error = error_of([&] { client(alice()).resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("the registry {0} refused the credentials from "
                        "/home/alice/.docker/config.json for bench/multi (HTTP 401): run `docker "
                        "login {0}` again",
                        m_registry.host()));
  EXPECT_EQ(m_registry.requests().size(), 3u); // retried once, not more
  expect_no_secret(error);
}

TEST_F(RegistryAuthTest, NeverPutsASecretInAnyMessage)
{
  m_registry.auth = FakeRegistry::Auth::bearer;
  std::vector<Error> errors;
  // A token server that answers with a secret where the token should be.
  m_registry.overrides["/token"] = {200, {}, R"({"refresh":"tok-and-s3cret-pw"})"};
  errors.push_back(error_of([&] { client(alice()).resolve(ref("bench/multi:1")); }));
  m_registry.overrides["/token"] = {500, {}, "s3cret-pw in a stack trace"};
  errors.push_back(error_of([&] { client(alice()).resolve(ref("bench/multi:1")); }));
  m_registry.overrides.erase("/token");
  m_registry.anonymous_tokens = false;
  errors.push_back(error_of([&] {
    client(Credentials{"", "", "wrong-idt-s3cret", "docker-credential-x"})
      .resolve(ref("bench/multi:1"));
  }));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].code(), Errc::protocol);
  EXPECT_EQ(errors[0].message(),
            "the token server answered without a token (no \"token\" or \"access_token\")");
  EXPECT_EQ(errors[1].code(), Errc::engine_error);
  EXPECT_EQ(errors[1].message(),
            fmt::format("the token server http://{0}/token of the registry {0} answered HTTP 500 "
                        "Fake",
                        m_registry.host()));
  EXPECT_EQ(errors[2].message(),
            fmt::format("the token server {0} of the registry {0} refused the credentials from "
                        "docker-credential-x (HTTP 401): run `docker login {0}` again",
                        m_registry.host()));
  for (const auto& error : errors) {
    expect_no_secret(error);
  }
}

TEST_F(RegistryAuthTest, RefusesARegistryWithoutAChallenge)
{
  m_registry.overrides["/v2/bench/multi/manifests/1"] = {401, {}, ""};
  auto error = error_of([&] { client(alice()).resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("the registry {} refused access to bench/multi (HTTP 401) without a "
                        "Bearer or Basic challenge: crun-any cannot log in to it",
                        m_registry.host()));
}

TEST_F(RegistryAuthTest, KeepsCredentialsOffPlainHttpTokenServers)
{
  m_registry.overrides["/v2/bench/multi/manifests/1"] = {
    401, {{"WWW-Authenticate", R"(Bearer realm="http://auth.example.com/token")"}}, ""};
  auto error = error_of([&] { client(alice()).resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("the registry {} sends logins to the token server "
                        "http://auth.example.com/token over plain HTTP: crun-any will not send "
                        "credentials there",
                        m_registry.host()));
}

} // namespace
} // namespace crun::registry
