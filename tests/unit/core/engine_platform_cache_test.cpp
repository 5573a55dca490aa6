#include <crun/core/engine_platform_cache.hpp>

#include <crun/core/error.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

EnginePlatformEntry entry(const std::string& endpoint, const std::string& identity,
                          const std::string& platform)
{
  return {endpoint, identity, Platform::parse(platform)};
}

std::string parse_error(const std::string& text)
{
  try {
    parse_engine_platform_cache(text, "engines.json");
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), Errc::invalid_input);
    return error.message();
  }
  ADD_FAILURE() << "parsed: " << text;
  return {};
}

TEST(EnginePlatformCache, RoundTripsThroughItsText)
{
  EnginePlatformCache cache;
  remember_platform(cache,
                    entry("unix:///run/podman/podman.sock", "podman 4.3.1 1:2:3:4", "linux/amd64"));
  remember_platform(cache,
                    entry("unix:///var/run/docker.sock", "docker 28.0.1 5:6:7:8", "linux/arm/v7"));
  std::string text = write_engine_platform_cache(cache);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(parse_engine_platform_cache(text, "engines.json").entries, cache.entries);
  EXPECT_EQ(write_engine_platform_cache({}), "{\n  \"engines\": [],\n  \"version\": 1\n}\n");
  EXPECT_THAT(parse_engine_platform_cache(write_engine_platform_cache({}), "e").entries, IsEmpty());
}

TEST(EnginePlatformCache, HoldsOnlyUnderTheSameIdentity)
{
  EnginePlatformCache cache;
  remember_platform(cache, entry("unix:///a.sock", "podman 4.3.1 1:2:3:4", "linux/arm64"));
  EXPECT_THAT(remembered_platform(cache, "unix:///a.sock", "podman 4.3.1 1:2:3:4"),
              Optional(Platform{"linux", "arm64", ""}));
  // A restarted engine (a new socket file), another version, another path.
  EXPECT_EQ(remembered_platform(cache, "unix:///a.sock", "podman 4.3.1 1:9:3:4"), std::nullopt);
  EXPECT_EQ(remembered_platform(cache, "unix:///a.sock", "podman 5.0.0 1:2:3:4"), std::nullopt);
  EXPECT_EQ(remembered_platform(cache, "unix:///b.sock", "podman 4.3.1 1:2:3:4"), std::nullopt);
}

TEST(EnginePlatformCache, OneEntryPerEndpointAndTheOldestGoFirst)
{
  EnginePlatformCache cache;
  remember_platform(cache, entry("unix:///a.sock", "old", "linux/amd64"));
  remember_platform(cache, entry("unix:///b.sock", "b", "linux/amd64"));
  remember_platform(cache, entry("unix:///a.sock", "new", "linux/arm64"));
  ASSERT_EQ(cache.entries.size(), 2U);
  EXPECT_EQ(cache.entries.back(), entry("unix:///a.sock", "new", "linux/arm64"));
  EXPECT_EQ(remembered_platform(cache, "unix:///a.sock", "old"), std::nullopt);

  for (std::size_t i = 0; i < k_max_engine_platforms + 5; ++i) {
    remember_platform(cache, entry("unix:///" + std::to_string(i), "x", "linux/amd64"));
  }
  EXPECT_EQ(cache.entries.size(), k_max_engine_platforms);
  EXPECT_EQ(cache.entries.front().endpoint, "unix:///5");
  EXPECT_EQ(remembered_platform(cache, "unix:///b.sock", "b"), std::nullopt);
}

TEST(EnginePlatformCache, AnythingElseIsNoCache)
{
  EXPECT_THAT(parse_error(""), HasSubstr("engines.json: not an engine cache"));
  EXPECT_THAT(parse_error("[]"), HasSubstr("not an engine cache"));
  EXPECT_THAT(parse_error(R"({"engines": [], "version": 2})"), HasSubstr("version 2"));
  EXPECT_THAT(parse_error(R"({"engines": [], "version": 1e30})"), HasSubstr("version"));
  EXPECT_THAT(parse_error(R"({"engines": [], "version": "1"})"), HasSubstr("version"));
  EXPECT_THAT(parse_error(R"({"version": 1})"), HasSubstr("not an engine cache"));
  EXPECT_THAT(
    parse_error(R"({"engines": [{"endpoint": "unix:///a", "identity": "i"}], "version": 1})"),
    HasSubstr("not an engine cache"));
  // Only platforms as crun-any writes them: no alias, no bare architecture.
  for (const char* platform : {"linux/x86_64", "amd64", "linux/", "linux/amd64/v1", "x y"}) {
    std::string text = std::string(R"({"engines": [{"endpoint": "unix:///a", "identity": "i", )") +
                       R"("platform": ")" + platform + R"("}], "version": 1})";
    EXPECT_THAT(parse_error(text), HasSubstr("is not a platform as crun-any writes it"))
      << platform;
  }
}

} // namespace
} // namespace crun::core
