#include <crun/backends/run_spec.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::backends {
namespace {

// The message of the usage error `f` throws.
template <typename F>
std::string error_of(F&& f)
{
  const Error error = test::error_of(std::forward<F>(f));
  EXPECT_EQ(error.code(), Errc::usage);
  return error.message();
}

TEST(RunSpec, PortSpecsInEveryDockerForm)
{
  const struct {
    const char* text;
    PortSpec expected;
  } rows[] = {
    {"80", {"", "", "80", "tcp"}},
    {"8080:80", {"", "8080", "80", "tcp"}},
    {"127.0.0.1:8080:80", {"127.0.0.1", "8080", "80", "tcp"}},
    {"127.0.0.1::80", {"127.0.0.1", "", "80", "tcp"}},
    {"53:53/udp", {"", "53", "53", "udp"}},
    {"8000-8010:8000-8010", {"", "8000-8010", "8000-8010", "tcp"}},
    {"[::1]:8080:80", {"::1", "8080", "80", "tcp"}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    EXPECT_EQ(parse_port_spec(row.text), row.expected);
  }
}

TEST(RunSpec, BadPortsNameTheInput)
{
  EXPECT_EQ(error_of([] { parse_port_spec("http"); }),
            "invalid port \"http\": container port \"http\" is not a port (1-65535) or range");
  EXPECT_EQ(error_of([] { parse_port_spec("80:70000"); }),
            "invalid port \"80:70000\": container port \"70000\" is not a port (1-65535) or range");
  EXPECT_EQ(error_of([] { parse_port_spec("x:80"); }),
            "invalid port \"x:80\": host port \"x\" is not a port (1-65535) or range");
  EXPECT_EQ(error_of([] { parse_port_spec("80/icmp"); }),
            "invalid port \"80/icmp\": protocol must be tcp, udp or sctp");
  EXPECT_EQ(error_of([] { parse_port_spec("1:2:3:4"); }),
            "invalid port \"1:2:3:4\": expected [ip:][host_port:]container_port[/protocol]");
}

TEST(RunSpec, MountsBindVolumeAndAnonymous)
{
  auto bind = parse_mount_spec("/src:/dst:ro,z", "/cwd");
  EXPECT_EQ(bind, (MountSpec{"/src", "/dst", {"ro", "z"}}));
  EXPECT_TRUE(bind.is_bind());
  EXPECT_TRUE(bind.read_only());
  EXPECT_EQ(parse_mount_spec("./data:/data", "/home/me"),
            (MountSpec{"/home/me/data", "/data", {}}));
  EXPECT_EQ(parse_mount_spec(".:/w", "/home/me"), (MountSpec{"/home/me", "/w", {}}));
  EXPECT_EQ(parse_mount_spec("./:/w", "/home/me"), (MountSpec{"/home/me", "/w", {}}));
  EXPECT_EQ(parse_mount_spec("..:/w", "/home/me"), (MountSpec{"/home", "/w", {}}));
  EXPECT_EQ(parse_mount_spec("../other/x:/w:ro", "/home/me"),
            (MountSpec{"/home/other/x", "/w", {"ro"}}));
  EXPECT_EQ(parse_mount_spec("./a/../b/:/w", "/home/me"), (MountSpec{"/home/me/b", "/w", {}}));
  EXPECT_EQ(parse_mount_spec(".hidden:/w", "/home/me"), (MountSpec{"/home/me/.hidden", "/w", {}}));
  EXPECT_EQ(parse_mount_spec("./data:/data", "/"), (MountSpec{"/data", "/data", {}}));
  EXPECT_TRUE(parse_mount_spec("./data:/data", "/home/me").is_bind());
  auto named = parse_mount_spec("cache:/cache", "/cwd");
  EXPECT_EQ(named.source, "cache");
  EXPECT_FALSE(named.is_bind());
  EXPECT_EQ(parse_mount_spec("/anon", "/cwd"), (MountSpec{"", "/anon", {}}));
}

TEST(RunSpec, BadMountsNameTheInput)
{
  EXPECT_EQ(error_of([] { parse_mount_spec("/a:rel", "/"); }),
            "invalid volume \"/a:rel\": the container path must be absolute");
  EXPECT_EQ(error_of([] { parse_mount_spec(":/x", "/"); }), "invalid volume \":/x\": empty source");
  EXPECT_EQ(error_of([] { parse_mount_spec("/a:/b:ro:x", "/"); }),
            "invalid volume \"/a:/b:ro:x\": expected source:target[:options] or /target");
  // Windows-style host paths have a ':' too; -v never maps them.
  EXPECT_EQ(error_of([] { parse_mount_spec("C:\\data:/data", "/"); }),
            "invalid volume \"C:\\data:/data\": the container path must be absolute");
  EXPECT_EQ(error_of([] { parse_mount_spec("/a:/b:", "/"); }),
            "invalid volume \"/a:/b:\": empty option");
}

TEST(RunSpec, ARelativeSourceWithASlashIsRefusedWithTheFix)
{
  // The engines take "data/x" for a volume name and refuse it; "./data/x"
  // is the host directory.
  EXPECT_EQ(error_of([] { parse_mount_spec("data/x:/data", "/home/me"); }),
            "invalid volume \"data/x:/data\": the source \"data/x\" is neither a host path nor "
            "a volume name; use an absolute path or ./data/x for a host directory");
  EXPECT_EQ(error_of([] { parse_mount_spec("data/:/data:ro", "/home/me"); }),
            "invalid volume \"data/:/data:ro\": the source \"data/\" is neither a host path "
            "nor a volume name; use an absolute path or ./data/ for a host directory");
  EXPECT_EQ(error_of([] { parse_mount_spec("~/data:/data", "/home/me"); }),
            "invalid volume \"~/data:/data\": the source \"~/data\" is neither a host path nor "
            "a volume name; use an absolute path or $HOME/data for a host directory");
}

TEST(RunSpec, AHostPathWithAColonIsNamedAsSuch)
{
  const char* says = "contains ':', which -v cannot express (it separates source, target and "
                     "options); use --mount type=bind,source=";
  EXPECT_EQ(error_of([] { parse_mount_spec("/tmp/a:b:/data", "/"); }),
            std::string("invalid volume \"/tmp/a:b:/data\": the host path \"/tmp/a:b\" ") + says +
              "/tmp/a:b,target=/path/in/container instead");
  EXPECT_EQ(error_of([] { parse_mount_spec("./a:b:c:/data:ro", "/"); }),
            std::string("invalid volume \"./a:b:c:/data:ro\": the host path \"./a:b:c\" ") + says +
              "/a:b:c,target=/path/in/container instead");
  // No option starts with '/': the last field that does is the target.
  EXPECT_EQ(error_of([] { parse_mount_spec("/a:/b:/c", "/"); }),
            std::string("invalid volume \"/a:/b:/c\": the host path \"/a:/b\" ") + says +
              "/a:/b,target=/path/in/container instead");
}

TEST(RunSpec, EnvironmentFromArgumentsAndFiles)
{
  Env host{{"HOME", "/root"}, {"EMPTY", ""}};
  EXPECT_EQ(resolve_env_arg("A=1", host), "A=1");
  EXPECT_EQ(resolve_env_arg("A=", host), "A=");
  EXPECT_EQ(resolve_env_arg("HOME", host), "HOME=/root");
  EXPECT_EQ(resolve_env_arg("EMPTY", host), "EMPTY=");
  EXPECT_EQ(resolve_env_arg("UNSET", host), std::nullopt);
  EXPECT_EQ(error_of([&] { resolve_env_arg("=x", host); }),
            "invalid environment variable \"=x\": empty name");

  auto file = parse_env_file("# comment\n\nA=1\r\n  B=two words\nHOME\nUNSET\n", "app.env", host);
  EXPECT_EQ(file, (std::vector<std::string>{"A=1", "B=two words", "HOME=/root"}));
  EXPECT_EQ(error_of([&] { parse_env_file("A=1\nBAD NAME=2\n", "app.env", host); }),
            "invalid env file app.env line 2: \"BAD NAME=2\" is not NAME=VALUE");
  // 64 KiB of line is the most, as the docker CLI reads env files.
  std::string longest = "A=" + std::string(k_env_file_max_line - 2, 'x');
  EXPECT_EQ(parse_env_file(longest + "\n", "app.env", host), std::vector<std::string>{longest});
  EXPECT_EQ(error_of([&] { parse_env_file("B=1\n" + longest + "x\n", "app.env", host); }),
            "invalid env file app.env line 2: longer than 64 KiB (65537 bytes)");
}

TEST(RunSpec, LabelsAndPullPolicies)
{
  EXPECT_EQ(parse_label("a=b=c"), std::make_pair(std::string("a"), std::string("b=c")));
  EXPECT_EQ(parse_label("flag"), std::make_pair(std::string("flag"), std::string()));
  EXPECT_EQ(error_of([] { parse_label("=v"); }), "invalid label \"=v\": empty name");
  EXPECT_EQ(parse_pull_policy("always"), PullPolicy::always);
  EXPECT_EQ(parse_pull_policy("missing"), PullPolicy::missing);
  EXPECT_EQ(parse_pull_policy("never"), PullPolicy::never);
  EXPECT_EQ(error_of([] { parse_pull_policy("sometimes"); }),
            "invalid --pull value \"sometimes\": use always, missing or never");
}

} // namespace
} // namespace crun::backends
