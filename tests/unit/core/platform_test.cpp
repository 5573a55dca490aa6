#include <crun/core/platform.hpp>

#include "support/error_of.hpp"

#include <crun/core/error.hpp>

#include <gtest/gtest.h>

#include <string>

namespace crun::core {
namespace {

// A fixed "host" for the single-OS form, so that these tests do not depend
// on the machine they run on.
const Platform k_native{"linux", "arm64", ""};

std::string parse_error(std::string_view text)
{
  auto error = test::error_of([&] { Platform::parse(text, k_native); });
  EXPECT_EQ(error.code(), Errc::invalid_input);
  return error.message();
}

TEST(Platform, NormalizesArchitecturesAsContainerd)
{
  const struct {
    std::string input;
    std::string expected;
  } rows[] = {
    {"linux/x86_64", "linux/amd64"},       {"linux/x86-64", "linux/amd64"},
    {"linux/amd64", "linux/amd64"},        {"linux/AMD64", "linux/amd64"},
    {"linux/amd64/v1", "linux/amd64"},     {"linux/amd64/v2", "linux/amd64/v2"},
    {"linux/x86_64/v3", "linux/amd64/v3"}, {"linux/aarch64", "linux/arm64"},
    {"linux/arm64", "linux/arm64"},        {"linux/arm64/v8", "linux/arm64"},
    {"linux/aarch64/8", "linux/arm64"},    {"linux/arm64/v9", "linux/arm64/v9"},
    {"linux/armhf", "linux/arm/v7"},       {"linux/armhf/v6", "linux/arm/v7"},
    {"linux/armel", "linux/arm/v6"},       {"linux/arm", "linux/arm/v7"},
    {"linux/arm/7", "linux/arm/v7"},       {"linux/arm/v7", "linux/arm/v7"},
    {"linux/arm/v6", "linux/arm/v6"},      {"linux/arm/5", "linux/arm/v5"},
    {"linux/arm/8", "linux/arm/v8"},       {"linux/i386", "linux/386"},
    {"linux/i686", "linux/386"},           {"linux/386", "linux/386"},
    {"linux/ppc64le", "linux/ppc64le"},    {"linux/s390x", "linux/s390x"},
    {"linux/riscv64", "linux/riscv64"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(Platform::parse(row.input, k_native).str(), row.expected);
  }
}

TEST(Platform, NormalizesOsNames)
{
  const struct {
    std::string input;
    std::string expected;
  } rows[] = {
    {"Linux/amd64", "linux/amd64"},
    {"LINUX/arm64", "linux/arm64"},
    {"darwin/arm64", "darwin/arm64"},
    {"macos/arm64", "darwin/arm64"},
    {"MacOS/aarch64", "darwin/arm64"},
    {"Windows/x86_64", "windows/amd64"},
    // An OS containerd does not know is kept: registries may serve it.
    {"haiku/amd64", "haiku/amd64"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(Platform::parse(row.input, k_native).str(), row.expected);
  }
}

TEST(Platform, ReadsSingleComponentAsOsWithNativeArchOrArchOnLinux)
{
  const struct {
    std::string input;
    Platform native;
    std::string expected;
  } rows[] = {
    {"linux", k_native, "linux/arm64"},
    {"darwin", k_native, "darwin/arm64"},
    {"macos", k_native, "darwin/arm64"},
    {"windows", Platform{"linux", "x86_64", ""}, "windows/amd64"},
    {"linux", Platform{"linux", "arm", "v6"}, "linux/arm/v6"},
    {"amd64", k_native, "linux/amd64"},
    {"x86_64", k_native, "linux/amd64"},
    {"aarch64", k_native, "linux/arm64"},
    {"arm", k_native, "linux/arm/v7"},
    {"armhf", k_native, "linux/arm/v7"},
    {"armel", k_native, "linux/arm/v6"},
    {"i386", k_native, "linux/386"},
    {"s390x", k_native, "linux/s390x"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(Platform::parse(row.input, row.native).str(), row.expected);
  }
}

TEST(Platform, ParseAndStrRoundTrip)
{
  for (const char* text :
       {"linux/amd64", "linux/amd64/v2", "linux/arm64", "linux/arm64/v9", "linux/arm/v7",
        "linux/arm/v6", "linux/386", "darwin/arm64", "windows/amd64", "linux/ppc64le"}) {
    SCOPED_TRACE(text);
    const auto platform = Platform::parse(text, k_native);
    EXPECT_EQ(platform.str(), text);
    EXPECT_EQ(Platform::parse(platform.str(), k_native), platform);
    EXPECT_EQ(platform.normalized(), platform);
  }
}

TEST(Platform, ParseFillsFields)
{
  const auto platform = Platform::parse("linux/armhf", k_native);
  EXPECT_EQ(platform.os, "linux");
  EXPECT_EQ(platform.architecture, "arm");
  EXPECT_EQ(platform.variant, "v7");
  EXPECT_EQ(fmt::format("{}", platform), "linux/arm/v7");
}

TEST(Platform, NormalizedKeepsEmptyFieldsAndStrPrintsFieldsAsTheyAre)
{
  const Platform raw{"Linux", "x86_64", ""};
  EXPECT_EQ(raw.str(), "Linux/x86_64");
  EXPECT_EQ(raw.normalized(), (Platform{"linux", "amd64", ""}));
  EXPECT_EQ(Platform{}.normalized(), Platform{});
  EXPECT_EQ((Platform{"linux", "", "V7"}.normalized()), (Platform{"linux", "", "v7"}));
}

TEST(Platform, MatchesOnNormalisedOsArchAndWantedVariant)
{
  const struct {
    std::string have;
    std::string wanted;
    bool matches;
  } rows[] = {
    {"linux/amd64", "linux/amd64", true},     {"linux/x86_64", "linux/amd64", true},
    {"linux/arm64", "linux/arm64/v8", true},  {"linux/arm64/v8", "linux/arm64", true},
    {"linux/aarch64", "linux/arm64", true},   {"linux/arm64/v9", "linux/arm64", true},
    {"linux/arm64", "linux/arm64/v9", false}, {"linux/amd64/v2", "linux/amd64", true},
    {"linux/amd64", "linux/amd64/v2", false}, {"linux/arm/v7", "linux/arm", true},
    {"linux/armhf", "linux/arm/v7", true},    {"linux/arm/v6", "linux/arm", false},
    {"linux/arm/v6", "linux/armel", true},    {"linux/amd64", "linux/arm64", false},
    {"linux/arm64", "darwin/arm64", false},   {"darwin/arm64", "macos/arm64", true},
    {"linux/i686", "linux/386", true},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.have + " wanted " + row.wanted);
    const auto have = Platform::parse(row.have, k_native);
    const auto wanted = Platform::parse(row.wanted, k_native);
    EXPECT_EQ(have.matches(wanted), row.matches);
  }
  // Fields not yet normalised (as decoded from an engine) match as well.
  EXPECT_TRUE((Platform{"Linux", "aarch64", "v8"}.matches(Platform{"linux", "arm64", ""})));
  EXPECT_TRUE((Platform{"linux", "arm", ""}.matches(Platform{"linux", "armhf", ""})));
}

TEST(Platform, RejectsInvalidInputWithExactMessages)
{
  const struct {
    std::string input;
    std::string message;
  } rows[] = {
    {"", "invalid platform \"\": expected os/arch[/variant], such as \"linux/amd64\""},
    {"linux/", "invalid platform \"linux/\": empty architecture"},
    {"/amd64", "invalid platform \"/amd64\": empty os"},
    {"/", "invalid platform \"/\": empty os"},
    {"linux/arm/", "invalid platform \"linux/arm/\": empty variant"},
    {"linux//v7", "invalid platform \"linux//v7\": empty architecture"},
    {"linux/amd64/v2/x",
     "invalid platform \"linux/amd64/v2/x\": too many components, expected os/arch[/variant]"},
    {"linux/amd 64", "invalid platform \"linux/amd 64\": invalid character \" \" in \"amd 64\": "
                     "components may contain letters, digits, \"_\" and \"-\""},
    {"linux/*", "invalid platform \"linux/*\": invalid character \"*\" in \"*\": components may "
                "contain letters, digits, \"_\" and \"-\""},
    {"linux/arm64/v8.0", "invalid platform \"linux/arm64/v8.0\": invalid character \".\" in "
                         "\"v8.0\": components may contain letters, digits, \"_\" and \"-\""},
    {" linux/amd64", "invalid platform \" linux/amd64\": invalid character \" \" in \" linux\": "
                     "components may contain letters, digits, \"_\" and \"-\""},
    {"foo", "invalid platform \"foo\": \"foo\" is neither a known operating system nor a known "
            "architecture; use os/arch, such as \"linux/amd64\""},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.input);
    EXPECT_EQ(parse_error(row.input), row.message);
  }
}

TEST(Platform, FromUnameMapsKernelNames)
{
  const struct {
    std::string sysname;
    std::string machine;
    std::string expected;
  } rows[] = {
    {"Linux", "x86_64", "linux/amd64"},    {"Linux", "aarch64", "linux/arm64"},
    {"Darwin", "arm64", "darwin/arm64"},   {"Darwin", "x86_64", "darwin/amd64"},
    {"Linux", "armv7l", "linux/arm/v7"},   {"Linux", "armv6l", "linux/arm/v6"},
    {"Linux", "armv5tel", "linux/arm/v5"}, {"Linux", "armv8l", "linux/arm/v8"},
    {"Linux", "i686", "linux/386"},        {"Linux", "i586", "linux/386"},
    {"Linux", "ppc64le", "linux/ppc64le"}, {"Linux", "s390x", "linux/s390x"},
    {"Linux", "riscv64", "linux/riscv64"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.sysname + " " + row.machine);
    EXPECT_EQ(Platform::from_uname(row.sysname, row.machine).str(), row.expected);
  }
}

TEST(Platform, BareOsWithoutNativeIsRefused)
{
  EXPECT_EQ(test::error_of([] { Platform::parse("linux"); }).message(),
            "invalid platform \"linux\": name the architecture too, such as \"linux/amd64\"");
  EXPECT_EQ(Platform::parse("linux/amd64"), (Platform{"linux", "amd64", ""}));
}

} // namespace
} // namespace crun::core
