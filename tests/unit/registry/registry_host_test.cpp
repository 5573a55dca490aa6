#include <crun/registry/registry_host.hpp>

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

TEST(RegistryHost, MapsDockerHubToItsApiHost)
{
  EXPECT_EQ(registry_host(core::ImageRef::parse("alpine")), "registry-1.docker.io");
  EXPECT_EQ(registry_host(core::ImageRef::parse("docker.io/library/alpine:3")),
            "registry-1.docker.io");
  EXPECT_EQ(registry_host(core::ImageRef::parse("index.docker.io/user/app")),
            "registry-1.docker.io");
}

TEST(RegistryHost, KeepsEveryOtherDomainAsWritten)
{
  EXPECT_EQ(registry_host(core::ImageRef::parse("ghcr.io/org/app:1")), "ghcr.io");
  EXPECT_EQ(registry_host(core::ImageRef::parse("127.0.0.1:5857/bench/multi:1")), "127.0.0.1:5857");
  EXPECT_EQ(registry_host(core::ImageRef::parse("localhost:5000/app")), "localhost:5000");
  EXPECT_EQ(registry_host(core::ImageRef::parse("[::1]:5000/app")), "[::1]:5000");
  EXPECT_EQ(registry_host(core::ImageRef::parse("Registry.Example.com/app")),
            "Registry.Example.com");
}

TEST(RegistryHost, UsesPlainHttpForLoopbackOnly)
{
  const struct {
    const char* host;
    bool plain;
  } rows[] = {
    {"localhost", true},
    {"localhost:5000", true},
    {"LocalHost:5000", true},
    {"127.0.0.1", true},
    {"127.0.0.1:5857", true},
    {"127.255.1.2:80", true},
    {"[::1]", true},
    {"[::1]:5000", true},
    {"[0:0:0:0:0:0:0:1]:5000", true},
    {"registry-1.docker.io", false},
    {"ghcr.io", false},
    {"10.0.0.1:5000", false},
    {"128.0.0.1", false},
    {"127.0.0.1.example.com", false},
    {"localhost.example.com", false},
    {"127.1", false},
    {"127.0.0.256", false},
    {"[::2]:5000", false},
    {"[fe80::1]", false},
    {"", false},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.host);
    EXPECT_EQ(use_plain_http(row.host), row.plain);
  }
}

} // namespace
} // namespace crun::registry
