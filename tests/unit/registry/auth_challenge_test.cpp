#include <crun/registry/auth_challenge.hpp>

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using test::error_of;
using Scheme = AuthChallenge::Scheme;

TEST(ParseWwwAuthenticate, ReadsDockerHubsBearerChallenge)
{
  auto challenge = parse_www_authenticate(
    R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",)"
    R"(scope="repository:library/alpine:pull")");
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->scheme, Scheme::bearer);
  EXPECT_EQ(challenge->param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ(challenge->param("service"), "registry.docker.io");
  EXPECT_EQ(challenge->param("scope"), "repository:library/alpine:pull");
  EXPECT_EQ(challenge->param("error"), std::nullopt);
}

TEST(ParseWwwAuthenticate, ReadsScopesWithCommasAndSpacesBetweenParams)
{
  auto challenge =
    parse_www_authenticate(R"(bearer  realm = "https://ghcr.io/token" , service="ghcr.io", )"
                           R"(scope="repository:a/b:pull,push", error="insufficient_scope")");
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->scheme, Scheme::bearer);
  EXPECT_EQ(challenge->param("realm"), "https://ghcr.io/token");
  EXPECT_EQ(challenge->param("scope"), "repository:a/b:pull,push");
  EXPECT_EQ(challenge->param("error"), "insufficient_scope");
}

TEST(ParseWwwAuthenticate, ReadsBasicQuotedOrNot)
{
  auto quoted = parse_www_authenticate(R"(Basic realm="Registry Realm")");
  ASSERT_TRUE(quoted);
  EXPECT_EQ(quoted->scheme, Scheme::basic);
  EXPECT_EQ(quoted->param("realm"), "Registry Realm");

  auto bare = parse_www_authenticate("Basic realm=Registry");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->scheme, Scheme::basic);
  EXPECT_EQ(bare->param("realm"), "Registry");

  auto no_params = parse_www_authenticate("BASIC");
  ASSERT_TRUE(no_params);
  EXPECT_EQ(no_params->scheme, Scheme::basic);
}

TEST(ParseWwwAuthenticate, UnescapesQuotedPairsAndLowercasesNames)
{
  auto challenge = parse_www_authenticate(R"(Bearer Realm="https://a/t\"x\\y",SERVICE=svc)");
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->param("realm"), R"(https://a/t"x\y)");
  EXPECT_EQ(challenge->param("service"), "svc");
}

TEST(ParseWwwAuthenticate, TakesTheFirstBearerOrBasicChallenge)
{
  auto challenge = parse_www_authenticate(
    R"(Negotiate abc==, Digest realm="x", nonce="y", Bearer realm="https://t/token",service=s,)"
    R"( Basic realm="r")");
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->scheme, Scheme::bearer);
  EXPECT_EQ(challenge->param("realm"), "https://t/token");
  EXPECT_EQ(challenge->param("service"), "s");
  EXPECT_EQ(challenge->params.size(), 2u);

  auto basic_first = parse_www_authenticate(R"(Basic realm="r", Bearer realm="https://t")");
  ASSERT_TRUE(basic_first);
  EXPECT_EQ(basic_first->scheme, Scheme::basic);
}

TEST(ParseWwwAuthenticate, ReturnsNothingWithoutBearerOrBasic)
{
  EXPECT_EQ(parse_www_authenticate(""), std::nullopt);
  EXPECT_EQ(parse_www_authenticate("Negotiate"), std::nullopt);
  EXPECT_EQ(parse_www_authenticate(R"(Digest realm="x", qop="auth")"), std::nullopt);
}

TEST(ParseWwwAuthenticate, RefusesWhatItCannotUse)
{
  auto no_realm = error_of([] { parse_www_authenticate(R"(Bearer service="x")"); });
  EXPECT_EQ(no_realm.code(), Errc::protocol);
  EXPECT_EQ(no_realm.message(), "the registry asked for a bearer token without naming its token "
                                "server (no realm in WWW-Authenticate)");
  auto unterminated = error_of([] { parse_www_authenticate(R"(Bearer realm="https://x)"); });
  EXPECT_EQ(unterminated.code(), Errc::protocol);
  EXPECT_EQ(unterminated.message(), "the registry sent a WWW-Authenticate header with an "
                                    "unterminated quoted string");
}

TEST(DecodeTokenResponse, PrefersAccessTokenThenToken)
{
  EXPECT_EQ(decode_token_response(R"({"token":"t1","expires_in":300})"), "t1");
  EXPECT_EQ(decode_token_response(R"({"access_token":"a1"})"), "a1");
  EXPECT_EQ(decode_token_response(R"({"token":"t1","access_token":"a1"})"), "a1");
  EXPECT_EQ(decode_token_response(R"({"token":"t1","access_token":""})"), "t1");
}

TEST(DecodeTokenResponse, NeverQuotesTheBody)
{
  const struct {
    const char* body;
    const char* message;
  } rows[] = {
    {"secret-not-json", "the token server answered with something that is not a JSON object"},
    {R"(["secret"])", "the token server answered with something that is not a JSON object"},
    {R"({"refresh_token":"secret"})",
     "the token server answered without a token (no \"token\" or \"access_token\")"},
    {R"({"token":""})",
     "the token server answered without a token (no \"token\" or \"access_token\")"},
    {R"({"token":42})",
     "the token server answered without a token (no \"token\" or \"access_token\")"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.body);
    auto error = error_of([&] { decode_token_response(row.body); });
    EXPECT_EQ(error.code(), Errc::protocol);
    EXPECT_EQ(error.message(), row.message);
  }
}

} // namespace
} // namespace crun::registry
