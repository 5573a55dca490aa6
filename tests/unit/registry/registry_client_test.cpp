// RegistryClient against a fake registry on 127.0.0.1: resolving, digest
// checks, error answers, config blobs behind redirects. Authentication is in
// registry_auth_test.cpp.

#include <crun/registry/registry_client.hpp>

#include "fake_registry.hpp"
#include "support/fake_http_server.hpp"
#include "support/socket_io.hpp"
#include "test_support.hpp"

#include <crun/registry/media_types.hpp>

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using namespace std::chrono_literals;
using test::error_of;
using test::FakeRegistry;
using test::FakeResponse;
using test::fixture;

constexpr auto k_timeout = 5000ms;
constexpr const char* k_small_config_digest =
  "sha256:342a8128c6ae209b5028a9d087b8e4701c25406d6dabf60bdd1478279314617e";

class RegistryClientTest : public ::testing::Test {
protected:
  void SetUp() override
  {
    m_registry.content["/v2/bench/multi/manifests/1"] = {"application/vnd.oci.image.index.v1+json",
                                                         fixture("multi-index.json")};
    m_registry.content["/v2/bench/small/manifests/1"] = {
      "application/vnd.docker.distribution.manifest.v2+json", fixture("small-manifest.json")};
    m_registry.content[std::string("/v2/bench/small/blobs/") + k_small_config_digest] = {
      "application/octet-stream", fixture("small-config.json")};
  }
  core::ImageRef ref(const std::string& rest) const
  {
    return core::ImageRef::parse(m_registry.host() + "/" + rest);
  }
  RegistryClient client(const Env& env = {}) { return RegistryClient(env, nullptr, k_timeout); }

  FakeRegistry m_registry;
};

TEST_F(RegistryClientTest, ResolvesATagAnonymously)
{
  auto resolved = client().resolve(ref("bench/multi:1"));
  EXPECT_EQ(resolved.ref, ref("bench/multi:1"));
  EXPECT_EQ(resolved.digest, sha256_digest(fixture("multi-index.json")));
  EXPECT_TRUE(resolved.manifest.is_index);
  ASSERT_EQ(resolved.manifest.manifests.size(), 2u);

  auto requests = m_registry.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v2/bench/multi/manifests/1");
  EXPECT_EQ(requests[0].header("Accept"), k_manifest_accept);
  EXPECT_EQ(requests[0].header("Host"), m_registry.host());
  EXPECT_EQ(requests[0].header("User-Agent"), "crun-any/" CRUN_ANY_VERSION);
  EXPECT_EQ(requests[0].header("Authorization"), "");
}

TEST_F(RegistryClientTest, ResolvesLatestAndDigests)
{
  m_registry.content["/v2/bench/small/manifests/latest"] =
    m_registry.content["/v2/bench/small/manifests/1"];
  EXPECT_FALSE(client().resolve(ref("bench/small")).manifest.is_index);

  auto digest = sha256_digest(fixture("small-manifest.json"));
  m_registry.content["/v2/bench/small/manifests/" + digest.str()] =
    m_registry.content["/v2/bench/small/manifests/1"];
  // By digest, even when a tag is written too: the digest pins.
  auto resolved = client().resolve(ref("bench/small:nosuchtag@" + digest.str()));
  EXPECT_EQ(resolved.digest, digest);
  EXPECT_EQ(m_registry.requests().back().target, "/v2/bench/small/manifests/" + digest.str());
}

TEST_F(RegistryClientTest, DetectsContentThatDoesNotMatchDockerContentDigest)
{
  std::string wrong = "sha256:" + std::string(64, '0');
  m_registry.content["/v2/bench/multi/manifests/1"].digest_header = wrong;
  auto error = error_of([&] { client().resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("registry {0} served content whose digest does not match its "
                        "Docker-Content-Digest for {0}/bench/multi:1: expected {1}, got {2}",
                        m_registry.host(), wrong, sha256_digest(fixture("multi-index.json"))));
}

TEST_F(RegistryClientTest, DetectsContentThatDoesNotMatchThePinnedDigest)
{
  // The registry answers a digest request with other bytes, and no header.
  std::string pinned = "sha256:" + std::string(64, 'a');
  m_registry.content["/v2/bench/multi/manifests/" + pinned] = {
    "application/vnd.oci.image.index.v1+json", fixture("multi-index.json"), ""};
  auto error = error_of([&] { client().resolve(ref("bench/multi@" + pinned)); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("registry {0} served content whose digest does not match "
                        "{0}/bench/multi@{1}: expected {1}, got {2}",
                        m_registry.host(), pinned, sha256_digest(fixture("multi-index.json"))));
}

TEST_F(RegistryClientTest, SaysAMissingTagIsNotInTheRegistry)
{
  auto error = error_of([&] { client().resolve(ref("bench/nope:1")); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(), m_registry.host() + "/bench/nope:1 is not in the registry "
                                                 "(manifest unknown)");

  m_registry.overrides["/v2/bench/gone/manifests/1"] = FakeResponse{404, {}, "not json"};
  EXPECT_EQ(error_of([&] { client().resolve(ref("bench/gone:1")); }).message(),
            m_registry.host() + "/bench/gone:1 is not in the registry (HTTP 404)");
}

TEST_F(RegistryClientTest, NamesTheRegistryForOtherFailures)
{
  m_registry.overrides["/v2/bench/multi/manifests/1"] = FakeResponse{
    502, {}, R"({"errors":[{"code":"UNAVAILABLE","message":"service\nunavailable"}]})"};
  auto error = error_of([&] { client().resolve(ref("bench/multi:1")); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), fmt::format("the registry {0} answered HTTP 502 Fake for the "
                                         "manifest of {0}/bench/multi:1: service unavailable",
                                         m_registry.host()));

  m_registry.overrides["/v2/bench/multi/manifests/1"] =
    FakeResponse{403, {}, R"({"errors":[{"code":"DENIED","message":""}]})"};
  EXPECT_EQ(error_of([&] { client().resolve(ref("bench/multi:1")); }).message(),
            fmt::format("the registry {} denied access to bench/multi (HTTP 403: denied): check "
                        "that your login may pull it",
                        m_registry.host()));
  // 429 and 503 are retried first: registry_retry_test.cpp.
}

TEST_F(RegistryClientTest, RefusesSchema1WithTheImageInContext)
{
  m_registry.content["/v2/old/app/manifests/1"] = {
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    fixture("hand-schema1-manifest.json")};
  auto error = error_of([&] { client().resolve(ref("old/app:1")); });
  EXPECT_EQ(error.code(), Errc::protocol);
  EXPECT_EQ(error.message(),
            "the manifest uses the Docker schema 1 format, which crun-any does not read: push the "
            "image again with a current docker or podman");
  ASSERT_EQ(error.context().size(), 1u);
  EXPECT_EQ(error.context()[0], "reading the manifest of " + m_registry.host() + "/old/app:1");
}

TEST_F(RegistryClientTest, RefusesAManifestOverFourMiB)
{
  m_registry.content["/v2/big/app/manifests/1"] = {"application/vnd.oci.image.index.v1+json",
                                                   std::string(4 * 1024 * 1024 + 1, ' ')};
  auto error = error_of([&] { client().resolve(ref("big/app:1")); });
  EXPECT_EQ(error.code(), Errc::protocol);
}

TEST_F(RegistryClientTest, ReadsTheConfigPlatform)
{
  auto resolved = client().resolve(ref("bench/small:1"));
  ASSERT_TRUE(resolved.manifest.config);
  EXPECT_EQ(client().config_platform(ref("bench/small:1"), *resolved.manifest.config).str(),
            "linux/amd64");
  EXPECT_EQ(m_registry.requests().back().target,
            std::string("/v2/bench/small/blobs/") + k_small_config_digest);
}

TEST_F(RegistryClientTest, FollowsRedirectsToACdnWithoutTheAuthorization)
{
  // Bearer auth, so that there is an Authorization to leak. The blob
  // redirects to another host (localhost is not 127.0.0.1 to the client)
  // with a signed query, which redirects relative to itself.
  m_registry.auth = FakeRegistry::Auth::bearer;
  std::string blob = std::string("/v2/bench/small/blobs/") + k_small_config_digest;
  m_registry.content["/cdn/config"] = m_registry.content[blob];
  m_registry.content.erase(blob);
  std::string cdn = "localhost:" + std::to_string(m_registry.port());
  m_registry.overrides[blob] = FakeResponse{307, {{"Location", "http://" + cdn + "/hop?sig=abc"}}};
  m_registry.overrides["/hop"] = FakeResponse{302, {{"Location", "/cdn/config"}}};

  auto registry_client = client();
  auto resolved = registry_client.resolve(ref("bench/small:1"));
  EXPECT_EQ(registry_client.config_platform(ref("bench/small:1"), *resolved.manifest.config).str(),
            "linux/amd64");

  auto requests = m_registry.requests();
  ASSERT_GE(requests.size(), 3u);
  const auto& to_registry = requests[requests.size() - 3];
  const auto& hop = requests[requests.size() - 2];
  const auto& to_cdn = requests[requests.size() - 1];
  EXPECT_EQ(to_registry.target, blob);
  EXPECT_TRUE(to_registry.header("Authorization").starts_with("Bearer tok-"));
  EXPECT_EQ(hop.target, "/hop?sig=abc");
  EXPECT_EQ(hop.header("Host"), cdn);
  EXPECT_EQ(hop.header("Authorization"), "");
  EXPECT_EQ(to_cdn.target, "/cdn/config");
  EXPECT_EQ(to_cdn.header("Host"), cdn);
  EXPECT_EQ(to_cdn.header("Authorization"), "");
}

TEST_F(RegistryClientTest, StopsAfterThreeRedirects)
{
  std::string blob = std::string("/v2/bench/small/blobs/") + k_small_config_digest;
  m_registry.overrides[blob] = FakeResponse{302, {{"Location", "/loop?n=1"}}};
  m_registry.overrides["/loop"] = FakeResponse{302, {{"Location", "/loop?n=2"}}};
  auto resolved = client().resolve(ref("bench/small:1"));
  auto error =
    error_of([&] { client().config_platform(ref("bench/small:1"), *resolved.manifest.config); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(), fmt::format("http://{}{} redirected more than 3 times (last to "
                                         "http://{}/loop)",
                                         m_registry.host(), blob, m_registry.host()));
}

TEST_F(RegistryClientTest, ChecksTheConfigDigest)
{
  std::string blob = std::string("/v2/bench/small/blobs/") + k_small_config_digest;
  m_registry.content[blob].body = fixture("multi-amd64-config.json");
  auto resolved = client().resolve(ref("bench/small:1"));
  auto error =
    error_of([&] { client().config_platform(ref("bench/small:1"), *resolved.manifest.config); });
  EXPECT_EQ(error.code(), Errc::engine_error);
  EXPECT_EQ(error.message(),
            fmt::format("registry {0} served content whose digest does not match the image config "
                        "{1} of {0}/bench/small: expected {1}, got {2}",
                        m_registry.host(), k_small_config_digest,
                        sha256_digest(fixture("multi-amd64-config.json"))));

  m_registry.content.erase(blob);
  auto missing =
    error_of([&] { client().config_platform(ref("bench/small:1"), *resolved.manifest.config); });
  EXPECT_EQ(missing.code(), Errc::not_found);
  EXPECT_EQ(missing.message(),
            fmt::format("the image config {} of {}/bench/small is not in the registry (manifest "
                        "unknown)",
                        k_small_config_digest, m_registry.host()));
}

TEST_F(RegistryClientTest, FindsTheManifestForAPlatform)
{
  auto registry_client = client();
  auto multi = registry_client.resolve(ref("bench/multi:1"));
  EXPECT_EQ(registry_client.manifest_for_platform(multi, {"linux", "arm64", ""}),
            multi.manifest.manifests[1].digest);
  auto small = registry_client.resolve(ref("bench/small:1"));
  EXPECT_EQ(registry_client.manifest_for_platform(small, {"linux", "amd64", ""}), small.digest);

  auto error =
    error_of([&] { registry_client.manifest_for_platform(small, {"linux", "arm64", ""}); });
  EXPECT_EQ(error.code(), Errc::not_found);
  EXPECT_EQ(error.message(),
            m_registry.host() + "/bench/small:1 has no linux/arm64 image; it has linux/amd64");
  auto from_index =
    error_of([&] { registry_client.manifest_for_platform(multi, {"linux", "s390x", ""}); });
  EXPECT_EQ(from_index.message(), m_registry.host() + "/bench/multi:1 has no linux/s390x image; "
                                                      "it has linux/amd64, linux/arm64");
  // The engine's default platform, not the user's choice: the platform to
  // pass, for a single manifest (its config's platform) and an index.
  auto suggested = error_of([&] {
    registry_client.manifest_for_platform(small, {"linux", "arm64", ""}, SuggestPlatform::yes);
  });
  EXPECT_EQ(suggested.message(),
            m_registry.host() + "/bench/small:1 has no linux/arm64 image; it has linux/amd64; to "
                                "run it under emulation, pass --platform linux/amd64");
  auto suggested_from_index = error_of([&] {
    registry_client.manifest_for_platform(multi, {"linux", "s390x", ""}, SuggestPlatform::yes);
  });
  EXPECT_EQ(suggested_from_index.message(),
            m_registry.host() + "/bench/multi:1 has no linux/s390x image; it has linux/amd64, "
                                "linux/arm64; to run it under emulation, pass --platform "
                                "linux/amd64");
}

TEST_F(RegistryClientTest, SaysWhenTheRegistryCannotBeReached)
{
  std::uint16_t closed_port = 0;
  {
    FakeRegistry gone;
    closed_port = gone.port();
  }
  auto gone_ref = core::ImageRef::parse("127.0.0.1:" + std::to_string(closed_port) + "/a/b:1");
  auto error = error_of([&] { client().resolve(gone_ref); });
  EXPECT_EQ(error.code(), Errc::registry_unreachable);
  // A registry is no engine: neither its words nor its exit code are an
  // engine's.
  EXPECT_TRUE(error.message().starts_with(
    "cannot reach the registry 127.0.0.1:" + std::to_string(closed_port) + ": connection refused"))
    << error.message();
  EXPECT_EQ(error.message().find("engine"), std::string::npos) << error.message();
  EXPECT_TRUE(error.context().empty());

  auto with_proxy =
    error_of([&] { client(Env({{"HTTPS_PROXY", "http://proxy:3128"}})).resolve(gone_ref); });
  ASSERT_EQ(with_proxy.context().size(), 1u);
  EXPECT_EQ(with_proxy.context()[0], "HTTPS_PROXY is set, but crun-any connects to registries "
                                     "directly: it does not use proxies yet");
}

TEST_F(RegistryClientTest, AnswerThatStallsOrBreaksOffIsTheRegistrysFailure)
{
  // A manifest whose head arrives, then three bytes of a hundred, then
  // silence (the connection open) or the connection closed.
  for (bool stall : {true, false}) {
    crun::test::FakeHttpServer stalling(
      [stall](int fd) {
        crun::test::read_request(fd);
        crun::test::send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"s");
        if (stall) {
          crun::test::read_until_eof(fd);
        }
      },
      crun::test::FakeHttpServer::Listen::tcp);
    auto stalled = core::ImageRef::parse(stalling.host() + "/a/b:1");
    auto started = std::chrono::steady_clock::now();
    auto error = error_of([&] { RegistryClient({}, nullptr, 300ms).resolve(stalled); });
    EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
    // The registry answered: not unreachable, and said in a registry's words.
    EXPECT_EQ(error.code(), Errc::engine_error);
    std::string url = "http://" + stalling.host() + "/v2/a/b/manifests/1";
    EXPECT_EQ(error.message(), stall ? "the registry " + stalling.host() +
                                         " stopped sending the answer to GET " + url +
                                         ": not all of it arrived within 300 ms"
                                     : "lost the connection to the registry " + stalling.host() +
                                         " while reading the answer to GET " + url +
                                         ": the connection closed before the end of the body");
    EXPECT_EQ(error.message().find("engine"), std::string::npos) << error.message();
  }
}

} // namespace
} // namespace crun::registry
