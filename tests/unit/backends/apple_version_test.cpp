// Apple's `container --version` and `system status` in every shape the
// supported versions print (tests/fixtures/apple/README.md).
#include <crun/backends/apple/apple_version.hpp>

#include "backends_test_support.hpp"
#include "support/error_of.hpp"

#include <gtest/gtest.h>

namespace crun::backends::apple {
namespace {

using crun::test::error_of;
using crun::test::fixture;

TEST(AppleVersion, ReadsEveryVersionLine)
{
  EXPECT_EQ(parse_apple_version(fixture("apple/1.2/version.txt"))->str(), "1.2.2");
  EXPECT_EQ(parse_apple_version(fixture("apple/1.4.1/version.txt"))->str(), "1.4.1");
  EXPECT_EQ(parse_apple_version(fixture("apple/0.12/version.txt"))->str(), "0.12.0");
  // 0.1.0 appended the SDK.
  EXPECT_EQ(
    parse_apple_version("container CLI version 0.1.0 (build: release, commit: 1a2b3c4, sdk: MacOS "
                        "15)")
      ->str(),
    "0.1.0");
  EXPECT_EQ(parse_apple_version("container-apiserver version 1.2.2 (build: release)")->str(),
            "1.2.2");
  EXPECT_EQ(parse_apple_version("1.4.1\n")->str(), "1.4.1");
  EXPECT_FALSE(parse_apple_version("container CLI"));
  EXPECT_FALSE(parse_apple_version(""));
  EXPECT_FALSE(parse_apple_version("version 99999999999.1.1"));
}

TEST(AppleVersion, SupportsFrom05To012AndEvery1x)
{
  for (auto v : {AppleVersion{0, 5, 0}, AppleVersion{0, 12, 3}, AppleVersion{1, 0, 0},
                 AppleVersion{1, 2, 2}, AppleVersion{1, 4, 1}, AppleVersion{1, 7, 1}}) {
    EXPECT_NO_THROW(require_supported(v, "/usr/local/bin/container")) << v.str();
  }
  for (auto v : {AppleVersion{0, 4, 9}, AppleVersion{0, 1, 0}, AppleVersion{2, 0, 0}}) {
    Error error = error_of([&] { require_supported(v, "/usr/local/bin/container"); });
    EXPECT_EQ(error.code(), Errc::engine_error);
    EXPECT_NE(error.message().find(v.str()), std::string::npos) << error.message();
    EXPECT_NE(error.message().find("0.5.0 to 0.12.x and 1.x"), std::string::npos);
    EXPECT_NE(error.message().find("/usr/local/bin/container"), std::string::npos);
  }
  EXPECT_TRUE(is_recommended({1, 4, 1}));
  EXPECT_FALSE(is_recommended({1, 3, 1}));
}

TEST(AppleVersion, FlagsByVersion)
{
  EXPECT_TRUE(status_has_format({0, 10, 0}));
  EXPECT_FALSE(status_has_format({0, 9, 0}));
  EXPECT_EQ(progress_flag_none({0, 7, 0}), "--progress");
  EXPECT_EQ(progress_flag_none({0, 6, 1}), "--disable-progress-updates");
}

TEST(AppleStatus, Reads1xShapeWithTheServersLongVersionLine)
{
  ServiceStatus status = parse_status_json(fixture("apple/1.2/system-status.json"));
  EXPECT_TRUE(status.running());
  EXPECT_EQ(status.server_version, "1.2.2");
  EXPECT_EQ(status.client_version, "");
  EXPECT_EQ(status.host_architecture, "");
}

TEST(AppleStatus, ReadsDownAndUnregistered)
{
  for (const char* name :
       {"apple/1.2/system-status-not-running.json", "apple/0.12/system-status-not-running.json",
        "apple/1.4.1/system-status-not-running.json"}) {
    ServiceStatus status = parse_status_json(fixture(name));
    EXPECT_FALSE(status.running()) << name;
    EXPECT_EQ(status.status, "not running") << name;
    EXPECT_EQ(status.server_version, "") << name;
  }
  EXPECT_EQ(parse_status_json(fixture("apple/1.2/system-status-unregistered.json")).status,
            "unregistered");
}

TEST(AppleStatus, Reads141ShapeWithClientServerAndHost)
{
  ServiceStatus status = parse_status_json(fixture("apple/1.4.1/system-status.json"));
  EXPECT_TRUE(status.running());
  EXPECT_EQ(status.server_version, "1.4.1");
  EXPECT_EQ(status.client_version, "1.4.1");
  EXPECT_EQ(status.host_architecture, "arm64");
  ServiceStatus skew = parse_status_json(fixture("apple/1.4.1/system-status-skew.json"));
  EXPECT_EQ(skew.server_version, "1.2.2");
  EXPECT_EQ(skew.client_version, "1.4.1");
}

TEST(AppleStatus, Reads012ShapeInAnyKeyOrder)
{
  ServiceStatus status = parse_status_json(fixture("apple/0.12/system-status.json"));
  EXPECT_TRUE(status.running());
  EXPECT_EQ(status.server_version, "0.12.0");
}

TEST(AppleStatus, RefusesTextThatIsNoStatus)
{
  EXPECT_EQ(error_of([] { parse_status_json("apiserver is running"); }).code(), Errc::protocol);
  EXPECT_EQ(error_of([] { parse_status_json("[]"); }).code(), Errc::protocol);
  EXPECT_EQ(error_of([] { parse_status_json(R"({"status":1})"); }).code(), Errc::protocol);
}

TEST(AppleStatus, ReadsThePre010Text)
{
  EXPECT_TRUE(parse_status_text("apiserver is running\n", 0).running());
  EXPECT_FALSE(parse_status_text("apiserver is not running\n", 1).running());
  EXPECT_FALSE(parse_status_text("", 1).running());
}

} // namespace
} // namespace crun::backends::apple
