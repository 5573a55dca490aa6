#include <crun/registry/image_config.hpp>

#include "test_support.hpp"

#include <gtest/gtest.h>

namespace crun::registry {
namespace {

using test::error_of;
using test::fixture;

TEST(DecodeConfigPlatform, ReadsTheBenchConfigs)
{
  EXPECT_EQ(decode_config_platform(fixture("small-config.json")).str(), "linux/amd64");
  EXPECT_EQ(decode_config_platform(fixture("arm64only-config.json")).str(), "linux/arm64");
  EXPECT_EQ(decode_config_platform(fixture("multi-amd64-config.json")).str(), "linux/amd64");
}

TEST(DecodeConfigPlatform, KeepsTheVariantAndNormalises)
{
  EXPECT_EQ(decode_config_platform(fixture("hand-config-arm-v7.json")).str(), "linux/arm/v7");
  EXPECT_EQ(
    decode_config_platform(R"({"os":"linux","architecture":"aarch64","variant":"v8"})").str(),
    "linux/arm64");
}

TEST(DecodeConfigPlatform, NamesWhatIsMissing)
{
  const struct {
    const char* body;
    const char* message;
  } rows[] = {
    {"", "the image config is not a JSON object"},
    {"[1]", "the image config is not a JSON object"},
    {R"({"os":"linux"})", "the image config names no os or architecture"},
    {R"({"os":"linux","architecture":7})", "the image config names no os or architecture"},
    {R"({"architecture":"amd64","os":""})", "the image config names no os or architecture"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.body);
    auto error = error_of([&] { decode_config_platform(row.body); });
    EXPECT_EQ(error.code(), Errc::protocol);
    EXPECT_EQ(error.message(), row.message);
  }
}

} // namespace
} // namespace crun::registry
