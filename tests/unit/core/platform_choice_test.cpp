#include <crun/core/platform_choice.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

namespace crun::core {
namespace {

int g_native_calls = 0;
Platform k_native()
{
  ++g_native_calls;
  return {"linux", "amd64", ""};
}

TEST(PlatformChoice, FlagBeatsEveryEnvironmentVariable)
{
  Env env({{"CRUN_ANY_PLATFORM", "linux/arm/v6"}, {"DOCKER_DEFAULT_PLATFORM", "linux/386"}});
  auto choice = choose_platform(std::string("linux/aarch64"), env, k_native);
  EXPECT_EQ(choice.platform.str(), "linux/arm64");
  EXPECT_EQ(choice.source, "--platform");
  EXPECT_TRUE(choice.explicit_choice);
}

TEST(PlatformChoice, CrunAnyPlatformBeatsDockerDefaultPlatform)
{
  Env env({{"CRUN_ANY_PLATFORM", "linux/armhf"}, {"DOCKER_DEFAULT_PLATFORM", "linux/386"}});
  auto choice = choose_platform(std::nullopt, env, k_native);
  EXPECT_EQ(choice.platform.str(), "linux/arm/v7");
  EXPECT_EQ(choice.source, "CRUN_ANY_PLATFORM");
}

TEST(PlatformChoice, DockerDefaultPlatformIsHonoured)
{
  Env env({{"DOCKER_DEFAULT_PLATFORM", "linux/i386"}});
  auto choice = choose_platform(std::nullopt, env, k_native);
  EXPECT_EQ(choice.platform.str(), "linux/386");
  EXPECT_EQ(choice.source, "DOCKER_DEFAULT_PLATFORM");
}

TEST(PlatformChoice, TheEngineIsAskedOnlyWhenNeeded)
{
  g_native_calls = 0;
  choose_platform(std::string("linux/arm64"), Env(), k_native);
  EXPECT_EQ(g_native_calls, 0);
  auto os_only = choose_platform(std::string("linux"), Env(), k_native);
  EXPECT_EQ(os_only.platform.str(), "linux/amd64");
  EXPECT_EQ(g_native_calls, 1);
  choose_platform(std::nullopt, Env(), k_native);
  EXPECT_EQ(g_native_calls, 2);
}

TEST(PlatformChoice, EmptyValuesFallThroughToTheEngine)
{
  Env env({{"CRUN_ANY_PLATFORM", ""}});
  auto choice = choose_platform(std::string(""), env, k_native);
  EXPECT_EQ(choice.platform.str(), "linux/amd64");
  EXPECT_EQ(choice.source, "engine");
  EXPECT_FALSE(choice.explicit_choice);
}

TEST(PlatformChoice, BadValueNamesItsSource)
{
  Env env({{"CRUN_ANY_PLATFORM", "linux/"}});
  auto error = test::error_of([&] { choose_platform(std::nullopt, env, k_native); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  EXPECT_NE(error.message().find("(from CRUN_ANY_PLATFORM)"), std::string::npos) << error.message();
  EXPECT_NE(error.message().find("\"linux/\""), std::string::npos) << error.message();
}

} // namespace
} // namespace crun::core
