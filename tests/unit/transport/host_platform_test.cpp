#include <crun/transport/host_platform.hpp>

#include <gtest/gtest.h>

namespace crun::transport {
namespace {

// The only test that looks at the real machine: it checks the shape, not
// the values, so that it passes on every host.
TEST(HostPlatform, IsNormalisedAndContainerPlatformIsLinuxOnTheSameArch)
{
  const auto host = host_platform();
  EXPECT_FALSE(host.os.empty());
  EXPECT_FALSE(host.architecture.empty());
  EXPECT_EQ(host.normalized(), host);
  const auto native = host_container_platform();
  EXPECT_EQ(native.os, "linux");
  EXPECT_EQ(native.architecture, host.architecture);
  EXPECT_EQ(native.variant, host.variant);
  EXPECT_EQ(core::Platform::parse("linux", native), native);
}

} // namespace
} // namespace crun::transport
