#include <crun/backends/selection/podman_connections.hpp>

#include "unit/selection/fakes.hpp"

#include <gtest/gtest.h>

namespace crun::backends::selection {
namespace {

using testing::FakeFiles;

constexpr const char* k_json = "/home/me/.config/containers/podman-connections.json";
constexpr const char* k_user_conf = "/home/me/.config/containers/containers.conf";

constexpr const char* k_machine_json = R"({
  "Connection": {
    "Default": "podman-machine-default",
    "Connections": {
      "podman-machine-default": {
        "URI": "ssh://core@127.0.0.1:53211/run/user/501/podman/podman.sock",
        "Identity": "/Users/me/.local/share/containers/podman/machine/machine",
        "IsMachine": true
      },
      "podman-machine-default-root": {
        "URI": "ssh://root@127.0.0.1:53211/run/podman/podman.sock",
        "IsMachine": true
      },
      "lab": {"URI": "unix:///run/lab/podman.sock"}
    }
  },
  "Farm": {}
})";

class PodmanConnectionsTest : public ::testing::Test {
protected:
  PodmanConnectionsTest() { env.set("HOME", "/home/me"); }
  Env env;
  FakeFiles files;
};

TEST_F(PodmanConnectionsTest, ReadsConnectionsJson)
{
  files.files[k_json] = k_machine_json;
  auto c = read_podman_connections(env, files);
  ASSERT_TRUE(c.default_name);
  EXPECT_EQ(*c.default_name, "podman-machine-default");
  EXPECT_EQ(c.default_file, k_json);
  ASSERT_EQ(c.by_name.size(), 3u);
  EXPECT_TRUE(c.by_name.at("podman-machine-default").is_machine);
  EXPECT_EQ(c.by_name.at("lab").uri, "unix:///run/lab/podman.sock");
  EXPECT_FALSE(c.by_name.at("lab").is_machine);
  EXPECT_TRUE(c.warnings.empty());
}

TEST_F(PodmanConnectionsTest, HonoursXdgConfigHomeAndTheOverride)
{
  env.set("XDG_CONFIG_HOME", "/xdg");
  files.files["/xdg/containers/podman-connections.json"] =
    R"({"Connection":{"Default":"a","Connections":{"a":{"URI":"unix:///a.sock"}}}})";
  EXPECT_EQ(read_podman_connections(env, files).by_name.at("a").uri, "unix:///a.sock");

  env.set("PODMAN_CONNECTIONS_CONF", "/etc/pc.json");
  files.files["/etc/pc.json"] = R"({"Connection":{"Connections":{"b":{"URI":"unix:///b.sock"}}}})";
  auto c = read_podman_connections(env, files);
  EXPECT_EQ(c.by_name.count("a"), 0u);
  EXPECT_EQ(c.by_name.at("b").uri, "unix:///b.sock");
}

TEST_F(PodmanConnectionsTest, ReadsServiceDestinationsFromContainersConf)
{
  files.files[k_user_conf] = R"(
# a comment
[containers]
default_ulimits = [
  "nofile=1024:1024",
]

[engine]
runtime = "runc"   # trailing comment
active_service = "prod"

[engine.service_destinations.prod]
uri = "ssh://root@h:22/run/podman/podman.sock"
identity = "~/.ssh/id_ed25519"

[engine.service_destinations."local one"]
uri = 'unix:///run/user/1000/podman/podman.sock'
is_machine = true
)";
  auto c = read_podman_connections(env, files);
  ASSERT_TRUE(c.default_name);
  EXPECT_EQ(*c.default_name, "prod");
  EXPECT_EQ(c.default_file, k_user_conf);
  EXPECT_EQ(c.by_name.at("prod").uri, "ssh://root@h:22/run/podman/podman.sock");
  EXPECT_EQ(c.by_name.at("local one").uri, "unix:///run/user/1000/podman/podman.sock");
  EXPECT_TRUE(c.by_name.at("local one").is_machine);
}

TEST_F(PodmanConnectionsTest, ReadsInlineTablesAndDottedKeys)
{
  PodmanConnections c;
  parse_containers_conf(R"([engine]
service_destinations.x.uri = "unix:///x.sock"
[engine.service_destinations]
y = { uri = "unix:///y.sock", identity = "k" }
)",
                        "f", c);
  EXPECT_EQ(c.by_name.at("x").uri, "unix:///x.sock");
  EXPECT_EQ(c.by_name.at("y").uri, "unix:///y.sock");
  EXPECT_FALSE(c.default_name);
}

TEST_F(PodmanConnectionsTest, ContainersConfEnvironmentReplacesTheOtherFiles)
{
  files.files["/etc/containers/containers.conf"] = "[engine]\nactive_service = \"sys\"\n";
  files.files[k_user_conf] = "[engine]\nactive_service = \"user\"\n";
  auto c = read_podman_connections(env, files);
  EXPECT_EQ(*c.default_name, "user"); // later files stack on earlier ones

  env.set("CONTAINERS_CONF", "/bench/containers.conf");
  files.files["/bench/containers.conf"] = "[engine]\nruntime = \"runc\"\n";
  EXPECT_FALSE(read_podman_connections(env, files).default_name);
}

TEST_F(PodmanConnectionsTest, ConnectionsJsonWinsOverContainersConf)
{
  files.files[k_user_conf] = "[engine]\nactive_service = \"old\"\n"
                             "[engine.service_destinations.lab]\nuri = \"unix:///old.sock\"\n";
  files.files[k_json] = k_machine_json;
  auto c = read_podman_connections(env, files);
  EXPECT_EQ(*c.default_name, "podman-machine-default");
  EXPECT_EQ(c.by_name.at("lab").uri, "unix:///run/lab/podman.sock");

  // Without a Default in the JSON, active_service still names the default.
  files.files[k_json] = R"({"Connection":{"Connections":{}}})";
  EXPECT_EQ(*read_podman_connections(env, files).default_name, "old");
}

TEST_F(PodmanConnectionsTest, ABrokenJsonFileIsAWarningNotAFailure)
{
  files.files[k_json] = "{not json";
  auto c = read_podman_connections(env, files);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find(k_json), std::string::npos);
  EXPECT_TRUE(c.by_name.empty());
}

TEST_F(PodmanConnectionsTest, UnreadableTomlLinesAreSkipped)
{
  PodmanConnections c;
  parse_containers_conf("[engine\nactive_service = \"a\"\n[engine]\nactive_service = \"b\n"
                        "= 3\n[[engine.x]]\nactive_service = \"c\"\n",
                        "f", c);
  EXPECT_FALSE(c.default_name);
}

} // namespace
} // namespace crun::backends::selection
