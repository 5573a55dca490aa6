#include <crun/registry/http_url.hpp>

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using test::error_of;

TEST(HttpUrl, ParsesSchemeHostPortAndTarget)
{
  auto url = HttpUrl::parse("https://auth.docker.io/token?service=registry.docker.io");
  EXPECT_TRUE(url.tls);
  EXPECT_EQ(url.host, "auth.docker.io");
  EXPECT_EQ(url.port, 443);
  EXPECT_EQ(url.target, "/token?service=registry.docker.io");
  EXPECT_EQ(url.authority(), "auth.docker.io");

  url = HttpUrl::parse("http://127.0.0.1:5857");
  EXPECT_FALSE(url.tls);
  EXPECT_EQ(url.port, 5857);
  EXPECT_EQ(url.target, "/");
  EXPECT_EQ(url.authority(), "127.0.0.1:5857");

  url = HttpUrl::parse("http://[::1]:8080/a#frag");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.target, "/a");
  EXPECT_EQ(url.authority(), "[::1]:8080");

  url = HttpUrl::parse("http://example.com?x=1");
  EXPECT_EQ(url.port, 80);
  EXPECT_EQ(url.target, "/?x=1");
}

TEST(HttpUrl, EndpointConnectsWhereTheUrlSays)
{
  auto endpoint = HttpUrl::parse("https://cdn.example.com/blob").endpoint();
  EXPECT_EQ(endpoint.kind, transport::Endpoint::Kind::tcp);
  EXPECT_EQ(endpoint.host, "cdn.example.com");
  EXPECT_EQ(endpoint.port, 443); // not docker's 2376: Endpoint::parse would pick that
  EXPECT_TRUE(endpoint.tls);
  EXPECT_TRUE(endpoint.tls_verify);
  EXPECT_TRUE(endpoint.ca_file.empty()); // the system's trust store
}

TEST(HttpUrl, ForHostPicksTheSchemeAndKeepsThePort)
{
  auto url = HttpUrl::for_host("127.0.0.1:5857", true, "/v2/");
  EXPECT_EQ(url.str(), "http://127.0.0.1:5857/v2/");
  url = HttpUrl::for_host("ghcr.io", false, "/v2/x/manifests/1");
  EXPECT_EQ(url.str(), "https://ghcr.io/v2/x/manifests/1");
  url = HttpUrl::for_host("[::1]:5000", true, "/v2/");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 5000);
}

TEST(HttpUrl, ResolvesRedirectLocations)
{
  auto base = HttpUrl::parse("https://registry.example.com/v2/app/blobs/sha256:abc");
  EXPECT_EQ(base.resolve("https://cdn.example.com/x/y?sig=1").str(), "https://cdn.example.com/x/y");
  EXPECT_EQ(base.resolve("https://cdn.example.com/x/y?sig=1").target, "/x/y?sig=1");
  EXPECT_EQ(base.resolve("//cdn.example.com:8443/z").str(), "https://cdn.example.com:8443/z");
  EXPECT_EQ(base.resolve("/other/path?q=1").target, "/other/path?q=1");
  EXPECT_EQ(base.resolve("/other/path?q=1").host, "registry.example.com");
  EXPECT_EQ(base.resolve("sibling").target, "/v2/app/blobs/sibling");
}

TEST(HttpUrl, MessagesLeaveTheQueryOut)
{
  auto url = HttpUrl::parse("https://cdn.example.com/blob?X-Amz-Signature=secret");
  EXPECT_EQ(url.str(), "https://cdn.example.com/blob");
  auto error = error_of([] { HttpUrl::parse("https://cdn.example.com:0/b?sig=secret"); });
  EXPECT_EQ(error.message(),
            "invalid port in the url \"https://cdn.example.com:0/b\" sent by the registry");
}

TEST(HttpUrl, RejectsWhatItCannotConnectTo)
{
  const struct {
    const char* url;
    const char* message;
  } rows[] = {
    {"ftp://x/y",
     "unsupported url \"ftp://x/y\" sent by the registry: expected http:// or https://"},
    {"/relative",
     "unsupported url \"/relative\" sent by the registry: expected http:// or https://"},
    {"https:///path", "invalid host in the url \"https:///path\" sent by the registry"},
    {"https://a b/", "invalid host in the url \"https://a b/\" sent by the registry"},
    {"https://host:99999/", "invalid port in the url \"https://host:99999/\" sent by the registry"},
    {"https://host:/", "invalid port in the url \"https://host:/\" sent by the registry"},
    {"https://[::1/", "invalid host in the url \"https://[::1/\" sent by the registry"},
    {"https://user:pw@host/", "unsupported url sent by the registry: it holds user information"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.url);
    auto error = error_of([&] { HttpUrl::parse(row.url); });
    EXPECT_EQ(error.code(), Errc::protocol);
    EXPECT_EQ(error.message(), row.message);
  }
}

} // namespace
} // namespace crun::registry
