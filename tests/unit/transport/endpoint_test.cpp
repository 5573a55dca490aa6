#include <crun/transport/endpoint.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::transport {
namespace {

Error parse_error(std::string_view uri)
{
  SCOPED_TRACE(uri);
  return crun::test::error_of([&] { Endpoint::parse(uri); });
}

TEST(Endpoint, ParsesUnixSocket)
{
  auto endpoint = Endpoint::parse("unix:///var/run/docker.sock");
  EXPECT_EQ(endpoint.kind, Endpoint::Kind::unix_socket);
  EXPECT_EQ(endpoint.path, "/var/run/docker.sock");
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.str(), "unix:///var/run/docker.sock");
}

TEST(Endpoint, ParsesTcpWithPortAndBasePath)
{
  auto endpoint = Endpoint::parse("tcp://docker.example:1234/prefix/");
  EXPECT_EQ(endpoint.kind, Endpoint::Kind::tcp);
  EXPECT_EQ(endpoint.host, "docker.example");
  EXPECT_EQ(endpoint.port, 1234);
  EXPECT_EQ(endpoint.base_path, "/prefix");
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.str(), "tcp://docker.example:1234/prefix");
}

TEST(Endpoint, DefaultsTcpPortTo2375And2376WithTls)
{
  EXPECT_EQ(Endpoint::parse("tcp://h").port, 2375);
  EXPECT_EQ(Endpoint::parse("http://h").port, 2375);
  auto tls = Endpoint::parse("tcp://h", true);
  EXPECT_EQ(tls.port, 2376);
  EXPECT_TRUE(tls.tls);
  EXPECT_TRUE(tls.tls_verify);
  auto https = Endpoint::parse("https://h/");
  EXPECT_EQ(https.port, 2376);
  EXPECT_TRUE(https.tls);
  EXPECT_EQ(https.base_path, "");
}

TEST(Endpoint, ParsesBracketedIpv6)
{
  auto endpoint = Endpoint::parse("tcp://[::1]:2375");
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, 2375);
  EXPECT_EQ(endpoint.str(), "tcp://[::1]:2375");
  EXPECT_EQ(Endpoint::parse("tcp://[fe80::1%eth0]").port, 2375);
}

TEST(Endpoint, TlsFlagDoesNotApplyToUnixSockets)
{
  EXPECT_FALSE(Endpoint::parse("unix:///run/podman/podman.sock", true).tls);
}

TEST(Endpoint, RejectsWithExactMessages)
{
  struct Case {
    std::string_view uri;
    std::string_view message;
  };
  const Case cases[] = {
    {"ssh://me@build.example/var/run/docker.sock",
     "ssh endpoints are not supported yet (\"ssh://me@build.example/var/run/docker.sock\"): "
     "forward the socket with `ssh -nNL /tmp/engine.sock:/var/run/docker.sock me@build.example` "
     "and use unix:///tmp/engine.sock"},
    {"unix://docker.sock", "unix socket path in \"unix://docker.sock\" must be absolute: write "
                           "unix:///path/to/socket"},
    {"unix://", "no socket path in \"unix://\": expected unix:///path/to/socket"},
    {"tcp://:2375", "empty host in \"tcp://:2375\": expected tcp://host:port"},
    {"tcp://", "empty host in \"tcp://\": expected tcp://host:port"},
    {"tcp://h:http", "invalid port \"http\" in \"tcp://h:http\": expected 1-65535"},
    {"tcp://h:0", "invalid port \"0\" in \"tcp://h:0\": expected 1-65535"},
    {"tcp://h:65536", "invalid port \"65536\" in \"tcp://h:65536\": expected 1-65535"},
    {"tcp://h:", "invalid port \"\" in \"tcp://h:\": expected 1-65535"},
    {"tcp://h:-1", "invalid port \"-1\" in \"tcp://h:-1\": expected 1-65535"},
    {"tcp://::1:2375", "ipv6 address in \"tcp://::1:2375\" needs brackets: write "
                       "tcp://[::1]:2375"},
    {"tcp://[::1", "unterminated ipv6 address in \"tcp://[::1\": expected tcp://[::1]:2375"},
    {"tcp://u@h:1", "invalid host \"u@h\" in \"tcp://u@h:1\": expected tcp://host:port"},
    {"npipe:////./pipe/docker_engine",
     "unsupported scheme \"npipe\" in \"npipe:////./pipe/docker_engine\": expected unix://, "
     "tcp://, http:// or https://"},
    {"/var/run/docker.sock",
     "invalid engine endpoint \"/var/run/docker.sock\": expected unix:///path/to/socket or "
     "tcp://host:port"},
    {"", "invalid engine endpoint \"\": expected unix:///path/to/socket or tcp://host:port"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.uri);
    auto error = parse_error(c.uri);
    EXPECT_EQ(error.code(), Errc::invalid_input);
    EXPECT_EQ(error.message(), c.message);
  }
}

} // namespace
} // namespace crun::transport
