#include <crun/backends/selection/discovery.hpp>

#include "unit/selection/fakes.hpp"

#include <crun/transport/docker_endpoint.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace crun::backends::selection {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class DiscoveryTest : public testing::FakeMachineTest {
protected:
  Discovery discover(const Preference& preference = {}, std::string_view host_flag = "",
                     HostOs os = HostOs::linux_os)
  {
    return discover_candidates(preference, host_flag, env, files, host, os);
  }

  static std::vector<std::string> uris(const Discovery& d)
  {
    std::vector<std::string> out;
    for (const auto& c : d.candidates) {
      out.push_back(c.uri);
    }
    return out;
  }
  static std::vector<Origin> origins(const Discovery& d)
  {
    std::vector<Origin> out;
    for (const auto& c : d.candidates) {
      out.push_back(c.origin);
    }
    return out;
  }
};

TEST_F(DiscoveryTest, LinuxDefaultsInTheDocumentedOrder)
{
  auto d = discover();
  EXPECT_FALSE(d.single_endpoint);
  EXPECT_THAT(uris(d), ElementsAre("unix:///run/user/1000/podman/podman.sock",
                                   "unix:///run/user/1000/docker.sock",
                                   "unix:///home/me/.docker/run/docker.sock",
                                   "unix:///home/me/.docker/desktop/docker.sock",
                                   "unix:///home/me/.colima/default/docker.sock",
                                   "unix:///var/run/docker.sock", "unix:///run/podman/podman.sock",
                                   "unix:///run/user/1000/crun-any/podman.sock"));
  EXPECT_EQ(d.candidates.back().origin, Origin::on_demand_podman);
  EXPECT_EQ(d.podman_service.socket, "/run/user/1000/crun-any/podman.sock");
  EXPECT_EQ(d.podman_service.podman, ""); // not on PATH
}

TEST_F(DiscoveryTest, EveryOriginInRankingOrder)
{
  env.set("DOCKER_HOST", "tcp://10.0.0.1:2375");
  env.set("CONTAINER_CONNECTION", "lab");
  env.set("CONTAINER_HOST", "unix:///srv/podman.sock");
  env.set("DOCKER_CONTEXT", "colima");
  files.files["/home/me/.docker/contexts/meta/" + transport::docker_context_dir_name("colima") +
              "/meta.json"] =
    R"({"Name":"colima","Endpoints":{"docker":{"Host":"unix:///home/me/.colima/x/docker.sock"}}})";
  files.files["/home/me/.config/containers/podman-connections.json"] =
    R"({"Connection":{"Default":"dflt","Connections":{
           "lab":{"URI":"unix:///lab.sock"},"dflt":{"URI":"unix:///dflt.sock"}}}})";
  auto d = discover();
  ASSERT_GE(d.candidates.size(), 6u);
  auto all = origins(d);
  EXPECT_THAT(std::vector<Origin>(all.begin(), all.begin() + 6),
              ElementsAre(Origin::docker_host, Origin::container_connection, Origin::container_host,
                          Origin::docker_context, Origin::podman_default_connection,
                          Origin::rootless_podman));
  EXPECT_EQ(d.candidates[0].uri, "tcp://10.0.0.1:2375");
  EXPECT_EQ(d.candidates[1].uri, "unix:///lab.sock");
  EXPECT_EQ(d.candidates[3].source, "docker context \"colima\"");
  EXPECT_THAT(d.candidates[4].source, HasSubstr("podman default connection \"dflt\""));
  // Each origin's rank is its place in the enum.
  for (std::size_t i = 1; i < d.candidates.size(); ++i) {
    EXPECT_LE(d.candidates[i - 1].origin, d.candidates[i].origin);
  }
}

TEST_F(DiscoveryTest, MacHasOrbStackMachinesAndApple)
{
  env.set("TMPDIR", "/var/folders/xy/T/");
  host.executables["container"] = "/usr/local/bin/container";
  host.executables["podman"] = "/opt/homebrew/bin/podman";
  files.files["/home/me/.config/containers/podman-connections.json"] =
    R"({"Connection":{"Default":"dev-root","Connections":{
           "dev-root":{"URI":"ssh://root@127.0.0.1:5000/run/podman/podman.sock","IsMachine":true}}}})";
  auto d = discover({}, "", HostOs::macos);
  std::vector<std::string> expected = {
    "ssh://root@127.0.0.1:5000/run/podman/podman.sock", // the default connection
    "unix:///home/me/.docker/run/docker.sock",
    "unix:///home/me/.docker/desktop/docker.sock",
    "unix:///home/me/.orbstack/run/docker.sock",
    "unix:///home/me/.colima/default/docker.sock",
    "unix:///var/run/docker.sock",
    "unix:///var/folders/xy/T/podman/dev-api.sock",
    "unix:///home/me/.local/share/containers/podman/machine/dev/podman.sock",
    "unix:///var/folders/xy/T/podman/podman-machine-default-api.sock",
    "unix:///home/me/.local/share/containers/podman/machine/podman-machine-default/podman.sock",
    "/usr/local/bin/container",
  };
  EXPECT_EQ(uris(d), expected);
  // The machine's ssh connection is reached through its API socket instead.
  EXPECT_TRUE(d.candidates[0].unsupported);
  EXPECT_THAT(d.candidates[0].fix, HasSubstr("podman machine"));
  const Candidate& apple = d.candidates.back();
  EXPECT_EQ(apple.origin, Origin::apple);
  EXPECT_EQ(apple.executable, "/usr/local/bin/container");
  EXPECT_FALSE(apple.endpoint);
  EXPECT_TRUE(apple.problem.empty());
  EXPECT_FALSE(apple.unsupported);
}

TEST_F(DiscoveryTest, AppleIsOnlyConsideredOnAMacOrWhenAskedFor)
{
  host.executables["container"] = "/opt/bin/container";
  auto has_apple = [](const Discovery& d) {
    return std::any_of(d.candidates.begin(), d.candidates.end(),
                       [](const Candidate& c) { return c.origin == Origin::apple; });
  };
  EXPECT_FALSE(has_apple(discover({}, "", HostOs::linux_os)));
  Preference docker{BackendChoice::docker, "--backend"};
  EXPECT_FALSE(has_apple(discover(docker, "", HostOs::macos)));

  // Asked for, it is the one candidate, on any OS.
  env.set("DOCKER_HOST", "unix:///d.sock");
  Preference apple{BackendChoice::apple, "--backend"};
  auto d = discover(apple, "", HostOs::linux_os);
  ASSERT_EQ(d.candidates.size(), 1U);
  EXPECT_EQ(d.candidates[0].origin, Origin::apple);
  EXPECT_EQ(d.candidates[0].executable, "/opt/bin/container");
  EXPECT_EQ(d.candidates[0].uri, "/opt/bin/container");
  EXPECT_EQ(d.candidates[0].expected, EngineKind::apple);
  EXPECT_FALSE(d.single_endpoint);
}

TEST_F(DiscoveryTest, AppleFallsBackToTheInstallersPathThenIsAbsent)
{
  Preference apple{BackendChoice::apple, "CRUN_ANY_BACKEND"};
  host.paths.insert("/usr/local/bin/container");
  auto d = discover(apple, "", HostOs::macos);
  ASSERT_EQ(d.candidates.size(), 1U);
  EXPECT_EQ(d.candidates[0].executable, "/usr/local/bin/container");

  host.paths.clear();
  d = discover(apple, "", HostOs::macos);
  ASSERT_EQ(d.candidates.size(), 1U);
  EXPECT_TRUE(d.candidates[0].executable.empty());
  EXPECT_THAT(d.candidates[0].fix, HasSubstr("https://github.com/apple/container/releases"));
}

TEST_F(DiscoveryTest, WithoutXdgRuntimeDirPodmansFallbackIsUsed)
{
  env = Env{{"HOME", "/home/me"}};
  host.uid = 1234;
  auto d = discover();
  EXPECT_EQ(d.candidates[0].uri, "unix:///run/user/1234/podman/podman.sock");
  EXPECT_EQ(d.podman_service.dir, "/tmp/crun-any-1234");

  host.uid = 0; // root has no rootless sockets
  d = discover();
  EXPECT_EQ(d.candidates[0].origin, Origin::docker_desktop);
}

TEST_F(DiscoveryTest, SshEndpointsAreListedAsUnsupported)
{
  env.set("DOCKER_HOST", "ssh://me@build:2222");
  env.set("CONTAINER_HOST", "ssh://core@vm/run/user/1000/podman/podman.sock");
  auto d = discover();
  const Candidate& docker = d.candidates[0];
  EXPECT_EQ(docker.origin, Origin::docker_host);
  EXPECT_TRUE(docker.unsupported);
  EXPECT_FALSE(docker.endpoint);
  EXPECT_THAT(docker.problem, HasSubstr("ssh:// endpoints are not supported"));
  EXPECT_THAT(docker.fix,
              HasSubstr("ssh -nNT -p 2222 -L /tmp/engine.sock:/var/run/docker.sock me@build"));
  const Candidate& podman = d.candidates[1];
  EXPECT_THAT(podman.fix, HasSubstr("/tmp/engine.sock:/run/user/1000/podman/podman.sock core@vm"));
}

TEST_F(DiscoveryTest, ADockerContextOnSshIsUnsupportedNotBroken)
{
  files.files["/home/me/.docker/config.json"] = R"({"currentContext":"build"})";
  files.files["/home/me/.docker/contexts/meta/" + transport::docker_context_dir_name("build") +
              "/meta.json"] =
    R"({"Name":"build","Endpoints":{"docker":{"Host":"ssh://me@build.example:2222"}}})";
  auto d = discover();
  const Candidate& context = d.candidates[0];
  EXPECT_EQ(context.origin, Origin::docker_context);
  EXPECT_EQ(context.source, "docker context \"build\"");
  EXPECT_EQ(context.uri, "ssh://me@build.example:2222");
  EXPECT_TRUE(context.unsupported);
  EXPECT_FALSE(context.endpoint);
  EXPECT_EQ(context.problem, "ssh:// endpoints are not supported by this build yet");
  EXPECT_EQ(context.fix, "forward the socket with `ssh -nNT -p 2222 -L "
                         "/tmp/engine.sock:/var/run/docker.sock me@build.example` and use "
                         "--host unix:///tmp/engine.sock");
}

TEST_F(DiscoveryTest, ABadUriIsAnInvalidCandidate)
{
  env.set("DOCKER_HOST", "npipe:////./pipe/docker_engine");
  auto d = discover();
  EXPECT_FALSE(d.candidates[0].unsupported);
  EXPECT_THAT(d.candidates[0].problem, HasSubstr("unsupported scheme"));
  EXPECT_THAT(d.candidates[0].fix, HasSubstr("check DOCKER_HOST=npipe"));
}

TEST_F(DiscoveryTest, HostFlagIsTheOneEndpoint)
{
  env.set("DOCKER_HOST", "unix:///d.sock");
  auto d = discover({BackendChoice::podman, "--backend"}, "unix:///x.sock");
  EXPECT_TRUE(d.single_endpoint);
  ASSERT_EQ(d.candidates.size(), 1u);
  EXPECT_EQ(d.candidates[0].origin, Origin::host_flag);
  EXPECT_EQ(d.candidates[0].expected, EngineKind::podman);
  EXPECT_EQ(d.candidates[0].uri, "unix:///x.sock");
}

TEST_F(DiscoveryTest, HostFlagOverTcpTakesDockersTlsSettings)
{
  env.set("DOCKER_TLS_VERIFY", "1");
  env.set("DOCKER_CERT_PATH", "/certs");
  files.files["/certs/ca.pem"] = "x";
  auto d = discover({}, "tcp://h:2376");
  ASSERT_TRUE(d.candidates[0].endpoint);
  EXPECT_TRUE(d.candidates[0].endpoint->tls);
  EXPECT_EQ(d.candidates[0].endpoint->ca_file, "/certs/ca.pem");
}

TEST_F(DiscoveryTest, DockerHostIsTheOneEndpointForBackendDocker)
{
  env.set("DOCKER_HOST", "unix:///d.sock");
  env.set("CONTAINER_HOST", "unix:///p.sock");
  auto d = discover({BackendChoice::docker, "CRUN_ANY_BACKEND"});
  EXPECT_TRUE(d.single_endpoint);
  EXPECT_THAT(uris(d), ElementsAre("unix:///d.sock"));

  // For podman, Podman's order: CONTAINER_CONNECTION before CONTAINER_HOST.
  d = discover({BackendChoice::podman, "--backend"});
  EXPECT_TRUE(d.single_endpoint);
  EXPECT_THAT(uris(d), ElementsAre("unix:///p.sock"));
  env.set("CONTAINER_CONNECTION", "lab");
  files.files["/home/me/.config/containers/podman-connections.json"] =
    R"({"Connection":{"Connections":{"lab":{"URI":"unix:///lab.sock"}}}})";
  d = discover({BackendChoice::podman, "--backend"});
  EXPECT_THAT(uris(d), ElementsAre("unix:///lab.sock"));
  EXPECT_EQ(d.candidates[0].origin, Origin::container_connection);
}

TEST_F(DiscoveryTest, AMissingConnectionOrContextIsAnInvalidCandidate)
{
  env.set("CONTAINER_CONNECTION", "nope");
  env.set("DOCKER_CONTEXT", "gone");
  auto d = discover();
  EXPECT_EQ(d.candidates[0].origin, Origin::container_connection);
  EXPECT_THAT(d.candidates[0].problem, HasSubstr("no podman connection named \"nope\""));
  EXPECT_EQ(d.candidates[1].origin, Origin::docker_context);
  EXPECT_EQ(d.candidates[1].source, "docker context \"gone\"");
  EXPECT_THAT(d.candidates[1].problem, HasSubstr("does not exist"));
}

TEST_F(DiscoveryTest, TheCurrentContextOfConfigJsonIsACandidate)
{
  files.files["/home/me/.docker/config.json"] = R"({"currentContext":"desktop-linux"})";
  files.files["/home/me/.docker/contexts/meta/" +
              transport::docker_context_dir_name("desktop-linux") + "/meta.json"] =
    R"({"Name":"desktop-linux","Endpoints":{"docker":{"Host":"unix:///home/me/.docker/desktop/docker.sock"}}})";
  auto d = discover();
  EXPECT_EQ(d.candidates[0].origin, Origin::docker_context);
  EXPECT_EQ(d.candidates[0].source, "docker context \"desktop-linux\"");
  // Docker Desktop's own socket is the same place: merged into the context.
  EXPECT_THAT(d.candidates[0].also_named_by, ElementsAre("Docker Desktop socket"));
  EXPECT_EQ(std::count_if(d.candidates.begin(), d.candidates.end(),
                          [](const Candidate& c) {
                            return c.uri == "unix:///home/me/.docker/desktop/docker.sock";
                          }),
            1);
}

TEST_F(DiscoveryTest, TheSameSocketIsOneCandidate)
{
  env.set("DOCKER_HOST", "unix:///run/podman/podman.sock");
  env.set("CONTAINER_HOST", "unix:///run/podman/podman.sock");
  // podman-docker links the Docker socket to Podman's; /var/run is /run.
  host.links["/var/run/docker.sock"] = "/run/podman/podman.sock";
  auto d = discover();
  EXPECT_EQ(d.candidates[0].origin, Origin::docker_host);
  EXPECT_THAT(d.candidates[0].also_named_by,
              ElementsAre("CONTAINER_HOST", "system Docker socket (unix:///var/run/docker.sock)",
                          "rootful Podman socket"));
  for (std::size_t i = 1; i < d.candidates.size(); ++i) {
    EXPECT_NE(d.candidates[i].uri, "unix:///run/podman/podman.sock");
    EXPECT_NE(d.candidates[i].uri, "unix:///var/run/docker.sock");
  }
}

TEST_F(DiscoveryTest, DeduplicationKeepsTheHigherRankAndUnusableOnesApart)
{
  auto make = [](Origin origin, std::string source, std::string uri, std::string problem) {
    Candidate c;
    c.origin = origin;
    c.source = std::move(source);
    c.uri = std::move(uri);
    if (problem.empty()) {
      c.endpoint = transport::Endpoint::parse(c.uri);
    }
    c.problem = std::move(problem);
    return c;
  };
  Candidate a = make(Origin::docker_host, "DOCKER_HOST", "tcp://h:2375", "");
  Candidate b = make(Origin::container_host, "CONTAINER_HOST", "tcp://h:2375", "");
  Candidate c = make(Origin::docker_context, "docker context", "", "bad");
  Candidate d = make(Origin::podman_default_connection, "podman default connection", "", "bad too");
  auto out = deduplicate({a, b, c, d}, host);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_THAT(out[0].also_named_by, ElementsAre("CONTAINER_HOST"));
}

TEST_F(DiscoveryTest, OnDemandPlanFindsPodman)
{
  host.executables["podman"] = "/usr/bin/podman";
  auto d = discover();
  EXPECT_EQ(d.podman_service.podman, "/usr/bin/podman");
  EXPECT_EQ(d.podman_service.log, "/run/user/1000/crun-any/podman-service.log");
  EXPECT_THAT(d.candidates.back().fix, HasSubstr("podman-service.log"));
}

} // namespace
} // namespace crun::backends::selection
