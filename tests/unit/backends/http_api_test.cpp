// What the Docker and Podman adapters share: the requests both APIs build
// alike, under each engine's root, and the version readers.
#include <crun/backends/http_api.hpp>

#include <crun/backends/docker/docker_api.hpp>
#include <crun/backends/podman/podman_api.hpp>
#include <crun/backends/probe.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crun::backends {
namespace {

TEST(HttpApi, ComparesVersionsPartByPart)
{
  EXPECT_EQ(compare_versions("4.3.1", "4.3.1"), 0);
  EXPECT_LT(compare_versions("4.3.1", "4.10.0"), 0);
  EXPECT_GT(compare_versions("5.0", "4.9.9"), 0);
  EXPECT_EQ(compare_versions("4.3", "4.3.0"), 0);
  EXPECT_EQ(compare_versions("5.8.0-dev", "5.8.0"), 0);
  EXPECT_LT(compare_versions("1.41", "1.51"), 0);
  EXPECT_GT(compare_versions("2.0", "1.51"), 0);
}

TEST(HttpApi, EachEngineHasItsRoot)
{
  EXPECT_EQ(docker::api_root("1.41"), "/v1.41");
  EXPECT_EQ(podman::api_root("4.3.1"), "/v4.3.1/libpod");
}

TEST(HttpApi, TheSharedRoutesHangFromEitherRoot)
{
  for (const std::string& root : {docker::api_root("1.41"), podman::api_root("4.3.1")}) {
    SCOPED_TRACE(root);
    auto tag = make_tag_request(root, "x@sha256:ab", core::ImageRef::parse("reg.io/a/b:2"));
    EXPECT_EQ(tag.method, "POST");
    EXPECT_EQ(tag.target, root + "/images/x@sha256:ab/tag?repo=reg.io%2Fa%2Fb&tag=2");
    auto image = make_image_inspect_request(root, "127.0.0.1:5857/bench/multi:1");
    EXPECT_EQ(image.method, "GET");
    EXPECT_EQ(image.target, root + "/images/127.0.0.1:5857/bench/multi:1/json");
    EXPECT_EQ(make_container_inspect_request(root, "fx42").target, root + "/containers/fx42/json");
    EXPECT_EQ(make_version_request(root).target, root + "/version");
    auto start = make_start_request(root, "abc");
    EXPECT_EQ(start.method, "POST");
    EXPECT_EQ(start.target, root + "/containers/abc/start");
    EXPECT_EQ(make_kill_request(root, "abc", "SIGINT").target,
              root + "/containers/abc/kill?signal=SIGINT");
    EXPECT_EQ(make_resize_request(root, "abc", 24, 80).target,
              root + "/containers/abc/resize?h=24&w=80");
  }
}

TEST(HttpApi, NamesInPathsAreEscapedButForReferenceCharacters)
{
  EXPECT_EQ(path_name("127.0.0.1:5857/a/b@sha256:ab"), "127.0.0.1:5857/a/b@sha256:ab");
  EXPECT_EQ(path_name("a b?c#d"), "a%20b%3Fc%23d");
}

TEST(HttpApi, BytesThatAreNotUtf8GoAsReplacementCharactersAsTheDockerCliSendsThem)
{
  transport::HttpRequest request;
  set_json_body(request, nlohmann::json{{"Env", {std::string("A=caf\xe9")}}});
  EXPECT_EQ(request.body, "{\"Env\":[\"A=caf\xef\xbf\xbd\"]}");
  EXPECT_EQ(request.content_type, "application/json");
}

TEST(HttpApi, ThePingIsUnversioned)
{
  auto ping = make_ping_request();
  EXPECT_EQ(ping.method, "GET");
  EXPECT_EQ(ping.target, "/_ping");
}

TEST(HttpApi, JsonBodiesAndUpgrades)
{
  transport::HttpRequest req;
  set_json_body(req, {{"a", 1}});
  EXPECT_EQ(req.body, R"({"a":1})");
  EXPECT_EQ(req.content_type, "application/json");
  ask_upgrade(req);
  EXPECT_EQ(req.headers, (transport::HttpHeaders{{"Connection", "Upgrade"}, {"Upgrade", "tcp"}}));
}

TEST(Probe, TheServerHeaderNamesTheEngineVersion)
{
  EXPECT_EQ(server_version("Docker/20.10.24+dfsg1 (linux)"), "20.10.24+dfsg1");
  EXPECT_EQ(server_version("Libpod/4.3.1 (linux)"), "4.3.1");
  EXPECT_EQ(server_version("Docker/28.0.1"), "28.0.1");
  EXPECT_EQ(server_version("nginx"), "");
  EXPECT_EQ(server_version(""), "");
}

} // namespace
} // namespace crun::backends
